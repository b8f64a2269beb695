import { join } from 'node:path';
import { dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { MainServices } from '../compose';
import { writeDiagnosticsBundle } from '../diagnostics/diagnostics-bundle';
import type { KeyVault } from '../store/database-key';

/**
 * The application menu: the standard File, Edit and Window menus, and Help with
 * "Write diagnostics bundle…", which writes the same bundle as `npm run diagnostics`
 * (main/diagnostics/), with what the running app knows besides, into the data folder's
 * diagnostics/ folder, and says where it went.
 */
export function installApplicationMenu(services: () => MainServices | undefined, vaults: { keyVault: KeyVault; credentialVault: KeyVault }): void {
  const writeBundle = async (): Promise<void> => {
    const running = services();
    if (!running) return;
    try {
      const written = await writeDiagnosticsBundle({
        dataDir: running.config.dataDir,
        outDir: join(running.config.dataDir, 'diagnostics'),
        ...vaults,
        live: { station: running.status.current(), sync: running.sync.status(), devices: running.devices.view() },
      });
      running.log.info({ bytes: written.bytes, integrityOk: written.integrityOk }, 'diagnostics bundle written');
      const { response } = await dialog.showMessageBox({
        type: 'info',
        title: 'Diagnostics bundle',
        message: 'The diagnostics bundle was written.',
        detail: `${written.file}\n\nIt holds no personal data. Database check: ${written.integrityOk === null ? 'not possible (see the bundle)' : written.integrityOk ? 'ok' : 'FAILED'}.`,
        buttons: ['Show in folder', 'Close'],
        defaultId: 0,
        cancelId: 1,
      });
      if (response === 0) shell.showItemInFolder(written.file);
    } catch (error) {
      running.log.error({ errorName: (error as Error).name }, 'the diagnostics bundle could not be written');
      dialog.showErrorBox('Diagnostics bundle', `The diagnostics bundle could not be written: ${(error as Error).message}`);
    }
  };
  const template: MenuItemConstructorOptions[] = [
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Write diagnostics bundle…', click: () => void writeBundle() }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
