import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { composeMain, type MainProcess } from '../compose';
import { fileKeyVault } from '../store/database-key';
import { stationCredentialFormat } from '../sync/station-credential';
import { stationStoreFiles } from '../store/station-files';
import type { StationConfig } from '../services/station-config';
import { startHeadlessShell, type HeadlessShell } from './shell';

const builtRendererDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export interface RunningWebApp {
  main: MainProcess;
  shell: HeadlessShell;
  stop(): Promise<void>;
}

/** Starts main's services and the headless shell on top of them: what `npm run start:web` runs. */
export async function startWebApp(config: StationConfig, log: Logger, options: { port?: number; rendererDir?: string } = {}): Promise<RunningWebApp> {
  const rendererDir = options.rendererDir ?? builtRendererDir;
  if (!existsSync(`${rendererDir}/index.html`)) {
    throw new Error(`The renderer is not built (${rendererDir}index.html is missing): run npm run build:renderer first.`);
  }
  const files = stationStoreFiles(config.dataDir);
  const main = composeMain(config, log, { keyVault: fileKeyVault(files.keyFile), credentialVault: fileKeyVault(files.credentialFile, stationCredentialFormat) });
  const shell = await startHeadlessShell({ dispatcher: main.dispatcher, rendererDir, log: log.child({ service: 'shell' }), port: options.port ?? 0 });
  main.start();
  return {
    main,
    shell,
    async stop() {
      await shell.close();
      await main.stop();
    },
  };
}
