import { join } from 'node:path';
import { app, session } from 'electron';
import { composeMain, type MainProcess } from '../compose';
import { createLogger } from '../log';
import { loadStationConfig } from '../services/station-config';
import { serveApiOverIpc } from './ipc';
import { safeStorageKeyVault } from './key-vault';
import { declareAppScheme, serveRenderer } from './protocol';
import { createMainWindow, denyPermissions, hardenWebContents } from './window';

/**
 * The Electron entry point. It only wires Electron to main's services: everything it
 * starts also runs, and is tested, in plain Node behind the headless shell.
 */
const log = createLogger('mis-station');
let mainProcess: MainProcess | undefined;

declareAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same store: hand over to the running one instead.
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app.whenReady().then(
    () => {
      const config = loadStationConfig(process.env, process.env.MIS_DATA_DIR ?? app.getPath('userData'));
      mainProcess = composeMain(config, log, {
        keyVault: safeStorageKeyVault(join(config.dataDir, 'store.key.sealed')),
        credentialVault: safeStorageKeyVault(join(config.dataDir, 'station.credential.sealed')),
        storeWorkerFile: join(__dirname, 'store-worker.cjs'),
      });
      denyPermissions(session.defaultSession);
      serveRenderer(join(app.getAppPath(), 'dist', 'renderer'));
      serveApiOverIpc(mainProcess.dispatcher, log.child({ service: 'ipc' }));
      createMainWindow(join(app.getAppPath(), 'dist', 'preload', 'preload.cjs'));
      mainProcess.start();
    },
    (error: unknown) => {
      log.fatal({ errorName: (error as Error).name, message: (error as Error).message }, 'MIS Station could not start');
      app.exit(1);
    },
  );

  app.on('second-instance', () => {
    // Bring the existing window forward (Windows and Linux taskbars).
    app.focus({ steal: true });
  });

  app.on('window-all-closed', () => app.quit());

  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped || !mainProcess) return;
    event.preventDefault();
    void mainProcess.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
