import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { derivePasswordHash } from '../../domain/identity';
import { syntheticCrossing, syntheticRegistration, syntheticSource, type Crossing, type Officer, type Registration } from '../../domain/records';
import { composeMain, type MainProcess } from '../../main/compose';
import { scryptDerive } from '../../main/auth/scrypt';
import { silentLogger } from '../../main/log';
import { fileKeyVault } from '../../main/store/database-key';
import { stationStoreFiles } from '../../main/store/station-files';
import { stationCredentialFormat } from '../../main/sync/station-credential';
import type { RunningWebApp } from '../../main/web/start';
import { importReference } from '../../sync-server/reference/import';
import { addStation } from '../../sync-server/reference/stations';
import { openRepository } from '../../sync-server/store/open';
import type { SyncRepository } from '../../sync-server/store/repository';
import { seriousAxeViolations } from '../support/axe';
import { launchChromium } from '../support/browser';
import { freePort } from '../support/free-port';
import { eventually, startServer, type RunningServer } from '../support/sync-rig';
import { startWebStation } from '../support/web-station';

const STATION = 'BIH-SHIFT-E2E';
const PASSWORD = 'end of the evening shift';
const HOUR = 3_600_000;
const screenshotDir = join(process.cwd(), 'dist', 'test-artifacts');

async function serverOfficer(id: string, role: Officer['role']): Promise<Officer> {
  return {
    id,
    name: `Synthetic ${role === 'supervisor' ? 'Shift Supervisor' : 'Counter Officer'}`,
    username: id,
    badgeNumber: role === 'supervisor' ? 'B-9001' : 'B-9002',
    role,
    passwordHash: await derivePasswordHash(PASSWORD, randomBytes(16), scryptDerive),
    mustChangePassword: false,
    stationIds: [STATION],
    active: true,
    updatedAt: Date.now(),
  };
}

/** A server repository (SQLite) that knows the station and its two officers; the credential the station uses. */
async function serverData(): Promise<{ repository: SyncRepository; token: string; supervisor: Officer; counterOfficer: Officer }> {
  const repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-e2e-shift-server-')) });
  const { token } = await addStation(repository, { id: STATION, name: 'Synthetic Police Station Centar', kind: 'police-station', municipality: 'Sarajevo' }, Date.now());
  const supervisor = await serverOfficer('shift.supervisor', 'supervisor');
  const counterOfficer = await serverOfficer('counter.officer', 'officer');
  await importReference(repository, 'officers', [supervisor, counterOfficer]);
  return { repository, token, supervisor, counterOfficer };
}

/** Whether the server holds a station record, asked as the station asks it. */
async function serverHas(server: RunningServer, token: string, collection: string, id: string): Promise<boolean> {
  const response = await fetch(`${server.url}/sync/${collection}/pull?after=0&limit=500`, { headers: { authorization: `Bearer ${token}` } });
  const page = (await response.json()) as { documents: { id: string }[] };
  return page.documents.some((document) => document.id === id);
}

async function tableOf(page: Page, testId: string): Promise<[string, string][]> {
  return page.$$eval(`[data-testid="${testId}-table"] tbody tr`, (rows) => rows.map((row) => [row.querySelector('th')?.textContent ?? '', row.querySelector('td')?.textContent ?? ''] as [string, string]));
}

