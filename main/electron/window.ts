import { app, BrowserWindow, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { appStartUrl, isAppUrl } from '../security/app-origin';
import { browserLinkTarget } from '../security/external-links';
import { hardenedWebPreferences } from '../security/window-policy';

/**
 * Hardening that applies to every web contents the app ever creates: no navigation away
 * from the app, no new windows, no <webview>, no permission prompts.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Help pages and the like open in the officer's browser, never inside the app.
    const link = browserLinkTarget(url);
    if (link !== null) void shell.openExternal(link);
    return { action: 'deny' };
  });
}

export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'MIS Station',
    webPreferences: hardenedWebPreferences(preloadPath, !app.isPackaged && process.env.MIS_DEVTOOLS === '1') satisfies WebPreferences,
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appStartUrl);
  return window;
}
