import type { Logger } from 'pino';
import type { AppStatus } from '../api/contract';
import { probeServer } from './server-reachability';
import type { StationConfig } from './station-config';

type StationStatus = Omit<AppStatus, 'officer'>;
type Listener = (status: StationStatus) => void;

/**
 * Knows the station's status (version, identity, store, central server reachability),
 * checks the server in the background and tells listeners when something an officer
 * would notice changes. The time of each check alone is not such a change.
 */
export class StationStatusService {
  private status: StationStatus;
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly config: StationConfig,
    version: string,
    storeLocation: string,
    private readonly log: Logger,
  ) {
    this.status = {
      version,
      stationId: config.stationId,
      store: { location: storeLocation, state: 'opening', problem: null },
      server: { url: config.serverUrl, reachability: config.serverUrl ? 'checking' : 'not-configured', lastCheckedAt: null, problem: null },
    };
  }

  current(): StationStatus {
    return this.status;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running || !this.config.serverUrl) return;
    this.running = true;
    void this.checkNow();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** The store opened, or could not be opened: officers must know before they type anything. */
  setStore(state: StationStatus['store']['state'], problem: string | null = null): void {
    this.status = { ...this.status, store: { ...this.status.store, state, problem } };
    this.log.info({ storeState: state }, 'station store state changed');
    for (const listener of this.listeners) listener(this.status);
  }

  /** Checks the server at once (for a "check again" button); concurrent calls share one check. */
  checkNow(): Promise<void> {
    this.inFlight ??= this.check().finally(() => {
      this.inFlight = undefined;
      if (this.running) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.checkNow(), this.config.probeIntervalMs);
        this.timer.unref();
      }
    });
    return this.inFlight;
  }

  private async check(): Promise<void> {
    const serverUrl = this.config.serverUrl;
    if (!serverUrl) return;
    const result = await probeServer(serverUrl, Math.min(5_000, Math.max(1_000, this.config.probeIntervalMs)));
    const previous = this.status.server;
    const next = {
      url: serverUrl,
      reachability: result.reachable ? ('reachable' as const) : ('unreachable' as const),
      lastCheckedAt: new Date().toISOString(),
      problem: result.reachable ? null : result.problem,
    };
    this.status = { ...this.status, server: next };
    if (previous.reachability !== next.reachability || previous.problem !== next.problem) {
      this.log.info({ reachability: next.reachability }, 'central server reachability changed');
      for (const listener of this.listeners) listener(this.status);
    }
  }
}
