import { autoUpdater } from 'electron-updater';
import type { Logger } from 'pino';
import type { StationConfig } from '../services/station-config';
import type { KeyVault } from '../store/database-key';
import { updateFeed } from '../updates/update-feed';
import { UpdateSchedule } from '../updates/update-schedule';
import type { UpdateStatus } from '../updates/station-reporter';

/**
 * electron-updater, pointed at the station's own server (main/updates/update-feed.ts):
 * checks on start and every night (main/updates/update-schedule.ts), downloads in the
 * background, installs when the app quits, so the next start runs the new version. Whether
 * this PC takes a staged release is electron-updater's decision, from the release's
 * stagingPercentage and the install's own id. Kept thin: everything else runs, and is
 * tested, in plain Node (test/deployment/updates.test.ts drives the same updater class).
 */
export async function startAutoUpdates(config: StationConfig, credentialVault: KeyVault, status: UpdateStatus, log: Logger): Promise<() => void> {
  const feed = await updateFeed(config, credentialVault);
  if ('problem' in feed) {
    log.info({ problem: feed.problem }, 'no automatic updates');
    return () => undefined;
  }
  autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
  autoUpdater.requestHeaders = feed.headers;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  // The server keeps no block maps: a full download, checked against the feed's SHA-512.
  autoUpdater.disableDifferentialDownload = true;
  autoUpdater.logger = { info: (message) => log.debug(String(message)), warn: (message) => log.warn(String(message)), error: (message) => log.error(String(message)) };
  status.set({ state: 'idle', availableVersion: null });
  autoUpdater.on('checking-for-update', () => status.set({ state: 'checking', availableVersion: status.current().availableVersion }));
  autoUpdater.on('update-not-available', () => status.set({ state: 'idle', availableVersion: null }));
  autoUpdater.on('update-available', (info) => status.set({ state: 'downloading', availableVersion: info.version }));
  autoUpdater.on('update-downloaded', (info) => {
    status.set({ state: 'downloaded', availableVersion: info.version });
    log.info({ version: info.version }, 'update downloaded; it is installed when MIS Station quits');
  });
  autoUpdater.on('error', (error) => {
    status.set({ state: 'failed', availableVersion: status.current().availableVersion });
    log.warn({ errorName: error.name }, 'the update check or download failed');
  });
  const schedule = new UpdateSchedule({
    check: async () => {
      await autoUpdater.checkForUpdates();
    },
    failed: (error) => log.info({ errorName: (error as Error).name }, 'update check failed; the next one is tonight'),
  });
  schedule.start();
  return () => schedule.stop();
}
