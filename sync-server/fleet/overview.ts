import semver from 'semver';
import type { StationReport } from '../../domain/station-report';
import type { Release, StoredStationReport } from '../store/fleet-store';
import type { SyncRepository } from '../store/repository';

/**
 * The IT staff's overview of the stations: every station the server knows (the stations
 * reference data), with what its last report said. The server's own clock decides what
 * is stale; the station's clock is shown, and how far it is off, never trusted.
 */

/** A station that has not reported for this long is flagged: it is off, offline, or cannot reach the server. */
export const silentAfterMs = 24 * 60 * 60 * 1000;

export interface StationOverview {
  stationId: string;
  name: string | null;
  /** false: it reports but is not (or no longer) in the stations reference data. */
  known: boolean;
  lastReportAt: string | null;
  silent: boolean;
  version: string | null;
  platform: string | null;
  /** The newest release for its platform on the latest channel, when it runs an older version. */
  behind: string | null;
  update: StationReport['update'] | null;
  /** The station's last complete sync, by its own clock. */
  lastSyncAt: string | null;
  syncState: StationReport['sync']['state'] | null;
  pending: Record<string, number>;
  pendingTotal: number;
  failures: number;
  lastFailureCode: string | null;
  /** Station clock minus server clock when the report arrived (ms), rounded to seconds. */
  clockOffsetMs: number | null;
  devices: StationReport['devices'];
  devicesInError: number;
  /** The rules entry the station works by (null: the defaults), and whether it loaded; null when its report does not say. */
  rules: NonNullable<StationReport['rules']> | null;
}

export interface FleetOverview {
  generatedAt: string;
  stations: StationOverview[];
  releases: { channel: string; platform: string; arch: string; version: string; stagingPercentage: number; files: number }[];
}

interface KnownStation {
  id: string;
  name: string | null;
}

async function knownStations(repository: SyncRepository): Promise<KnownStation[]> {
  const stations: KnownStation[] = [];
  let after = 0;
  for (;;) {
    const page = await repository.pull('stations', { kind: 'all' }, after, 500);
    for (const record of page.records) {
      if (record.document._deleted) continue;
      const name = record.document.name;
      stations.push({ id: record.id, name: typeof name === 'string' ? name : null });
    }
    if (page.records.length === 0 || page.checkpoint === after) return stations;
    after = page.checkpoint;
  }
}

const linuxArch = (arch: string): string => (arch === 'arm64' ? 'arm64' : 'x64');

function newestFor(releases: Release[], report: StationReport): string | null {
  const platform = report.platform === 'win32' ? 'win' : report.platform === 'linux' ? 'linux' : null;
  if (!platform || !semver.valid(report.version)) return null;
  const arch = platform === 'win' ? 'x64' : linuxArch(report.arch);
  let newest: string | null = null;
  for (const release of releases) {
    if (release.channel !== 'latest' || release.platform !== platform || release.arch !== arch || release.files.length === 0) continue;
    if (!newest || semver.gt(release.version, newest)) newest = release.version;
  }
  return newest && semver.gt(newest, report.version) ? newest : null;
}

export function stationOverview(station: KnownStation | null, stored: StoredStationReport | null, releases: Release[], now: number, stationId: string): StationOverview {
  const report = stored?.report ?? null;
  const pending: Record<string, number> = report ? { ...report.sync.pending } : {};
  return {
    stationId,
    name: station?.name ?? null,
    known: station !== null,
    lastReportAt: stored ? new Date(stored.receivedAt).toISOString() : null,
    silent: !stored || now - stored.receivedAt > silentAfterMs,
    version: report?.version ?? null,
    platform: report ? `${report.platform}-${report.arch}` : null,
    behind: report ? newestFor(releases, report) : null,
    update: report?.update ?? null,
    lastSyncAt: report?.sync.lastSuccessAt ?? null,
    syncState: report?.sync.state ?? null,
    pending,
    pendingTotal: Object.values(pending).reduce((sum: number, count: number) => sum + count, 0),
    failures: report?.sync.failures ?? 0,
    lastFailureCode: report?.sync.lastFailureCode ?? null,
    clockOffsetMs: stored && report ? Math.round((Date.parse(report.sentAt) - stored.receivedAt) / 1000) * 1000 : null,
    devices: report?.devices ?? [],
    devicesInError: report?.devices.filter((device) => device.state === 'error').length ?? 0,
    rules: report?.rules ?? null,
  };
}

export async function fleetOverview(repository: SyncRepository, now: number): Promise<FleetOverview> {
  const [stations, reports, releases] = await Promise.all([knownStations(repository), repository.fleet.stationReports(), repository.fleet.releases()]);
  const reportOf = new Map(reports.map((report) => [report.stationId, report]));
  const ids = [...new Set([...stations.map((station) => station.id), ...reportOf.keys()])].sort();
  const stationOf = new Map(stations.map((station) => [station.id, station]));
  return {
    generatedAt: new Date(now).toISOString(),
    stations: ids.map((id) => stationOverview(stationOf.get(id) ?? null, reportOf.get(id) ?? null, releases, now, id)),
    releases: releases.map((release) => ({
      channel: release.channel,
      platform: release.platform,
      arch: release.arch,
      version: release.version,
      stagingPercentage: release.stagingPercentage,
      files: release.files.length,
    })),
  };
}
