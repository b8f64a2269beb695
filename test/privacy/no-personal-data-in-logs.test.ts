import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURPOSES_LIST, codeListEntryId, type Registration } from '../../domain/records';
import { SYNTHETIC_PURPOSES } from '../../domain/records/synthetic';
import type { WireDocument } from '../../domain/sync';
import { wsPath, wsTokenParameter } from '../../main/api/ws-protocol';
import { openStationStore } from '../../main/services/station-store';
import { fileKeyVault } from '../../main/store/database-key';
import { stationStoreFiles } from '../../main/store/station-files';
import { SyncClient, type ServerConflict } from '../../main/sync/sync-client';
import { launchChromium } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { eventually } from '../support/sync-rig';
import { exchange, tryConnect } from '../support/ws-client';
import { describeLeaks, findLeaks, type Needle } from './leak-search';
import { OutputCapture, expectStatus, runScript, textFilesUnder } from './output-capture';
import {
  NEW_PASSWORD,
  WRONG_PASSWORD,
  amendedAtStation,
  correctedCentrally,
  garbledMrz,
  invalidRegistration,
  invalidWatchlistCsv,
  officer,
  personalDataNeedles,
  traveller,
  travellerCrossing,
  travellerRegistration,
  watchlistCsv,
} from './seeded-people';
import { startStationProcess, type StationProcess } from './station-process';
import { shownOnce } from '../support/cli-output';

/**
 * The workflows of this release run for real, in the processes production runs (the
 * sync server and `npm run start:web`'s station as child processes, the renderer in a
 * Chromium, the administrators' commands), with a traveller and an officer whose
 * details are distinctive strings; then every stream they printed, every log or text
 * file in their data folders and temporary folder, and the browser's console are
 * searched for those details and for the passwords and credentials of the run.
 */

const STATION = 'BIH-PRIVACY-01';
const rendererIndex = join(process.cwd(), 'dist', 'renderer', 'index.html');

