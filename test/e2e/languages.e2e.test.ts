import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log';
import { startWebApp, type RunningWebApp } from '../../main/web/start';
import { launchChromium } from '../support/browser';
import { eventually } from '../support/sync-rig';

const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

describe('choosing the language and script in a real Chromium (headless shell)', () => {
  let browser: Browser;
  let webApp: RunningWebApp;

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    webApp = await startWebApp({ stationId: 'BIH-E2E-03', serverUrl: null, dataDir: mkdtempSync(join(tmpdir(), 'mis-e2e-languages-')), probeIntervalMs: 60_000 }, silentLogger);
    await eventually(() => webApp.main.services.store() !== null, 'the store opens');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await webApp?.stop();
  });

  it('switches the login screen to Serbian Cyrillic by its labelled select and remembers the choice', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(webApp.shell.url);
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    expect(await page.textContent('#session-title')).toBe('Log in');

    // The select is reached by its label, as a screen reader or the keyboard would.
    await page.getByLabel('Language').focus();
    await page.getByLabel('Language').selectOption('sr-Cyrl');
    await page.waitForSelector('html[lang="sr-Cyrl"]', { state: 'attached', timeout: 15_000 });

    expect(await page.textContent('#session-title')).toBe('Пријава');
    const labels = await page.$$eval('[data-testid="login-form"] label', (nodes) => nodes.map((node) => node.textContent?.trim()));
    expect(labels).toEqual(['Корисничко име', 'Лозинка']);
    expect(await page.textContent('[data-testid="login-form"] button[type="submit"]')).toBe('Пријави се');
    expect(await page.textContent('#status-title')).toBe('Стање станице');
    expect(await page.textContent('[data-testid="connection-indicator"]')).toContain('Нема сервера');
    await page.screenshot({ path: join(screenshotDir, 'login-sr-Cyrl.png') });

    await page.reload();
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    expect(await page.textContent('#session-title')).toBe('Пријава');
    expect(await page.inputValue('[data-testid="language-select"]')).toBe('sr-Cyrl');
    expect(pageErrors).toEqual([]);
  });
});
