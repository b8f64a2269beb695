import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latinToSerbianCyrillic } from '../../domain/names';
import { personNameKey, syntheticCrossing, syntheticRegistration, syntheticSource, type Person, type TravelDocument } from '../../domain/records';
import { DriverRegistry, builtInDrivers } from '../../devices';
import { trainingReaderFactory } from '../../devices/simulators/training-reader';
import { AuditTrail } from '../../main/audit/audit-trail';
import { DeviceManager } from '../../main/devices/device-manager';
import { deviceSettingsFile, saveDeviceSettings } from '../../main/devices/device-settings';
import { runDiagnosticsCommand } from '../../main/diagnostics/command';
import { collectDiagnostics, commandVaults, writeDiagnosticsBundle, type LiveStatus } from '../../main/diagnostics/diagnostics-bundle';
import { silentLogger } from '../../main/log';
import { RotatingLogFile, stationLogFile } from '../../main/log-file';
import { writeStationFile } from '../../main/services/station-config';
import { openStationStore, type StationStore } from '../../main/services/station-store';
import { fileKeyVault } from '../../main/store/database-key';
import { stationStoreFiles } from '../../main/store/station-files';
import { SyncService } from '../../main/sync/sync-service';
import { stationCredentialFormat } from '../../main/sync/station-credential';
import { appVersion } from '../../main/version';

/**
 * The diagnostics bundle of a real station: a data folder with an encrypted store holding
 * a registration and a crossing of one synthetic traveller, a sync failure whose server
 * message quotes the traveller, and a log file that names them. The bundle must tell IT
 * staff what they need and must not hold the traveller's name (in any case, Latin or
 * Cyrillic), document number or date of birth anywhere in its bytes.
 */

const STATION = 'BIH-DIAG-TEST';
const SURNAME = 'TESTOVIĆ';
const GIVEN_NAMES = 'SYNTHETICA';
const DOCUMENT_NUMBER = 'SX4827193';
const BIRTH_DATE = '1987-06-14';
const MRZ_NAME_LINE = 'P<SRBTESTOVIC<<SYNTHETICA<<<<<<<<<<<<<<<<<<<<<';

/** Every way the traveller may be written; none may be in a bundle. */
const FORBIDDEN = [
  SURNAME,
  'TESTOVIC',
  'Testović',
  latinToSerbianCyrillic('Testović'),
  latinToSerbianCyrillic(SURNAME),
  GIVEN_NAMES,
  latinToSerbianCyrillic('Synthetica'),
  latinToSerbianCyrillic(GIVEN_NAMES),
  DOCUMENT_NUMBER,
  BIRTH_DATE,
  '870614',
];

/** The forbidden forms found in a text, compared without regard to case. */
function personalDataIn(text: string): string[] {
  const lower = text.toLowerCase();
  return FORBIDDEN.filter((form) => lower.includes(form.toLowerCase()));
}

const person: Person = { surname: SURNAME, givenNames: GIVEN_NAMES, nameKey: personNameKey(SURNAME, GIVEN_NAMES), sex: 'F', birthDate: BIRTH_DATE, nationality: 'SRB' };
const travelDocument: TravelDocument = { documentCode: 'P', documentNumber: DOCUMENT_NUMBER, issuingState: 'SRB', expiryDate: '2031-01-01' };

