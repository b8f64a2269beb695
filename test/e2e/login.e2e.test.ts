import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivePasswordHash } from '../../domain/identity';
import { scryptDerive } from '../../main/auth/scrypt';
import { silentLogger } from '../../main/log';
import { startWebApp, type RunningWebApp } from '../../main/web/start';
import { launchChromium } from '../support/browser';
import { eventually } from '../support/sync-rig';

const PASSWORD = 'morning shift at the counter';
const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

describe('logging in, locking and unlocking in a real Chromium (headless shell)', () => {
  let browser: Browser;
  let webApp: RunningWebApp;

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    // No server: the officer was pulled earlier; the login is checked on the station alone.
    webApp = await startWebApp({ stationId: 'BIH-E2E-02', serverUrl: null, dataDir: mkdtempSync(join(tmpdir(), 'mis-e2e-login-')), probeIntervalMs: 60_000 }, silentLogger);
    await eventually(() => webApp.main.services.store() !== null, 'the store opens');
    await webApp.main.services.store()!.database.officers.insert({
      id: 'e2e-officer',
      name: 'Synthetic Counter Officer',
      username: 'counter.one',
      badgeNumber: 'B-2001',
      role: 'officer',
      passwordHash: await derivePasswordHash(PASSWORD, randomBytes(16), scryptDerive),
      mustChangePassword: false,
      stationIds: ['BIH-E2E-02'],
      active: true,
      updatedAt: Date.now(),
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await webApp?.stop();
  });

  it('refuses a wrong password in words, logs in with the right one, locks and unlocks', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(webApp.shell.url);

    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    // Keyboard only: the username field has the focus.
    await page.keyboard.type('counter.one');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not my password');
    await page.keyboard.press('Enter');
    const refusal = await page.waitForSelector('[data-testid="session-error"]', { timeout: 15_000 });
    expect(await refusal.getAttribute('data-code')).toBe('LOGIN_FAILED');
    expect(await refusal.textContent()).toBe('Wrong username or password.');
    await page.screenshot({ path: join(screenshotDir, 'login-refused.png') });

    await page.fill('input[name="password"]', PASSWORD);
    await page.press('input[name="password"]', 'Enter');
    await page.waitForSelector('[data-testid="officer-bar"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="officer-name"]')).toContain('Synthetic Counter Officer · B-2001 · officer');
    expect(await page.textContent('[data-testid="status-officer"]')).toBe('Synthetic Counter Officer (officer)');
    expect(await page.$('[data-testid="login-form"]')).toBeNull();

    await page.click('[data-testid="lock-button"]');
    await page.waitForSelector('[data-testid="unlock-form"]', { timeout: 15_000 });
    await page.screenshot({ path: join(screenshotDir, 'screen-locked.png') });
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="lock-button"]', { timeout: 15_000 });

    await page.click('[data-testid="logout-button"]');
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    const actions = (await webApp.main.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => entry.action);
    expect(actions).toEqual(['login.failed', 'login', 'session.lock', 'session.unlock', 'logout']);
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