describe('the supervisor syncing the shift against a real sync server, in a real Chromium', () => {
  let browser: Browser;
  let webApp: RunningWebApp;
  let server: RunningServer | undefined;
  let repository: SyncRepository;
  let token: string;
  let serverPort = 0;
  const seededRegistrations: Registration[] = [];
  const seededCrossings: Crossing[] = [];

  beforeAll(async () => {
    mkdirSync(screenshotDir, { recursive: true });
    const data = await serverData();
    repository = data.repository;
    token = data.token;
    // The server's address is known, but it is not running yet: the shift's records wait on the station.
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-e2e-shift-station-'));
    writeFileSync(stationStoreFiles(dataDir).credentialFile, `${token}\n`, { mode: 0o600 });
    const source = syntheticSource(21, { stationId: STATION, officerIds: [data.counterOfficer.id] });
    const now = Date.now();
    const officerId = data.counterOfficer.id;
    const registration = (nationality: string, minutesAgo: number): Registration => {
      const made = syntheticRegistration(source);
      const at = now - minutesAgo * 60_000;
      return { ...made, officerId, updatedBy: officerId, createdAt: at, updatedAt: at, registeredAt: at, person: { ...made.person, nationality } };
    };
    const crossing = (nationality: string, minutesAgo: number, decision: Crossing['decision'], watchlist: 'passed' | 'failed' = 'passed'): Crossing => {
      const made = syntheticCrossing(source);
      const at = now - minutesAgo * 60_000;
      return { ...made, officerId, createdAt: at, occurredAt: at, person: { ...made.person, nationality }, decision, checks: [{ check: 'watchlist', severity: watchlist === 'failed' ? 'critical' : 'info', outcome: watchlist }] };
    };
    seededRegistrations.push(registration('DEU', 130), registration('DEU', 125), registration('AUT', 20));
    seededCrossings.push(
      crossing('SRB', 200, { outcome: 'admitted' }),
      crossing('SRB', 190, { outcome: 'refused', reasons: ['C', 'E'] }),
      crossing('MNE', 30, { outcome: 'refused', reasons: ['H'] }, 'failed'),
    );
    webApp = await startWebStation({
      stationId: STATION,
      officer: data.supervisor,
      password: PASSWORD,
      serverUrl: `http://127.0.0.1:${port}`,
      dataDir,
      seed: async (database) => {
        await database.registrations.bulkInsert(seededRegistrations);
        await database.crossings.bulkInsert(seededCrossings);
      },
    });
    serverPort = port;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await webApp?.stop();
    await server?.app.close();
    await repository?.close();
  });

  it('shows what is unsent and why, syncs with a progress bar to nothing unsent, and charts the shift', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(webApp.shell.url);
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    await page.keyboard.type('shift.supervisor');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="officer-bar"]', { timeout: 15_000 });
    // A supervisor's navigation has the shift view as its fourth screen.
    await page.keyboard.press('Alt+4');
    await page.waitForSelector('[data-testid="screen-shift"]');

    // The server is not running: the records wait, and the list says why.
    await page.waitForSelector('[data-testid="shift-unsent-row"][data-collection="crossings"]:not([data-reason="waiting"])', { timeout: 30_000 });
    const unsentBefore = Number(await page.getAttribute('[data-testid="shift-unsent"]', 'data-total'));
    // The 6 records seeded, plus the supervisor's login in the audit trail.
    expect(unsentBefore).toBeGreaterThanOrEqual(7);
    expect(await page.$$eval('[data-testid="shift-unsent-row"][data-collection="registrations"]', (rows) => rows.length)).toBe(3);
    // Each row gives its collection's last failure (the server cannot be reached), not "goes with the next sync".
    expect(await page.$$eval('[data-testid="shift-unsent-row"][data-reason="waiting"]', (rows) => rows.length)).toBe(0);
    expect(await page.getAttribute('[data-testid="shift-progress"]', 'data-phase')).toBe('idle');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'shift-unsent-en.png'), fullPage: true });

    // The conflict log lives on the server: offline, the screen says so in words.
    await page.keyboard.press('Alt+K');
    expect(await (await page.waitForSelector('[data-testid="shift-conflicts-offline"]', { timeout: 30_000 })).textContent()).toContain('cannot be reached now');

    server = await startServer(repository, serverPort);
    await page.keyboard.press('Alt+S');
    const progress = await page.waitForSelector('[data-testid="shift-progress"][data-phase="done"][data-left="0"]', { timeout: 60_000 });
    expect(Number(await progress.getAttribute('data-total'))).toBeGreaterThanOrEqual(unsentBefore);
    expect(await progress.getAttribute('value')).toBe('100');
    await page.waitForSelector('[data-testid="shift-unsent-none"]', { timeout: 15_000 });
    expect(await page.textContent('[data-testid="shift-progress-text"]')).toBe('Sync finished: everything recorded here is on the central server.');
    expect(await page.getAttribute('[data-testid="sync-indicator"]', 'data-pending')).toBe('0');
    for (const registration of seededRegistrations) expect(await serverHas(server, token, 'registrations', registration.id)).toBe(true);
    for (const crossing of seededCrossings) expect(await serverHas(server, token, 'crossings', crossing.id)).toBe(true);

    // Online now, the conflict log opens (and it is empty).
    await page.keyboard.press('Alt+K');
    await page.waitForSelector('[data-testid="shift-conflicts-none"]', { timeout: 15_000 });

    // The shift's numbers, read from the charts' table alternatives.
    expect(await tableOf(page, 'chart-registrations-nationality')).toEqual([
      ['DEU', '2'],
      ['AUT', '1'],
    ]);
    expect(await tableOf(page, 'chart-crossings-nationality')).toEqual([
      ['SRB', '2'],
      ['MNE', '1'],
    ]);
    const refusals = Object.fromEntries((await tableOf(page, 'chart-refusals')).map(([label, count]) => [label.slice(0, 1), count]));
    expect(refusals).toEqual({ A: '0', B: '0', C: '1', D: '0', E: '1', F: '0', G: '0', H: '1', I: '0' });
    expect((await tableOf(page, 'chart-watchlist'))[0]).toEqual(['Crossings with a watchlist hit', '1']);
    const registrationsByHour = (await tableOf(page, 'chart-registrations-hour')).map(([, count]) => Number(count));
    expect(registrationsByHour).toHaveLength(13);
    expect(registrationsByHour.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(await page.textContent('[data-testid="tile-refused"]')).toContain('2');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'shift-en.png'), fullPage: true });

    // In print, the report alone: the sync panel, the unsent list and the conflicts are hidden.
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('[data-testid="shift-report"]')).toBe(true);
    expect(await page.isVisible('[data-testid="shift-sync"]')).toBe(false);
    expect(await page.isVisible('[data-testid="shift-conflicts"]')).toBe(false);
    expect(await page.isVisible('[data-testid="frame-bar"]')).toBe(false);
    expect(await page.textContent('[data-testid="shift-report"]')).toContain('Synthetic Shift Supervisor');
    await page.emulateMedia({ media: 'screen' });

    await page.getByLabel('Language').selectOption('sr-Cyrl');
    await page.waitForSelector('text=Синхронизуј сада');
    expect(await tableOf(page, 'chart-registrations-nationality')).toEqual([
      ['DEU', '2'],
      ['AUT', '1'],
    ]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshotDir, 'shift-sr-Cyrl.png'), fullPage: true });
    await page.getByLabel('Језик').selectOption('en');
    expect(pageErrors).toEqual([]);
    await page.close();
    // A slow machine shared with other work: the whole walk through takes 15-40 s there.
  }, 120_000);
});

