import { join } from 'node:path';
import { app, dialog, session } from 'electron';
import { composeMain, type MainProcess } from '../compose';
import { createLogger } from '../log';
import { stationLogFile } from '../log-file';
import { provisioningBundleArgument } from '../provisioning/first-run';
import { importProvisioningBundle } from '../provisioning/import-bundle';
import { ProvisioningError } from '../provisioning/provisioning-error';
import { loadStationConfig } from '../services/station-config';
import { serveApiOverIpc } from './ipc';
import { safeStorageKeyVault } from './key-vault';
import { installApplicationMenu } from './menu';
import { declareAppScheme, serveRenderer } from './protocol';
import { startAutoUpdates } from './updater';
import { createMainWindow, denyPermissions, hardenWebContents } from './window';

/**
 * The Electron entry point. It only wires Electron to main's services: everything it
 * starts also runs, and is tested, in plain Node behind the headless shell.
 */
// The log goes to the data folder's logs/ too, where the diagnostics bundle takes its tail from.
const log = createLogger('mis-station', undefined, { file: stationLogFile(process.env.MIS_DATA_DIR ?? app.getPath('userData')) });
let mainProcess: MainProcess | undefined;

declareAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second copy would open the same store: hand over to the running one instead.
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app.whenReady().then(
    async () => {
      const dataDir = process.env.MIS_DATA_DIR ?? app.getPath('userData');
      const credentialFile = join(dataDir, 'station.credential.sealed');
      // First run after an install: the bundle is imported, and its credential sealed by the OS, for the account that runs the app.
      const bundle = provisioningBundleArgument(process.argv, process.env);
      if (bundle) {
        const provisioned = await importProvisioningBundle(bundle, { dataDir, credentialVault: safeStorageKeyVault(credentialFile), credentialFile });
        log.info({ stationId: provisioned.stationId, credential: provisioned.credential }, 'station provisioned');
      }
      const config = loadStationConfig(process.env, dataDir);
      const vaults = { keyVault: safeStorageKeyVault(join(config.dataDir, 'store.key.sealed')), credentialVault: safeStorageKeyVault(credentialFile) };
      installApplicationMenu(() => mainProcess?.services, vaults);
      mainProcess = composeMain(config, log, {
        ...vaults,
        storeWorkerFile: join(__dirname, 'store-worker.cjs'),
      });
      denyPermissions(session.defaultSession);
      serveRenderer(join(app.getAppPath(), 'dist', 'renderer'));
      serveApiOverIpc(mainProcess.dispatcher, log.child({ service: 'ipc' }));
      createMainWindow(join(app.getAppPath(), 'dist', 'preload', 'preload.cjs'));
      mainProcess.start();
      await startAutoUpdates(config, vaults.credentialVault, mainProcess.services.updates, log.child({ service: 'updates' }));
    },
    (error: unknown) => {
      log.fatal({ errorName: (error as Error).name, message: (error as Error).message }, 'MIS Station could not start');
      if (error instanceof ProvisioningError) dialog.showErrorBox('MIS Station could not be provisioned', error.message);
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