/** A counter of the server's /metrics, summed over the series whose labels include `labels`. */
async function metric(serverUrl: string, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${serverUrl}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** Types into the login form and sends it; a refusal shown before is gone once the form is sent. */
async function logIn(page: Page, username: string, password: string): Promise<void> {
  const earlierRefusal = await page.$('[data-testid="session-error"]');
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.press('input[name="password"]', 'Enter');
  await earlierRefusal?.waitForElementState('hidden', { timeout: 15_000 });
}

describe('no personal data in any log', () => {
  const capture = new OutputCapture();
  const root = mkdtempSync(join(tmpdir(), 'mis-privacy-'));
  const dirs = { server: join(root, 'server-data'), station: join(root, 'station-data'), tmp: join(root, 'tmp'), input: join(root, 'input') };
  // Every process of the run gets a temporary folder of its own, searched at the end like
  // the data folders; tsx's compile cache is linked in so that they start as fast as usual.
  const uid = process.geteuid?.() ?? 0;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dirs.tmp, MIS_SERVER_DATA: dirs.server };
  const secrets = { oneTimePassword: '', stationCredential: '', adminCredential: '' };
  const evidence = {
    conflicts: [] as ServerConflict[],
    audit: [] as WireDocument[],
    refusedRegistrationPushes: 0,
    refusedCorrection: 0,
    refusedImport: 0,
    refusedOfficer: 0,
    alertsPulled: 0,
    crossingsOnServer: 0,
    loginRefusal: '',
    officerBar: '',
    malformedMessage: '',
    unknownRequest: '',
    conflictLogNamesTraveller: false,
    registrationWorkflow: [] as string[],
  };
  let server: ServerProcess | undefined;
  let station: StationProcess | undefined;
  let browser: Browser | undefined;

  const serverCommand = async (name: string, args: string[], options: { expected?: number; shownOnPurpose?: string[] } = {}) =>
    expectStatus(await runScript(capture, name, 'sync-server/cli.ts', args, { env: childEnv, stdoutShownOnPurpose: options.shownOnPurpose ?? [] }), name, options.expected);

  /** The administrator's commands, in the order IT staff type them; returns the officer's id. */
  async function runAdministratorCommands(): Promise<string> {
    writeFileSync(join(dirs.input, 'watchlist.csv'), watchlistCsv());
    writeFileSync(join(dirs.input, 'watchlist-bad.csv'), invalidWatchlistCsv());
    // The purposes of stay, without which a station cannot register anybody.
    writeFileSync(join(dirs.input, 'purposes.json'), JSON.stringify(SYNTHETIC_PURPOSES.map((code) => ({ id: codeListEntryId(PURPOSES_LIST, code), list: PURPOSES_LIST, code, labels: { en: code } }))));
    const added = await serverCommand('add-station', ['add-station', '--id', STATION, '--name', 'Privacy check station', '--kind', 'border-crossing', '--municipality', 'Bihać', '--crossing-point', 'IZ'], {
      shownOnPurpose: ['station credential', 'station credential secret'],
    });
    secrets.stationCredential = shownOnce(added.stdout, /credential/);
    const officerAdded = await serverCommand(
      'officer-add',
      ['officer-add', '--username', officer.username, '--name', officer.name, '--badge', officer.badge, '--role', officer.role, '--stations', STATION],
      { shownOnPurpose: ['one-time password', 'officer username'] },
    );
    secrets.oneTimePassword = shownOnce(officerAdded.stdout, /One-time password/);
    const adminShown = await serverCommand('admin-credential', ['admin-credential'], { shownOnPurpose: ['administrator credential', 'administrator credential secret'] });
    secrets.adminCredential = shownOnce(adminShown.stdout, /credential/);
    await serverCommand('import alerts', ['import', 'alerts', join(dirs.input, 'watchlist.csv')]);
    await serverCommand('import alerts (refused)', ['import', 'alerts', join(dirs.input, 'watchlist-bad.csv')], { expected: 1 });
    await serverCommand('import codeLists', ['import', 'codeLists', join(dirs.input, 'purposes.json')]);
    return /\(([^)]+)\)/.exec(officerAdded.stdout)![1]!;
  }

  /**
   * The station's process is production's own and its log is its stdout, so its store
   * cannot be reached while it runs (and there is no registration screen yet): the
   * records are saved in its store before it starts, as if before a restart, and its own
   * replication pushes them. The refusal and the conflict thus go through the station's
   * sync code and are logged by the station process as production logs them.
   */
  async function saveStationRecords(registration: Registration, officerId: string): Promise<void> {
    const files = stationStoreFiles(dirs.station);
    writeFileSync(files.credentialFile, `${secrets.stationCredential}\n`, { mode: 0o600 });
    const store = await openStationStore(dirs.station, fileKeyVault(files.keyFile));
    try {
      await store.database.registrations.bulkInsert([amendedAtStation(registration, officerId, registration.createdAt + 20_000), invalidRegistration(STATION, officerId, registration.createdAt + 30_000)]);
      await store.database.crossings.insert(travellerCrossing(STATION, officerId, registration.createdAt + 40_000));
    } finally {
      await store.close();
    }
  }

  /**
   * Earlier, the station had sent the first version of the registration (a push with its
   * credential, as its replication makes it); then the centre corrected it while the
   * station, offline, amended it too: a real conflict once the station is back. Then the
   * administrators' refusals: a correction, a watchlist and an officer with a wrong field.
   */
  async function correctCentrally(serverUrl: string, asStation: SyncClient, registration: Registration, officerId: string): Promise<void> {
    await asStation.push('registrations', [{ newDocumentState: { ...registration, _deleted: false } }]);
    const admin = { authorization: `Bearer ${secrets.adminCredential}`, 'content-type': 'application/json' };
    const put = (body: unknown) => fetch(`${serverUrl}/admin/registrations/${registration.id}`, { method: 'PUT', headers: admin, body: JSON.stringify(body) });
    expect((await put(correctedCentrally(registration, officerId, registration.createdAt + 10_000))).status).toBe(200);
    const badCorrection = { ...correctedCentrally(registration, officerId, registration.createdAt + 11_000), person: { ...registration.person, nationality: traveller.surname } };
    evidence.refusedCorrection = (await put(badCorrection)).status;
    evidence.refusedImport = (await fetch(`${serverUrl}/admin/import/alerts`, { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: invalidWatchlistCsv() })).status;
    const badOfficer = { username: `${officer.username}.two`, name: officer.name, badgeNumber: officer.badge, role: 'chief', stationIds: [STATION] };
    evidence.refusedOfficer = (await fetch(`${serverUrl}/admin/officers`, { method: 'POST', headers: admin, body: JSON.stringify(badOfficer) })).status;
  }

  /** At the counter: first login and password change, logout, the surname typed as a username, login again. */
  async function workAtTheCounter(page: Page, serverUrl: string): Promise<void> {
    await page.goto(station!.url);
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 20_000 });
    // The first login needs the officer on the station, which its first pull brings.
    await eventually(async () => (await metric(serverUrl, 'mis_pull_documents_total', 'collection="officers"')) > 0, 'the station pulls the officers');
    await eventually(async () => {
      await logIn(page, officer.username, secrets.oneTimePassword);
      const outcome = await page.waitForSelector('[data-testid="password-form"], [data-testid="session-error"]', { timeout: 15_000 });
      return (await outcome.getAttribute('data-testid')) === 'password-form';
    }, 'the one-time password is taken');
    await page.fill('input[name="currentPassword"]', secrets.oneTimePassword);
    await page.fill('input[name="newPassword"]', NEW_PASSWORD);
    await page.fill('input[name="repeated"]', NEW_PASSWORD);
    await page.press('input[name="repeated"]', 'Enter');
    await page.waitForSelector('[data-testid="officer-bar"]', { timeout: 20_000 });
    await page.click('[data-testid="logout-button"]');
    await page.waitForSelector('[data-testid="login-form"]', { timeout: 15_000 });
    // An officer copying from the passport into the wrong form: refused, neither logged nor audited.
    await logIn(page, traveller.surname, WRONG_PASSWORD);
    evidence.loginRefusal = (await (await page.waitForSelector('[data-testid="session-error"]', { timeout: 15_000 })).getAttribute('data-code')) ?? '';
    await logIn(page, officer.username, NEW_PASSWORD);
    evidence.officerBar = (await (await page.waitForSelector('[data-testid="officer-bar"]', { timeout: 20_000 })).textContent()) ?? '';
  }

  /**
   * The supervisor's conflict log, the one request of this release that answers with a
   * registration, asked over the station's API as the renderer asks; a malformed message
   * and an unknown request carrying the name go first. Closing the socket logs out.
   */
  async function readConflictLogOverApi(): Promise<void> {
    const launch = new URL(station!.url);
    const token = new URLSearchParams(launch.hash.slice(1)).get(wsTokenParameter)!;
    const socket = (await tryConnect(`ws://${launch.host}${wsPath}?${wsTokenParameter}=${token}`)).socket!;
    const malformed = await exchange(socket, `{"type":"request","id":1,"name":"auth.login","input":{"username":"${traveller.surname}"`, (reply) => reply.type === 'protocol-error');
    evidence.malformedMessage = (malformed.error as { code: string }).code;
    const unknown = await exchange(socket, { type: 'request', id: 2, name: `registrations.find.${traveller.surname}`, input: { surname: traveller.surname } }, (reply) => reply.id === 2);
    evidence.unknownRequest = (unknown.result as { error: { code: string } }).error.code;
    await exchange(socket, { type: 'request', id: 3, name: 'auth.login', input: { username: officer.username, password: NEW_PASSWORD } }, (reply) => reply.id === 3);
    const conflictLog = await exchange(socket, { type: 'request', id: 4, name: 'sync.conflicts', input: {} }, (reply) => reply.id === 4);
    evidence.conflictLogNamesTraveller = JSON.stringify(conflictLog).includes(traveller.surname);
    await eventually(async () => (await metric(server!.url, 'mis_pull_documents_total', 'collection="codeLists"')) > 0, 'the station pulls the purposes of stay');
    await registerAtTheCounterOverApi(socket);
    socket.close();
  }

  /**
   * The counter registration workflow over the same socket: the traveller's garbled zone
   * read (it finds the registration saved before), registered, opened, amended and
   * cancelled with a reason naming them, and a form refused with the name in a wrong field.
   */
  async function registerAtTheCounterOverApi(socket: Parameters<typeof exchange>[0]): Promise<void> {
    let id = 10;
    const call = async (name: string, input: unknown): Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string } }> => {
      const requestId = ++id;
      const reply = await exchange(socket, { type: 'request', id: requestId, name, input }, (message) => message.id === requestId);
      const result = reply.result as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
      evidence.registrationWorkflow.push(result.ok ? `${name} ok` : `${name} ${result.error!.code}`);
      return result;
    };
    const prepared = await call('registrations.prepare', { mrz: garbledMrz() });
    const earlier = (prepared.value?.earlier as { registrations: unknown[] } | undefined)?.registrations.length ?? 0;
    evidence.registrationWorkflow.push(earlier > 0 ? 'earlier registrations found' : 'no earlier registration');
    // The form as the officer fills it: the record's fields that are typed, the name key left to main.
    const { person: stored, document, address, accommodation, arrivalAt, plannedDepartureDate, purposeCode } = travellerRegistration(STATION, 'unused', Date.now());
    const person = { surname: stored.surname, givenNames: stored.givenNames, sex: stored.sex, birthDate: stored.birthDate, nationality: stored.nationality };
    const form = { person, document, address, accommodation, arrivalAt, plannedDepartureDate, purposeCode };
    const created = await call('registrations.create', form);
    const registrationId = ((created.value?.registration as { id: string } | undefined)?.id) ?? '';
    await call('registrations.get', { id: registrationId });
    await call('registrations.amend', { id: registrationId, expectedRevisionNumber: 1, changes: { address: { ...form.address, street: `${traveller.street} 2` } } });
    await call('registrations.cancel', { id: registrationId, expectedRevisionNumber: 2, reason: `${traveller.surname} ${traveller.givenNames} left for ${traveller.place}` });
    await call('registrations.create', { ...form, person: { ...person, nationality: traveller.surname } });
  }

  /** Waits until what the station did has reached the server (which also proves it ran). */
  async function awaitSync(serverUrl: string, asStation: SyncClient, officerId: string): Promise<void> {
    await eventually(async () => (evidence.conflicts = await asStation.conflicts(officerId)).length > 0, 'the conflict reaches the conflict log');
    await eventually(async () => (evidence.refusedRegistrationPushes = await metric(serverUrl, 'mis_push_batches_total', 'outcome="RECORD_INVALID"')) > 0, 'the server refuses the invalid registration');
    await eventually(async () => (evidence.crossingsOnServer = (await asStation.pull('crossings', 0, 10)).documents.length) > 0, 'the crossing reaches the server');
    await eventually(async () => (evidence.alertsPulled = await metric(serverUrl, 'mis_pull_documents_total', 'collection="alerts"')) > 0, 'the station pulls the watchlist');
  }

  async function awaitAuditTrail(asStation: SyncClient): Promise<void> {
    await eventually(async () => {
      evidence.audit = (await asStation.pull('audit', 0, 500)).documents;
      return evidence.audit.some((entry) => entry.action === 'conflicts.view') && evidence.audit.some((entry) => (entry.details as Record<string, string>).reason === 'window-closed');
    }, "the station's audit trail reaches the server");
  }

  /** The auditors' check of both trails, once both programs have stopped. */
  async function verifyAuditTrails(): Promise<void> {
    const [atStation, atServer] = await Promise.all([
      runScript(capture, 'audit:verify --station', 'scripts/audit-verify.ts', ['--station', dirs.station], { env: childEnv }),
      runScript(capture, 'audit:verify --server', 'scripts/audit-verify.ts', ['--server'], { env: childEnv }),
    ]);
    expectStatus(atStation, 'audit:verify --station');
    expectStatus(atServer, 'audit:verify --server');
  }

  beforeAll(async () => {
    // Like the other browser tests, this one fails rather than skips without the renderer:
    // `npm test` builds it first, and a privacy check that quietly skips checks nothing.
    if (!existsSync(rendererIndex)) throw new Error(`The renderer is not built (${rendererIndex} is missing): run npm run build:renderer first.`);
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    const tsxCache = join(tmpdir(), `tsx-${uid}`);
    mkdirSync(tsxCache, { recursive: true });
    symlinkSync(tsxCache, join(dirs.tmp, `tsx-${uid}`));

    // The reader test tool prints the document it read, by design: only its stderr is searched.
    const mrzRun = runScript(capture, 'npm run mrz', 'scripts/mrz-cli.ts', [], { env: childEnv, input: garbledMrz(), stdoutShownOnPurpose: personalDataNeedles.map((needle) => needle.label) });
    const browserStarted = launchChromium();
    const officerId = await runAdministratorCommands();
    expect((await mrzRun).status).toBe(0);

    const registration = travellerRegistration(STATION, officerId, Date.now() - 60_000);
    // The most detailed level the server has, so that every log call it makes prints.
    const serverSink = { stdout: capture.sink('sync server stdout'), stderr: capture.sink('sync server stderr') };
    const serverStarted = startServerProcess({ MIS_SERVER_DATA: dirs.server, LOG_LEVEL: 'trace', TMPDIR: dirs.tmp }, (stream, chunk) => serverSink[stream](chunk));
    await saveStationRecords(registration, officerId);
    server = await serverStarted;
    const asStation = new SyncClient({ serverUrl: server.url, token: secrets.stationCredential });
    await correctCentrally(server.url, asStation, registration, officerId);

    const stationSink = { stdout: capture.sink('station stdout'), stderr: capture.sink('station stderr') };
    station = await startStationProcess(
      { ...childEnv, MIS_DATA_DIR: dirs.station, MIS_STATION_ID: STATION, MIS_SERVER_URL: server.url, MIS_WEB_PORT: '0', MIS_LOG_LEVEL: 'trace', MIS_PROBE_INTERVAL_MS: '500' },
      (stream, chunk) => stationSink[stream](chunk),
    );
    browser = await browserStarted;
    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()} (${message.location().url})`));
    page.on('pageerror', (error) => consoleLines.push(`page error: ${error.message}\n${error.stack ?? ''}`));

    await workAtTheCounter(page, server.url);
    await awaitSync(server.url, asStation, officerId);
    await readConflictLogOverApi();
    await awaitAuditTrail(asStation);

    // The page stays open while the station stops: what the renderer prints then counts too.
    await station.stop();
    await page.close();
    await server.kill('SIGTERM');
    await browser.close();
    capture.add({ where: 'Chromium console and page errors', text: consoleLines.join('\n') });
    await verifyAuditTrails();

    const credentialFile = stationStoreFiles(dirs.station).credentialFile;
    for (const dir of [dirs.server, dirs.station, dirs.tmp]) {
      for (const file of textFilesUnder(dir, (path) => (path === credentialFile ? ['station credential', 'station credential secret'] : []))) capture.add(file);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await station?.stop();
    await server?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('runs the workflows whose output it searches', () => {
    expect(evidence.loginRefusal).toBe('LOGIN_FAILED');
    expect(evidence.officerBar).toContain(officer.badge);
    expect(evidence.conflicts.map((conflict) => conflict.collection)).toEqual(['registrations']);
    expect(evidence.refusedRegistrationPushes).toBeGreaterThan(0);
    expect(evidence.refusedCorrection).toBe(422);
    expect(evidence.refusedImport).toBe(422);
    expect(evidence.refusedOfficer).toBe(422);
    expect(evidence.alertsPulled).toBeGreaterThan(0);
    expect(evidence.crossingsOnServer).toBe(1);
    expect(evidence.malformedMessage).toBe('INVALID_INPUT');
    expect(evidence.unknownRequest).toBe('UNKNOWN_REQUEST');
    expect(evidence.conflictLogNamesTraveller).toBe(true);
    expect(evidence.registrationWorkflow).toEqual([
      'registrations.prepare ok',
      'earlier registrations found',
      'registrations.create ok',
      'registrations.get ok',
      'registrations.amend ok',
      'registrations.cancel ok',
      'registrations.create INVALID_INPUT',
    ]);
    expect(evidence.audit.map((entry) => entry.action)).toEqual(expect.arrayContaining(['login', 'password.change', 'logout', 'login.failed', 'conflicts.view', 'person.lookup', 'registration.create', 'registration.view', 'registration.amend', 'registration.cancel']));
    // The search reads the real logs: each holds the lines these workflows write.
    expect(capture.text('sync server stdout')).toMatch(/"code":"RECORD_INVALID".*"msg":"request refused"/);
    expect(capture.text('sync server stdout')).toContain('"msg":"officer changed password"');
    expect(capture.text('sync server stdout')).toMatch(/"collection":"registrations".*"conflicts":1.*"msg":"push"/);
    expect(capture.text('station stdout')).toContain('the server kept its version of records changed centrally');
    expect(capture.text('import alerts (refused) stderr')).toContain('does not match the schema');
    expect(capture.text('audit:verify --station stdout')).toContain(`audit chain of station ${STATION}`);
    expect(capture.text('audit:verify --server stdout')).toContain(`audit chain of station ${STATION}`);
    expect(capture.all().some((source) => source.where.startsWith(dirs.station))).toBe(true);
  });

  it('names neither the traveller nor the officer in any log, console output or log file', () => {
    const leaks = findLeaks(capture.all(), personalDataNeedles);
    expect(leaks, `Personal data found:\n${describeLeaks(leaks)}`).toEqual([]);
  });

  it('shows passwords and credentials only where a command prints one, once, by design', () => {
    const needles: Needle[] = [
      { label: 'one-time password', value: secrets.oneTimePassword },
      { label: 'new password', value: NEW_PASSWORD },
      { label: 'wrong password', value: WRONG_PASSWORD },
      { label: 'station credential', value: secrets.stationCredential },
      { label: 'station credential secret', value: secrets.stationCredential.split('.').at(-1)! },
      { label: 'administrator credential', value: secrets.adminCredential },
      { label: 'administrator credential secret', value: secrets.adminCredential.split('.').at(-1)! },
    ];
    const leaks = findLeaks(capture.all(), needles);
    expect(leaks, `Secrets found:\n${describeLeaks(leaks)}`).toEqual([]);
  });

  it('keeps the name typed as a username out of the audit trail', () => {
    const failed = evidence.audit.filter((entry) => entry.action === 'login.failed');
    expect(failed).not.toEqual([]);
    const leaks = findLeaks([{ where: "the station's audit trail on the server", text: evidence.audit.map((entry) => JSON.stringify(entry)).join('\n') }], [
      ...personalDataNeedles.filter((needle) => needle.label.startsWith('traveller')),
      { label: 'wrong password', value: WRONG_PASSWORD },
    ]);
    expect(leaks, describeLeaks(leaks)).toEqual([]);
  });
});
