import type { Logger } from 'pino';
import { stationReportFormat, stationReportSchema, type StationReport, type UpdateState } from '../../domain/station-report';
import type { RulesInForce } from '../../domain/rules';
import { stationCollections } from '../../domain/sync';
import type { DeviceView } from '../devices/device-manager';
import type { SyncStatus } from '../sync/sync-service';

/**
 * The station's report to its central server, for the IT staff's overview: its version,
 * what is pending and whether sync works, its devices' states, and what the updater is
 * doing. Sent every `everyMs` (15 minutes by default) and shortly after each sync; a report
 * that cannot be sent is not kept, the next one replaces it.
 *
 * What leaves the station is chosen field by field here (domain/station-report): counts,
 * states and codes, never a device's detail text or an error's message, either of which
 * could carry what an officer typed or a reader read.
 */

export interface StationReportSources {
  version: string;
  syncStatus: () => SyncStatus;
  devices: () => DeviceView[];
  update: () => UpdateState;
  /** The rules in force (StationRules.inForce); not reported when not given. */
  rules?: () => Pick<RulesInForce, 'entry' | 'problem'>;
  platform?: string;
  arch?: string;
  now?: () => number;
}

export function buildStationReport(sources: StationReportSources): StationReport {
  const status = sources.syncStatus();
  const pending: StationReport['sync']['pending'] = {};
  for (const collection of status.collections) {
    if ((stationCollections as readonly string[]).includes(collection.collection)) pending[collection.collection as keyof typeof pending] = collection.pending;
  }
  const newestFailure = status.failures[0]?.code ?? null;
  const rules = sources.rules?.();
  return stationReportSchema.parse({
    format: stationReportFormat,
    version: sources.version,
    platform: sources.platform ?? process.platform,
    arch: sources.arch ?? process.arch,
    sentAt: new Date((sources.now ?? Date.now)()).toISOString(),
    sync: {
      state: status.state,
      lastSuccessAt: status.lastSuccessAt,
      pending,
      failures: status.failures.length,
      lastFailureCode: newestFailure && /^[A-Z_]{1,64}$/.test(newestFailure) ? newestFailure : null,
    },
    devices: sources.devices().slice(0, 32).map((device) => ({ kind: device.kind, protocol: device.protocol.slice(0, 32), state: device.state, retrying: device.retrying })),
    update: sources.update(),
    // The entry's code is configuration; the problem's text stays on the station.
    ...(rules ? { rules: { entry: rules.entry, loaded: rules.problem === null } } : {}),
  });
}

export interface StationReporterOptions extends StationReportSources {
  serverUrl: string;
  token: string;
  log: Logger;
  /** Called with a listener for sync status changes; returns how to stop listening. */
  onSyncChange: (listener: (status: SyncStatus) => void) => () => void;
  everyMs?: number;
  /** After a sync, the report waits this long, so that a burst of syncs sends one report. */
  afterSyncMs?: number;
  timeoutMs?: number;
}

export class StationReporter {
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  private lastSync: string | null = null;
  private sending: Promise<void> | null = null;

  constructor(private readonly options: StationReporterOptions) {}

  start(): void {
    this.stopListening = this.options.onSyncChange((status) => {
      if (status.lastSuccessAt === this.lastSync) return;
      this.lastSync = status.lastSuccessAt;
      this.sendSoon();
    });
    this.timer = setInterval(() => void this.send(), this.options.everyMs ?? 15 * 60_000);
    this.timer.unref();
    this.sendSoon();
  }

  /** Sends a report now; resolves when the server took it or it failed (logged, never thrown). */
  send(): Promise<void> {
    this.sending ??= this.post().finally(() => {
      this.sending = null;
    });
    return this.sending;
  }

  async stop(): Promise<void> {
    this.stopListening?.();
    clearInterval(this.timer);
    clearTimeout(this.soon);
    await this.sending;
  }

  private sendSoon(): void {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => void this.send(), this.options.afterSyncMs ?? 5_000);
    this.soon.unref();
  }

  private async post(): Promise<void> {
    const { serverUrl, token, log } = this.options;
    try {
      const report = buildStationReport(this.options);
      const response = await fetch(`${serverUrl}/sync/station-report`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(report),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: string };
        log.warn({ status: response.status, code: body.code }, 'the server did not take the station report');
      }
    } catch (error) {
      log.info({ errorName: (error as Error).name }, 'the station report could not be sent');
    }
  }
}

/** What the updater is doing, as the report carries it; the Electron part sets it, plain Node reads it. */
export class UpdateStatus {
  private state: UpdateState = { state: 'not-configured', availableVersion: null };

  current(): UpdateState {
    return this.state;
  }

  set(state: UpdateState): void {
    this.state = state;
  }
}