describe('the unsent list against a real sync server (main, without a browser)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function stationAgainst(serverUrl: string, stationToken: string): Promise<MainProcess> {
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-e2e-shift-main-'));
    const files = stationStoreFiles(dataDir);
    writeFileSync(files.credentialFile, `${stationToken}\n`, { mode: 0o600 });
    const main = composeMain({ stationId: STATION, serverUrl, dataDir, probeIntervalMs: 60_000 }, silentLogger, {
      keyVault: fileKeyVault(files.keyFile),
      credentialVault: fileKeyVault(files.credentialFile, stationCredentialFormat),
    });
    cleanups.push(() => main.stop());
    main.start();
    await eventually(() => main.services.store() !== null, 'the store opens');
    return main;
  }

  it('says the server refused a record, with its id, while the rest of the shift went through', async () => {
    const data = await serverData();
    const running = await startServer(data.repository);
    cleanups.push(async () => {
      await running.app.close();
      await data.repository.close();
    });
    const main = await stationAgainst(running.url, data.token);
    const source = syntheticSource(5, { stationId: STATION, officerIds: [data.counterOfficer.id] });
    const good = syntheticRegistration(source);
    // RxDB's schema lets it in; the server's rule does not: a cancelled registration must say why.
    const broken = { ...syntheticRegistration(source), status: 'cancelled' as const };
    await main.services.store()!.database.registrations.bulkInsert([good, broken]);
    await eventually(async () => (await main.services.store()!.database.registrations.findOne(good.id).exec())?.receivedAt !== 0, 'the good registration is confirmed');
    await eventually(() => main.services.sync.status().failures.some((failure) => failure.recordId === broken.id), 'the server refuses the broken one');

    const unsent = await main.services.shift.unsent();
    expect(unsent.collections.find((collection) => collection.collection === 'registrations')?.pending).toBe(1);
    expect(unsent.records).toEqual([
      { collection: 'registrations', id: broken.id, officerId: broken.officerId, createdAt: broken.createdAt, changedAt: broken.updatedAt, reason: expect.objectContaining({ code: 'RECORD_INVALID', refused: true }) },
    ]);
    expect(await serverHas(running, data.token, 'registrations', good.id)).toBe(true);
    expect(await serverHas(running, data.token, 'registrations', broken.id)).toBe(false);
  }, 60_000);

  it('gives the collection’s last failure for every record waiting while the server cannot be reached', async () => {
    const data = await serverData();
    cleanups.push(() => data.repository.close());
    const main = await stationAgainst(`http://127.0.0.1:${await freePort()}`, data.token);
    const source = syntheticSource(6, { stationId: STATION, officerIds: [data.counterOfficer.id] });
    await main.services.store()!.database.crossings.insert(syntheticCrossing(source, { createdAt: Date.now() - HOUR }));
    await eventually(() => main.services.sync.status().collections.some((collection) => collection.collection === 'crossings' && collection.lastFailure !== null), 'the push fails');
    const unsent = await main.services.shift.unsent();
    expect(unsent.syncState).toBe('failing');
    expect(unsent.records).toHaveLength(1);
    // The collection's last failure as sync reported it (it changes with every retry, so it is not compared whole).
    expect(unsent.records[0]!.reason).toMatchObject({ refused: false, message: expect.stringContaining('The server cannot be reached') });
  }, 60_000);
});
