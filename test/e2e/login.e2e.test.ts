import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWebApp } from '../../main/web/start';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { startWebStation } from '../support/web-station';

const PASSWORD = 'morning shift at the counter';
const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

describe('logging in, locking and unlocking in a real Chromium (headless shell)', () => {
  let browser: Browser;
  let webApp: RunningWebApp;

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    webApp = await startWebStation({
      stationId: 'BIH-E2E-02',
      officer: { id: 'e2e-officer', name: 'Synthetic Counter Officer', username: 'counter.one', badgeNumber: 'B-2001', role: 'officer' },
      password: PASSWORD,
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
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.fill('input[name="password"]', PASSWORD);
    await page.press('input[name="password"]', 'Enter');
    await page.waitForSelector('[data-testid="officer-bar"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="officer-name"]')).toContain('Synthetic Counter Officer · B-2001 · Officer');
    // An officer's navigation: the counter's workflows and the station, no shift view or settings; Alt+4 opens the station's page.
    expect(await page.$$eval('nav button', (buttons) => buttons.map((button) => button.getAttribute('data-testid')))).toEqual(['nav-registration', 'nav-border', 'nav-search', 'nav-status']);
    expect(await page.textContent('[data-testid="nav-status"]')).toBe('Station Alt+4');
    await page.keyboard.press('Alt+4');
    await page.waitForSelector('[data-testid="nav-status"][aria-current="page"]');
    expect(await page.textContent('[data-testid="status-officer"]')).toBe('Synthetic Counter Officer (officer)');
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await page.$('[data-testid="login-form"]')).toBeNull();

    await page.click('[data-testid="lock-button"]');
    await page.waitForSelector('[data-testid="unlock-form"]', { timeout: 15_000 });
    await page.screenshot({ path: join(screenshotDir, 'screen-locked.png') });
    expect(await seriousAxeViolations(page)).toEqual([]);
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
