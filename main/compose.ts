import type { Logger } from 'pino';
import { createDispatcher, type ApiDispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { StationStatusService } from './services/station-status';
import type { StationConfig } from './services/station-config';
import { openStationStore, type StationStore } from './services/station-store';
import type { KeyVault } from './store/database-key';
import { stationStoreFiles } from './store/station-files';
import { loadStationCredential } from './sync/station-credential';
import { SyncController } from './sync/sync-controller';
import { SyncService, type SyncSettings } from './sync/sync-service';
import { appVersion } from './version';

/** The main process's services, in plain Node. Both transports run on top of these. */
export interface MainServices {
  config: StationConfig;
  log: Logger;
  status: StationStatusService;
  sync: SyncController;
  /** The open station store, or null while it opens or when it cannot be used (see status). */
  store(): StationStore | null;
}

export interface MainProcess {
  services: MainServices;
  dispatcher: ApiDispatcher;
  /** Starts the background work: opening the store, checking the server. */
  start(): void;
  stop(): Promise<void>;
}

export interface MainOptions {
  /** Where the database key is kept; without one the store is not opened (API-only tests). */
  keyVault?: KeyVault;
  /** The bundled store worker, in the Electron build. */
  storeWorkerFile?: string;
  /** Where the station's credential for the sync server is kept; without one, sync does not run. */
  credentialVault?: KeyVault;
}

/** What sync needs from the configuration and the credential, or why it cannot run. */
async function syncSettings(config: StationConfig, credentialVault: KeyVault | undefined): Promise<SyncSettings | { problem: string }> {
  if (!config.serverUrl) return { problem: 'No sync server is configured for this station (serverUrl in station.json).' };
  if (!config.stationId) return { problem: 'This station has no station id yet (stationId in station.json).' };
  if (!credentialVault) return { problem: 'No place for the station credential is configured.' };
  const credential = await loadStationCredential(credentialVault, config.stationId);
  if ('problem' in credential) return credential;
  return { serverUrl: config.serverUrl, stationId: config.stationId, token: credential.token };
}

/** The one place where main's services are built and wired together. */
export function composeMain(config: StationConfig, log: Logger, options: MainOptions = {}): MainProcess {
  const files = stationStoreFiles(config.dataDir);
  const status = new StationStatusService(config, appVersion, files.databaseFile, log.child({ service: 'status' }));
  let store: StationStore | null = null;
  let opening: Promise<void> | undefined;
  const sync = new SyncController();
  const services: MainServices = { config, log, status, sync, store: () => store };
  // A server that comes back is synced with at once, not at the next retry.
  status.onChange((current) => {
    if (current.server.reachability === 'reachable') sync.reconnected();
  });
  const dispatcher = createDispatcher(createHandlers(services), log.child({ service: 'api' }));
  return {
    services,
    dispatcher,
    start() {
      status.start();
      if (!options.keyVault || opening) return;
      opening = openStationStore(config.dataDir, options.keyVault, options.storeWorkerFile).then(
        async (opened) => {
          store = opened;
          status.setStore('open');
          const service = new SyncService(opened.database, await syncSettings(config, options.credentialVault), log.child({ service: 'sync' }));
          sync.attach(service);
          service.start();
        },
        (error: unknown) => {
          log.error({ code: (error as { code?: string }).code, errorName: (error as Error).name }, 'the station store could not be opened');
          status.setStore('unavailable', (error as Error).message);
          sync.unavailable('Sync cannot run: the station store could not be opened.');
        },
      );
    },
    async stop() {
      await opening;
      await sync.stop();
      await store?.close();
      store = null;
      await status.stop();
    },
  };
}
