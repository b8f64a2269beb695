import { describe, expect, it } from 'vitest';
import { hardenedWebPreferences } from './window-policy';

describe('the window policy', () => {
  it('isolates the renderer in a sandbox with no Node and no webview', () => {
    expect(hardenedWebPreferences('/app/preload.cjs', false)).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
  });
});
