/**
 * The web preferences of every MIS Station window: the renderer is a sandboxed web page
 * with no Node, isolated from the preload, and able to reach main only through the
 * preload's window.mis. Kept outside main/electron/ so that it is tested in plain Node;
 * main/electron/window.ts checks it against Electron's WebPreferences type.
 */
export function hardenedWebPreferences(preloadPath: string, devTools: boolean) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    devTools,
  } as const;
}
