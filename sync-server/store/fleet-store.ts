import type { StationReport } from '../../domain/station-report';

/**
 * What the server keeps about the station PCs as machines, apart from their records: the
 * releases it offers them (the update feed) and the last report each station sent (the IT
 * staff's overview). Part of the repository, in the same database, so that every server
 * node on one PostgreSQL database serves the same feed and sees the same reports.
 */

export const releasePlatforms = ['win', 'linux'] as const;
export type ReleasePlatform = (typeof releasePlatforms)[number];
export const releaseArchs = ['x64', 'arm64'] as const;
export type ReleaseArch = (typeof releaseArchs)[number];

/** One version for one channel (latest, beta…), platform and architecture. */
export interface ReleaseKey {
  channel: string;
  platform: ReleasePlatform;
  arch: ReleaseArch;
  version: string;
}

/** An installer of a release, by the name the feed gives it (its address under /updates/). */
export interface ReleaseFile {
  name: string;
  /** SHA-512 of the file, base64, as electron-updater checks it. */
  sha512: string;
  size: number;
  addedAt: number;
}

export interface Release extends ReleaseKey {
  /** The share of stations (0-100) that take this release; electron-updater decides which, per install. */
  stagingPercentage: number;
  /** When the first file of the release was added (server clock, ms). */
  releasedAt: number;
  /** Oldest first: the first is the feed's legacy `path`. */
  files: ReleaseFile[];
}

export interface StoredStationReport {
  stationId: string;
  report: StationReport;
  /** When the server received it (server clock, ms). */
  receivedAt: number;
}

export class FleetStoreError extends Error {
  constructor(
    readonly code: 'RELEASE_FILE_EXISTS',
    message: string,
  ) {
    super(message);
    this.name = 'FleetStoreError';
  }
}

export interface FleetStore {
  /**
   * Adds an installer to a release, making the release (with `stagingPercentage`) when it
   * is the first file; a release that exists keeps its percentage. Adding the same file
   * again (same name, release and SHA-512) changes nothing; a name already given to other
   * content is refused with RELEASE_FILE_EXISTS.
   */
  addReleaseFile(key: ReleaseKey, file: Omit<ReleaseFile, 'addedAt'>, options: { stagingPercentage: number; at: number }): Promise<Release>;
  /** Releases with their files, of one channel, platform and architecture when given. */
  releases(filter?: Partial<Omit<ReleaseKey, 'version'>>): Promise<Release[]>;
  /** The file of this name and the release it belongs to, or null. */
  releaseFile(name: string): Promise<{ release: ReleaseKey; file: ReleaseFile } | null>;
  /** Sets the rollout percentage of every release of this version (of one channel or platform when given); returns how many. */
  setStagingPercentage(version: string, percentage: number, filter?: Partial<Pick<ReleaseKey, 'channel' | 'platform' | 'arch'>>): Promise<number>;
  /** Keeps a station's report in place of its previous one. */
  saveStationReport(stationId: string, report: StationReport, receivedAt: number): Promise<void>;
  /** The last report of every station that sent one, by station id. */
  stationReports(): Promise<StoredStationReport[]>;
}

interface ReleaseRow {
  channel: string;
  platform: ReleasePlatform;
  arch: ReleaseArch;
  version: string;
  staging_percentage: number;
  released_at: number | string;
}

interface FileRow {
  name: string;
  channel: string;
  platform: ReleasePlatform;
  arch: ReleaseArch;
  version: string;
  sha512: string;
  size: number | string;
  added_at: number | string;
}

/** Both stores read the same rows; PostgreSQL's bigint arrives as text. */
export function releasesFromRows(releaseRows: ReleaseRow[], fileRows: FileRow[]): Release[] {
  const releases = new Map<string, Release>();
  const keyOf = (row: ReleaseKey): string => JSON.stringify([row.channel, row.platform, row.arch, row.version]);
  for (const row of releaseRows) {
    releases.set(keyOf(row), {
      channel: row.channel,
      platform: row.platform,
      arch: row.arch,
      version: row.version,
      stagingPercentage: Number(row.staging_percentage),
      releasedAt: Number(row.released_at),
      files: [],
    });
  }
  for (const row of fileRows) releases.get(keyOf(row))?.files.push(fileFromRow(row));
  return [...releases.values()];
}

export function fileFromRow(row: FileRow): ReleaseFile {
  return { name: row.name, sha512: row.sha512, size: Number(row.size), addedAt: Number(row.added_at) };
}

/** A new row of release_files, in its columns' order (name, channel, platform, arch, version, sha512, size, added_at). */
export function releaseFileValues(key: ReleaseKey, file: Omit<ReleaseFile, 'addedAt'>, addedAt: number): (string | number)[] {
  return [file.name, key.channel, key.platform, key.arch, key.version, file.sha512, file.size, addedAt];
}

export function sameRelease(a: ReleaseKey, b: ReleaseKey): boolean {
  return a.channel === b.channel && a.platform === b.platform && a.arch === b.arch && a.version === b.version;
}

export function fileExists(name: string): FleetStoreError {
  return new FleetStoreError('RELEASE_FILE_EXISTS', `A release file named ${name} exists already with other content or for another release: give the installer a name of its own.`);
}

/** The WHERE clause of a release filter, with its parameters, in `placeholder`'s style. */
export function releaseFilter(filter: Partial<Pick<ReleaseKey, 'channel' | 'platform' | 'arch' | 'version'>>, placeholder: (index: number) => string): { where: string; values: string[] } {
  const clauses: string[] = [];
  const values: string[] = [];
  for (const column of ['channel', 'platform', 'arch', 'version'] as const) {
    const value = filter[column];
    if (value === undefined) continue;
    values.push(value);
    clauses.push(`${column} = ${placeholder(values.length)}`);
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', values };
}

export type { FileRow, ReleaseRow };
