import { createLogger } from '../log';
import { stationLogFile } from '../log-file';
import { loadStationConfig } from '../services/station-config';
import { startWebApp } from './start';

/** `npm run start:web`: the station client without Electron, for a local browser. */
async function main(): Promise<void> {
  const config = loadStationConfig();
  const log = createLogger('mis-station-web', undefined, { file: stationLogFile(config.dataDir) });
  const port = process.env.MIS_WEB_PORT ? Number(process.env.MIS_WEB_PORT) : 8420;
  const app = await startWebApp(config, log, { port });
  log.info({ port: app.shell.port }, 'headless shell listening on 127.0.0.1');
  // The token is for the officer at this machine: printed to the terminal, never logged.
  process.stdout.write(`\nMIS Station is running. Open this address in a browser on this machine:\n\n  ${app.shell.url}\n\nPress Ctrl+C to stop.\n\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ errorName: (error as Error).name }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`MIS Station could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
