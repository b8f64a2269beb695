import type { Logger } from 'pino';
import { createDispatcher, type ApiDispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { StationStatusService } from './services/station-status';
import type { StationConfig } from './services/station-config';
import { openStationStore, type StationStore } from './services/station-store';
import type { KeyVault } from './store/database-key';
import { stationStoreFiles } from './store/station-files';
import { appVersion } from './version';

/** The main process's services, in plain Node. Both transports run on top of these. */
export interface MainServices {
  config: StationConfig;
  log: Logger;
  status: StationStatusService;
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
}

/** The one place where main's services are built and wired together. */
export function composeMain(config: StationConfig, log: Logger, options: MainOptions = {}): MainProcess {
  const files = stationStoreFiles(config.dataDir);
  const status = new StationStatusService(config, appVersion, files.databaseFile, log.child({ service: 'status' }));
  let store: StationStore | null = null;
  let opening: Promise<void> | undefined;
  const services: MainServices = { config, log, status, store: () => store };
  const dispatcher = createDispatcher(createHandlers(services), log.child({ service: 'api' }));
  return {
    services,
    dispatcher,
    start() {
      status.start();
      if (!options.keyVault || opening) return;
      opening = openStationStore(config.dataDir, options.keyVault, options.storeWorkerFile).then(
        (opened) => {
          store = opened;
          status.setStore('open');
        },
        (error: unknown) => {
          log.error({ code: (error as { code?: string }).code, errorName: (error as Error).name }, 'the station store could not be opened');
          status.setStore('unavailable', (error as Error).message);
        },
      );
    },
    async stop() {
      await opening;
      await store?.close();
      store = null;
      await status.stop();
    },
  };
}
