import { join } from 'node:path';
import type { Logger } from 'pino';
import { createDispatcher, type ApiDispatcher } from './api/dispatcher';
import { createHandlers } from './api/handlers';
import { StationStatusService } from './services/station-status';
import type { StationConfig } from './services/station-config';
import { appVersion } from './version';

/** The main process's services, in plain Node. Both transports run on top of these. */
export interface MainServices {
  config: StationConfig;
  log: Logger;
  status: StationStatusService;
}

export interface MainProcess {
  services: MainServices;
  dispatcher: ApiDispatcher;
  start(): void;
  stop(): Promise<void>;
}

/** The one place where main's services are built and wired together. */
export function composeMain(config: StationConfig, log: Logger): MainProcess {
  const storeLocation = join(config.dataDir, 'station.db');
  const status = new StationStatusService(config, appVersion, storeLocation, log.child({ service: 'status' }));
  const services: MainServices = { config, log, status };
  const dispatcher = createDispatcher(createHandlers(services), log.child({ service: 'api' }));
  return {
    services,
    dispatcher,
    start() {
      status.start();
    },
    async stop() {
      await status.stop();
    },
  };
}
