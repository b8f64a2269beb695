import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log';
import { startWebApp, type RunningWebApp } from '../../main/web/start';
import { buildSyncServer } from '../../sync-server/app';
import { openRepository } from '../../sync-server/store/open';
import { launchChromium } from '../support/browser';
import { freePort } from '../support/free-port';

export const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

async function indicatorState(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`[data-testid="connection-indicator"][data-state="${state}"]`, { timeout: 15_000 });
}

describe('the station status screen in a real Chromium (headless shell)', () => {
  let browser: Browser;
  let webApp: RunningWebApp;
  let syncServer: FastifyInstance | undefined;
  let serverPort: number;

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    serverPort = await freePort();
    webApp = await startWebApp(
      { stationId: 'BIH-E2E-01', serverUrl: `http://127.0.0.1:${serverPort}`, dataDir: mkdtempSync(join(tmpdir(), 'mis-e2e-')), probeIntervalMs: 200 },
      silentLogger,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await syncServer?.close();
    await webApp?.stop();
  });

  it('shows the station offline, then online when the central server starts, then offline when it stops', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });

    await page.goto(webApp.shell.url);
    await indicatorState(page, 'offline');
    // The encrypted local store opens on first run, with a key made for this station.
    await page.waitForSelector('[data-testid="store-state"][data-state="open"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="status-station"]')).toBe('BIH-E2E-01');
    expect(await page.textContent('[data-testid="server-problem"]')).toContain('refused the connection');
    // The token leaves the address bar once the page has it.
    expect(new URL(page.url()).hash).toBe('');
    await page.screenshot({ path: join(screenshotDir, 'status-offline.png') });

    const repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-e2e-server-')) });
    syncServer = await buildSyncServer({ repository, logger: false });
    syncServer.addHook('onClose', () => repository.close());
    await syncServer.listen({ host: '127.0.0.1', port: serverPort });
    await indicatorState(page, 'online');
    expect(await page.textContent('[data-testid="connection-indicator"]')).toContain('Online');
    await page.screenshot({ path: join(screenshotDir, 'status-online.png') });

    await syncServer.close();
    syncServer = undefined;
    await indicatorState(page, 'offline');

    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('keeps its place after a reload: the token stays with the tab, not in the address', async () => {
    const page = await browser.newPage();
    await page.goto(webApp.shell.url);
    await page.waitForSelector('[data-testid="connection-indicator"]');
    await page.reload();
    await page.waitForSelector('[data-testid="connection-indicator"]', { timeout: 15_000 });
    await page.close();
  });

  it('tells the officer how to get in when the page is opened without the launch token', async () => {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${webApp.shell.port}/`);
    const problem = await page.waitForSelector('[data-testid="app-problem"]');
    expect(await problem.textContent()).toContain('npm run start:web');
    expect(await page.$('[data-testid="connection-indicator"]')).toBeNull();
    await page.close();
  });

  it('cannot open the API socket from a page of another origin, even knowing the port', async () => {
    const page = await browser.newPage();
    // about:blank has an opaque origin: a stand-in for any other page in the officer's browser.
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(url);
          socket.onopen = () => resolve('opened');
          socket.onerror = () => resolve('refused');
        }),
      `ws://127.0.0.1:${webApp.shell.port}/api?token=${webApp.shell.token}`,
    );
    expect(outcome).toBe('refused');
    await page.close();
  });
});