/** A central server that refuses everything and, as a badly written one might, quotes the record back. */
function refusingServer(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(422, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          code: 'RECORD_INVALID',
          message: `Document ${DOCUMENT_NUMBER} of Testović Synthetica (${latinToSerbianCyrillic('Testović')}, born ${BIRTH_DATE}) does not match ${MRZ_NAME_LINE}`,
          recordId: registrationId,
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let registrationId = '';
let dataDir: string;
let store: StationStore;
let server: Server;
let sync: SyncService;
let devices: DeviceManager;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// The bundle as parsed JSON: the assertions below are what checks its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type BundleJson = Record<string, any>;

function readBundle(file: string): { text: string; json: BundleJson } {
  const text = readFileSync(file, 'utf8');
  return { text, json: JSON.parse(text) as BundleJson };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mis-diagnostics-'));
  server = await refusingServer();
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeStationFile(dataDir, { stationId: STATION, serverUrl });
  const files = stationStoreFiles(dataDir);
  const token = `mis1.${STATION}.${'A'.repeat(43)}`;
  await fileKeyVault(files.credentialFile, stationCredentialFormat).create(token);
  saveDeviceSettings(deviceSettingsFile(dataDir), {
    devices: [
      { id: 'counter-1-reader', label: 'Passport reader, counter 1', protocol: 'training', address: { transport: 'simulator' }, enabled: true },
      { id: 'counter-1-serial', label: 'Serial reader, counter 1', protocol: 'mrz-stx-etx', address: { transport: 'serial', path: join(dataDir, 'no-such-tty'), baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 }, enabled: true },
    ],
  });

  // The log file as the station writes it, and lines naming the traveller as a careless caller or a crash would.
  const logFile = stationLogFile(dataDir);
  const logDestination = new RotatingLogFile(logFile);
  const log = pino({ name: 'mis-station', level: 'info' }, logDestination);

  store = await openStationStore(dataDir, fileKeyVault(files.keyFile));
  const source = syntheticSource(41, { stationId: STATION, officerIds: ['officer-1'] });
  const registration = syntheticRegistration(source, { person, document: travelDocument });
  registrationId = registration.id;
  await store.database.registrations.insert(registration);
  await store.database.crossings.insert(syntheticCrossing(source, { person, document: travelDocument }));
  await new AuditTrail(store.database.audit, STATION).record({ officerId: 'officer-1', action: 'registration.create', details: {}, recordType: 'registration', recordId: registration.id });

  log.info({ service: 'api' }, 'registration saved');
  log.warn({ service: 'registrations', detail: `Testović Synthetica ${DOCUMENT_NUMBER}` }, `duplicate check for TESTOVIC, born ${BIRTH_DATE}`);
  log.error({ service: 'devices', reading: MRZ_NAME_LINE }, 'reader sent an unexpected frame');
  logDestination.close();
  appendFileSync(logFile, `Error: cannot print the card of ${latinToSerbianCyrillic('Testović Synthetica')} (${DOCUMENT_NUMBER}, 14.06.1987)\n`);

  sync = new SyncService(store.database, { serverUrl, stationId: STATION, token, requestTimeoutMs: 5_000 }, silentLogger);
  sync.start();
  await until(() => sync.status().failures.some((failure) => failure.collection === 'registrations' && failure.code === 'RECORD_INVALID'), 'the refused push');

  devices = new DeviceManager(deviceSettingsFile(dataDir), new DriverRegistry([...builtInDrivers, trainingReaderFactory]), silentLogger);
  await devices.start();
  await until(() => devices.status().every((device) => device.state !== 'connecting'), 'the devices to settle');
}, 60_000);

afterAll(async () => {
  await devices?.stop();
  await sync?.stop();
  await store?.close();
  await new Promise((resolve) => server?.close(resolve));
});

function liveStatus(): LiveStatus {
  return {
    station: { version: appVersion, stationId: STATION, store: { location: stationStoreFiles(dataDir).databaseFile, state: 'open', problem: null }, server: { url: 'http://127.0.0.1', reachability: 'reachable', lastCheckedAt: null, problem: null } },
    sync: sync.status(),
    devices: { devices: devices.status(), problem: devices.problem },
  };
}

describe('the diagnostics bundle', () => {
  it('would hold the traveller without the scrubber: the check below can fail', async () => {
    const { unscrubbed } = await collectDiagnostics({ dataDir, outDir: dataDir, ...commandVaults(dataDir), live: liveStatus() });
    const found = personalDataIn(JSON.stringify(unscrubbed));
    expect(found).toEqual(expect.arrayContaining(['TESTOVIC', 'Testović', latinToSerbianCyrillic('Testović'), GIVEN_NAMES, DOCUMENT_NUMBER, BIRTH_DATE]));
  });

  it('written from the running app: versions, integrity, devices, sync and log, and no personal data', async () => {
    const outDir = join(dataDir, 'from-app');
    const written = await writeDiagnosticsBundle({ dataDir, outDir, ...commandVaults(dataDir), live: liveStatus() });
    expect(readdirSync(outDir)).toEqual([written.file.slice(outDir.length + 1)]);
    expect(statSync(written.file).mode & 0o777).toBe(0o600);
    const { text, json } = readBundle(written.file);
    expect(personalDataIn(text)).toEqual([]);

    expect(json.format).toBe('mis-station-diagnostics/1');
    expect(json.versions).toMatchObject({ app: appVersion, node: process.versions.node });
    expect(json.versions.sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(json.store.integrity).toMatchObject({ check: 'quick_check', ok: true, result: ['ok'] });
    expect(json.store.collections).toEqual(expect.arrayContaining([expect.objectContaining({ collection: 'registrations', records: 1, pending: 1 }), expect.objectContaining({ collection: 'crossings', records: 1, pending: 1 })]));
    expect(json.auditChain).toMatchObject({ checked: true, intact: true });
    expect(json.configuration.stationFile).toMatchObject({ stationId: STATION });
    expect(text).not.toContain('A'.repeat(43));
    expect(json.configuration.secrets.databaseKey[0]).toMatchObject({ present: true, mode: '600', ownerOnly: true });

    const liveDevices = json.devices.live.devices as { id: string; state: string; detail: string | null }[];
    expect(liveDevices.find((device) => device.id === 'counter-1-reader')?.state).toBe('ready');
    expect(liveDevices.find((device) => device.id === 'counter-1-serial')?.state).toBe('error');

    expect(json.sync.pending).toMatchObject({ registrations: 1, crossings: 1 });
    const refused = (json.sync.live.failures as { collection: string; code: string; message: string; recordId: string }[]).find((failure) => failure.collection === 'registrations' && failure.code === 'RECORD_INVALID');
    expect(refused).toMatchObject({ code: 'RECORD_INVALID', recordId: registrationId });
    expect(refused?.message).toMatch(/^Document \[document\] of \[name\] \[name\] \(\[name\], born \[date\]\) does not match \[mrz\]$/);

    expect(json.log.tail.length).toBe(4);
    expect(json.log.recentErrors.map((line: { msg: string }) => line.msg)).toEqual(['duplicate check for [name], born [date]', 'reader sent an unexpected frame']);
  });

  it('written by the command while the app is running elsewhere: says the store was in use, and holds no personal data', async () => {
    const outDir = join(dataDir, 'from-command');
    const lockFile = stationStoreFiles(dataDir).lockFile;
    const ownLock = readFileSync(lockFile, 'utf8');
    // Another live process (this test's parent) holds the station lock, as a running app does.
    writeFileSync(lockFile, String(process.ppid));
    let printed = '';
    try {
      expect(await runDiagnosticsCommand(['--data-dir', dataDir, '--out', outDir, '--no-probe'], (text) => (printed += text))).toBe(0);
    } finally {
      writeFileSync(lockFile, ownLock);
    }
    expect(printed).toContain(`in use by MIS Station (pid ${process.ppid})`);
    const [name] = readdirSync(outDir);
    const { text, json } = readBundle(join(outDir, name!));
    expect(personalDataIn(text)).toEqual([]);
    expect(json.generatedBy).toBe('command');
    expect(json.store).toMatchObject({ inUseBy: process.ppid, readable: true, integrity: { ok: true, result: ['ok'] } });
    expect(json.sync.credential).toBe('present, well-formed, issued to this station');
    expect(json.devices.configured.devices.map((device: { label: string }) => device.label)).toEqual(['Passport reader, counter 1', 'Serial reader, counter 1']);
    expect(json.log.tail.at(-1)).toMatch(/^Error: cannot print the card of \[name\] \[name\] \(\[document\], \[date\]\)$/);
  });

  it('without the database key, withholds the free text it cannot check for names', async () => {
    const outDir = join(dataDir, 'without-key');
    const written = await writeDiagnosticsBundle({ dataDir, outDir, keyVault: { unavailable: 'the key is sealed for the desktop app' }, live: liveStatus() });
    const { text, json } = readBundle(written.file);
    expect(personalDataIn(text)).toEqual([]);
    expect(json.personalData.namesChecked).toBe(false);
    expect(json.store).toMatchObject({ readable: false, problem: 'the key is sealed for the desktop app' });
    // Codes and ids stay; messages, which might quote anyone, go.
    expect(json.log.recentErrors[0]).toMatchObject({ level: 40, service: 'registrations', msg: expect.stringMatching(/^\[withheld/) });
    expect(json.log.tail.at(-1)).toMatch(/^\[withheld/);
    expect(json.sync.live.failures).toContainEqual(expect.objectContaining({ code: 'RECORD_INVALID', recordId: registrationId, message: expect.stringMatching(/^\[withheld/) }));
  });
});
