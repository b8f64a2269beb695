import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWebApp } from '../../main/web/start';
import { launchChromium } from '../support/browser';
import { startWebStation } from '../support/web-station';

const PASSWORD = 'border post at dawn';
const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');
const SPECIMEN = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

describe('readers in a real Chromium: a training reader and a keyboard-wedge reader', () => {
  let browser: Browser;
  let webApp: RunningWebApp;

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    webApp = await startWebStation({
      stationId: 'BIH-E2E-03',
      officer: { id: 'e2e-border', name: 'Synthetic Border Officer', username: 'border.one', badgeNumber: 'B-3001', role: 'officer' },
      password: PASSWORD,
      devices: {
        devices: [
          { id: 'training', label: 'Training reader', protocol: 'training', address: { transport: 'simulator' }, enabled: true },
          { id: 'wedge', label: 'Desk reader (keyboard)', protocol: 'mrz-keyboard-wedge', address: { transport: 'keyboard-wedge' }, enabled: true },
        ],
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await webApp?.stop();
  });

  it('shows each device, fills in a training document, and takes a wedge burst without it landing in a field', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(webApp.shell.url);
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    await page.fill('input[name="username"]', 'border.one');
    await page.fill('input[name="password"]', PASSWORD);
    await page.press('input[name="password"]', 'Enter');
    await page.click('[data-testid="nav-status"]');
    await page.waitForSelector('[data-testid="device-training"][data-state="ready"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="device-wedge"][data-state="ready"]');

    await page.screenshot({ path: join(screenshotDir, 'devices-reading.png') });
    // A document read on the station's page opens the counter registration (a police station's workflow) with it.
    await page.click('[data-testid="device-training"] button');
    await page.waitForSelector('[data-testid="nav-registration"][aria-current="page"]', { timeout: 15_000 });
    await page.waitForSelector('[data-testid="scan-announcement"]:has-text("Document read")');
    const training = await page.textContent('[data-testid="scan-announcement"]');

    // A keyboard-wedge reader types the zone in a burst while the password change field has the focus.
    await page.click('text=Change password');
    await page.focus('input[name="currentPassword"]');
    for (const line of SPECIMEN) {
      await page.keyboard.type(line, { delay: 3 });
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector(`[data-testid="scan-announcement"]:not(:text-is(${JSON.stringify(training ?? '')}))`, { timeout: 15_000 });
    expect(await page.textContent('[data-testid="scan-announcement"]')).toBe('Document read: L898902C3 (UTO)');
    expect(await page.inputValue('input[name="currentPassword"]')).toBe('');
    // A person typing slowly into the same field keeps every key (the scan moved the focus to the registration form it filled).
    await page.focus('input[name="currentPassword"]');
    await page.keyboard.type('slow typing', { delay: 120 });
    expect(await page.inputValue('input[name="currentPassword"]')).toBe('slow typing');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
