import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWebApp } from '../../main/web/start';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { startWebStation } from '../support/web-station';

const PASSWORD = 'keys to the server room';
const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
  await page.keyboard.type('it.admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForSelector('nav button', { timeout: 15_000 });
}

describe('the frame and the settings for IT staff, in a real Chromium', () => {
  let browser: Browser;
  let webApp: RunningWebApp;

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    webApp = await startWebStation({
      stationId: 'BIH-E2E-07',
      officer: { id: 'e2e-admin', name: 'Synthetic IT Officer', username: 'it.admin', badgeNumber: 'IT-0007', role: 'admin' },
      password: PASSWORD,
      devices: {
        devices: [{ id: 'training', label: 'Training reader', protocol: 'training', address: { transport: 'simulator' }, enabled: true }],
      },
      seed: async (database) => {
        await database.stations.insert({ id: 'BIH-E2E-07', name: 'Synthetic Border Post Seven', kind: 'border-crossing', municipality: 'Synthetic Municipality', crossingPointCode: 'SBP7', updatedAt: Date.now() });
        await database.codeLists.insert({ id: 'rules|2020-amendment', list: 'rules', code: '2020-amendment', labels: { en: 'Amendment' }, validFrom: '2020-01-01', extra: { registration: { commercialDeadlineHours: 24 } }, updatedAt: Date.now() });
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await webApp?.stop();
  });

  it('shows an admin every screen by Alt+number, opens a border station on border control, and keeps the state bar in view', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(page, webApp.shell.url);
    // A border crossing's officers start on border control.
    await page.waitForSelector('[data-testid="nav-border"][aria-current="page"]', { timeout: 15_000 });
    expect(await page.$$eval('nav button', (buttons) => buttons.map((button) => button.textContent))).toEqual([
      'Registration Alt+1',
      'Border control Alt+2',
      'Search Alt+3',
      'Shift Alt+4',
      'Settings Alt+5',
      'Station Alt+6',
    ]);
    for (const [key, screen] of [['Alt+1', 'registration'], ['Alt+3', 'search'], ['Alt+4', 'shift'], ['Alt+6', 'status'], ['Alt+5', 'settings']] as const) {
      await page.keyboard.press(key);
      await page.waitForSelector(`[data-testid="nav-${screen}"][aria-current="page"]`);
    }
    expect(await page.getAttribute('[data-testid="connection-badge"]', 'data-state')).toBe('not-configured');
    expect(await page.getAttribute('[data-testid="sync-indicator"]', 'data-state')).toBe('not-configured');
    expect(await page.textContent('[data-testid="settings-name"]')).toBe('Synthetic Border Post Seven');
    expect(await page.textContent('[data-testid="settings-kind"]')).toBe('Border crossing point');
    expect(await page.textContent('[data-testid="settings-crossing-point"]')).toBe('SBP7');
    // Which rules the station works by: IT staff see that an amendment has arrived.
    await page.waitForSelector('[data-testid="settings-rules"]:text-is("Entry 2020-amendment of the rules code list")');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('test-reads the reader on the settings screen without leaving it, saves device settings with Alt+S, and passes axe in English and Serbian Cyrillic', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await logIn(page, webApp.shell.url);
    await page.keyboard.press('Alt+5');
    await page.waitForSelector('[data-testid="device-state-training"][data-state="ready"]', { timeout: 15_000 });

    await page.click('[data-testid="device-state-training"] button');
    const testRead = await page.waitForSelector('[data-testid="test-read-training"][data-valid="true"]', { timeout: 15_000 });
    expect(await testRead.textContent()).toMatch(/^Read [A-Z0-9<]+ \([A-Z<]{3}\) · /);
    // The document stayed on the settings screen: nothing was routed to a workflow.
    expect(await page.getAttribute('[data-testid="nav-settings"]', 'aria-current')).toBe('page');

    await page.getByLabel('Name shown to officers').fill('Training reader, counter 2');
    await page.keyboard.press('Alt+S');
    await page.waitForSelector('[data-testid="devices-saved"]', { timeout: 15_000 });
    const saved = JSON.parse(readFileSync(join(webApp.main.services.config.dataDir, 'devices.json'), 'utf8')) as { devices: { label: string }[] };
    expect(saved.devices.map((device) => device.label)).toEqual(['Training reader, counter 2']);
    const actions = (await webApp.main.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => entry.action);
    expect(actions).toContain('config.devices');

    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'settings-en.png'), fullPage: true });

    await page.selectOption('[data-testid="settings-language-select"]', 'sr-Cyrl');
    await page.waitForSelector('html[lang="sr-Cyrl"]', { state: 'attached' });
    expect(await page.textContent('#screen-title')).toBe('Подешавања');
    expect(await page.textContent('[data-testid="nav-settings"]')).toBe('Подешавања Alt+5');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'settings-sr-Cyrl.png'), fullPage: true });
    // The check can fail: a field without a label is a serious violation.
    await page.evaluate(`document.querySelector('[data-testid="screen-settings"]').append(document.createElement('input'))`);
    expect((await seriousAxeViolations(page)).map((violation) => violation.id)).toContain('label');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
