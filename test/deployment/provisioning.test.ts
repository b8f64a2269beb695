import { spawn } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisioningSignedText, type ProvisioningBundle } from '../../domain/provisioning';
import { syntheticRegistration, syntheticSource } from '../../domain/records';
import { silentLogger } from '../../main/log';
import { importProvisioningBundle, type ProvisioningTarget } from '../../main/provisioning/import-bundle';
import { ProvisioningError } from '../../main/provisioning/provisioning-error';
import { loadStationConfig } from '../../main/services/station-config';
import { openStationStore } from '../../main/services/station-store';
import { fileKeyVault } from '../../main/store/database-key';
import { stationStoreFiles } from '../../main/store/station-files';
import { loadStationCredential, stationCredentialFormat } from '../../main/sync/station-credential';
import { SyncService } from '../../main/sync/sync-service';
import { buildSyncServer } from '../../sync-server/app';
import { ADMIN_PRINCIPAL, issueCredential } from '../../sync-server/auth/credentials';
import { issueProvisioningBundle } from '../../sync-server/provisioning/issue-bundle';
import { loadOrCreateServerKey, serverKeyFile, type ServerSigningKey } from '../../sync-server/provisioning/server-key';
import { openRepository } from '../../sync-server/store/open';
import type { SyncRepository } from '../../sync-server/store/repository';
import { seedServer, type SeededStation } from '../support/sync-rig';

/**
 * Provisioning end to end: a real sync server (SQLite, on a real port) issues bundles, by
 * its admin route and by its command; fresh station data folders import them with the
 * station's code, and then sync with the server on nothing but what the import wrote.
 */

const temporary = (name: string): string => mkdtempSync(join(tmpdir(), `mis-provisioning-${name}-`));

/** The headless shell's credential vault in a data folder: what `npm run provision` uses. */
function fileTarget(dataDir: string): ProvisioningTarget {
  const { credentialFile } = stationStoreFiles(dataDir);
  return { dataDir, credentialVault: fileKeyVault(credentialFile, stationCredentialFormat), credentialFile };
}

function writeBundle(bundle: ProvisioningBundle, name = 'bundle.json'): string {
  const file = join(temporary('bundle'), name);
  writeFileSync(file, JSON.stringify(bundle, null, 2), { mode: 0o600 });
  return file;
}

/** The same bundle, one character of one field changed (to another valid character), the signature kept. */
function withOneCharacterChanged(bundle: ProvisioningBundle, field: 'credential' | 'stationId'): ProvisioningBundle {
  const text = bundle[field];
  const at = text.length - 1;
  const replacement = text[at] === 'A' ? 'B' : 'A';
  return { ...bundle, [field]: `${text.slice(0, at)}${replacement}` };
}

/** A bundle for the same station and server, signed by a key that is not the server's. */
function signedByAnotherKey(bundle: ProvisioningBundle, carry: 'its own public key' | "the server's public key"): ProvisioningBundle {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const serverPublicKey = carry === 'its own public key' ? publicKey.export({ type: 'spki', format: 'der' }).toString('base64') : bundle.serverPublicKey;
  const unsigned = { ...bundle, serverPublicKey };
  return { ...unsigned, signature: sign(null, Buffer.from(provisioningSignedText(unsigned), 'utf8'), privateKey).toString('base64') };
}

async function refusal(promise: Promise<unknown>): Promise<ProvisioningError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error, 'the import is refused').toBeInstanceOf(ProvisioningError);
  return error as ProvisioningError;
}

/** Nothing of the bundle reached the data folder. */
function expectUntouched(dataDir: string): void {
  expect(existsSync(join(dataDir, 'station.json'))).toBe(false);
  expect(existsSync(stationStoreFiles(dataDir).credentialFile)).toBe(false);
}

function runCli(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A station started the way the app starts one: its settings from station.json and its
 * credential from the vault, nothing else. Saves `registrations` offline, then syncs once.
 */
async function syncStation(dataDir: string, seeded: SeededStation, registrations: number, seed: number) {
  const config = loadStationConfig({}, dataDir);
  const credential = await loadStationCredential(fileTarget(dataDir).credentialVault, config.stationId);
  if ('problem' in credential) throw new Error(credential.problem);
  const store = await openStationStore(dataDir, fileKeyVault(stationStoreFiles(dataDir).keyFile));
  try {
    const source = syntheticSource(seed, { stationId: seeded.stationId, officerIds: seeded.officers.map((officer) => officer.id) });
    const saved = Array.from({ length: registrations }, () => syntheticRegistration(source));
    if (saved.length > 0) await store.database.collections.registrations.bulkInsert(saved);
    const sync = new SyncService(store.database, { serverUrl: config.serverUrl!, stationId: config.stationId!, token: credential.token, requestTimeoutMs: 10_000 }, silentLogger);
    sync.start();
    const status = await sync.syncNow();
    await sync.stop();
    return {
      failures: status.failures,
      saved: saved.map((registration) => registration.id),
      registrations: (await store.database.collections.registrations.find().exec()).map((doc) => doc.primary).sort(),
      officers: await store.database.collections.officers.count().exec(),
      alerts: await store.database.collections.alerts.count().exec(),
    };
  } finally {
    await store.close();
  }
}

describe('provisioning a station from the central server', () => {
  let serverData: string;
  let repository: SyncRepository;
  let signingKey: ServerSigningKey;
  let app: FastifyInstance;
  let url: string;
  let adminToken: string;
  let stations: SeededStation[];

  /** A bundle issued by the running server's admin route. */
  async function bundleFromServer(stationId: string, body: Record<string, unknown> = {}): Promise<ProvisioningBundle> {
    const response = await fetch(`${url}/admin/stations/${stationId}/provisioning`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serverUrl: url, ...body }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as ProvisioningBundle;
  }

  beforeAll(async () => {
    serverData = temporary('server');
    repository = await openRepository({ dataDir: serverData });
    stations = await seedServer(repository, ['BIH-P-01', 'BIH-P-02', 'BIH-P-03', 'BIH-P-04'], { alerts: 12 });
    signingKey = loadOrCreateServerKey(serverKeyFile(serverData));
    app = await buildSyncServer({ repository, logger: false, signingKey, liveStreams: { coalesceMs: 10 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    adminToken = (await issueCredential(repository, ADMIN_PRINCIPAL)).token;
  });

  afterAll(async () => {
    await app?.close();
    await repository?.close();
  });

  it('keeps its signing key in its data folder, readable by the server only, and the same across restarts', () => {
    const file = join(serverData, 'provisioning-key.pem');
    expect(signingKey.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateServerKey(file).fingerprint).toBe(signingKey.fingerprint);
    expect(signingKey.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it("issues a bundle that a fresh station imports, after which the station syncs on what the import wrote", async () => {
    const [station] = stations;
    const bundle = await bundleFromServer(station!.stationId);
    expect(bundle).toMatchObject({ stationId: 'BIH-P-01', serverUrl: url, serverPublicKey: signingKey.publicKey });

    const dataDir = join(temporary('station'), 'data');
    const result = await importProvisioningBundle(writeBundle(bundle), fileTarget(dataDir));
    expect(result).toEqual({ stationId: 'BIH-P-01', serverUrl: url, serverKeyFingerprint: signingKey.fingerprint, credential: 'sealed', confirmedByServer: true });

    expect(JSON.parse(readFileSync(join(dataDir, 'station.json'), 'utf8'))).toEqual({ stationId: 'BIH-P-01', serverUrl: url, serverPublicKey: signingKey.publicKey });
    expect(statSync(stationStoreFiles(dataDir).credentialFile).mode & 0o777).toBe(0o600);
    // The credential is in the vault only: station.json does not carry it.
    expect(readFileSync(join(dataDir, 'station.json'), 'utf8')).not.toContain(bundle.credential);

    const synced = await syncStation(dataDir, station!, 3, 21);
    expect(synced.failures).toEqual([]);
    const onServer = await repository.records('registrations', synced.saved);
    expect([...onServer.keys()].sort()).toEqual([...synced.saved].sort());
    expect(synced.officers).toBeGreaterThan(0);
    expect(synced.alerts).toBe(12);

    // Importing the same bundle again (a silent install run twice) changes nothing.
    const again = await importProvisioningBundle(writeBundle(bundle), fileTarget(dataDir));
    expect(again.credential).toBe('unchanged');
  });

  it("restores a replaced PC: the station's new bundle, from the server's command, on a fresh data folder brings back its identity and its records", async () => {
    const station = stations[1]!;
    const first = join(temporary('old-pc'), 'data');
    await importProvisioningBundle(writeBundle(await bundleFromServer(station.stationId)), fileTarget(first));
    const before = await syncStation(first, station, 4, 22);
    expect(before.failures).toEqual([]);

    // The old PC is gone: IT staff issue a new bundle with the command, revoking the old credential.
    const bundleFile = join(temporary('cli'), 'BIH-P-02.json');
    const issued = await runCli('sync-server/cli.ts', ['provision', '--station', station.stationId, '--url', url, '--out', bundleFile, '--replace'], { MIS_SERVER_DATA: serverData, LOG_LEVEL: 'silent' });
    expect(issued.stderr).toBe('');
    expect(issued.code).toBe(0);
    expect(issued.stdout).toContain(`Provisioning bundle for BIH-P-02 written to ${bundleFile}`);
    expect(issued.stdout).toContain(signingKey.fingerprint);
    const reissued = JSON.parse(readFileSync(bundleFile, 'utf8')) as ProvisioningBundle;
    expect(issued.stdout).not.toContain(reissued.credential);
    expect(statSync(bundleFile).mode & 0o777).toBe(0o600);
    const credentials = await repository.credentials(station.stationId);
    expect(credentials.filter((credential) => credential.revokedAt === null)).toHaveLength(1);

    const fresh = join(temporary('new-pc'), 'data');
    const imported = await runCli('main/provisioning/cli.ts', ['--bundle', bundleFile, '--data-dir', fresh]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`Station BIH-P-02 provisioned in ${fresh}`);
    expect(imported.stdout).not.toContain(reissued.credential);

    const after = await syncStation(fresh, station, 0, 23);
    expect(after.failures).toEqual([]);
    expect(after.registrations).toEqual([...before.saved].sort());
  });

  it.each(['credential', 'stationId'] as const)('refuses a bundle with one character of its %s changed, and says so', async (field) => {
    const tampered = withOneCharacterChanged(await bundleFromServer(stations[2]!.stationId), field);
    const dataDir = join(temporary('tampered'), 'data');
    const error = await refusal(importProvisioningBundle(writeBundle(tampered), fileTarget(dataDir)));
    expect(error.code).toBe('BUNDLE_TAMPERED');
    expect(error.message).toMatch(/has been changed since the server signed it: its signature does not match its contents\. Nothing was imported\./);
    expectUntouched(dataDir);
  });

  it('refuses a tampered bundle from the command line with the message and a failing exit code', async () => {
    const tampered = withOneCharacterChanged(await bundleFromServer(stations[2]!.stationId), 'credential');
    const dataDir = join(temporary('tampered-cli'), 'data');
    const run = await runCli('main/provisioning/cli.ts', ['--bundle', writeBundle(tampered), '--data-dir', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^The station could not be provisioned \[BUNDLE_TAMPERED\]: The provisioning bundle .* has been changed since the server signed it/);
    expect(run.stderr).not.toContain(tampered.credential);
    expectUntouched(dataDir);
  });

  it('refuses a bundle signed by another key that carries its own public key: the server signs with a different one', async () => {
    // The credential is a real one of this server: only the key gives the bundle away.
    const foreign = signedByAnotherKey(await bundleFromServer(stations[2]!.stationId), 'its own public key');
    const dataDir = join(temporary('foreign'), 'data');
    const error = await refusal(importProvisioningBundle(writeBundle(foreign), fileTarget(dataDir)));
    expect(error.code).toBe('BUNDLE_FOREIGN');
    expect(error.message).toContain(`but the key the server ${url} signs with is ${signingKey.fingerprint}. It was not issued by this station's central server; nothing was imported.`);
    expectUntouched(dataDir);

    // Offline, the fingerprint IT staff give is the reference instead.
    const offline = await refusal(importProvisioningBundle(writeBundle(foreign), fileTarget(dataDir), { offline: true, expectedServerKey: signingKey.fingerprint }));
    expect(offline.code).toBe('BUNDLE_FOREIGN');
    expect(offline.message).toContain(`but the expected server key (--server-key) is ${signingKey.fingerprint}`);
    expectUntouched(dataDir);
  });

  it("refuses a bundle signed by another key that carries the server's public key: the signature does not match", async () => {
    const forged = signedByAnotherKey(await bundleFromServer(stations[2]!.stationId), "the server's public key");
    const dataDir = join(temporary('forged'), 'data');
    expect((await refusal(importProvisioningBundle(writeBundle(forged), fileTarget(dataDir)))).code).toBe('BUNDLE_TAMPERED');
    expectUntouched(dataDir);
  });

  it('refuses, on a provisioned station, a later bundle signed by another key, even offline', async () => {
    const bundle = await bundleFromServer(stations[3]!.stationId);
    const dataDir = join(temporary('pinned'), 'data');
    await importProvisioningBundle(writeBundle(bundle), fileTarget(dataDir));
    const stationFile = readFileSync(join(dataDir, 'station.json'), 'utf8');
    const error = await refusal(importProvisioningBundle(writeBundle(signedByAnotherKey(bundle, 'its own public key')), fileTarget(dataDir), { offline: true }));
    expect(error.code).toBe('BUNDLE_FOREIGN');
    expect(error.message).toContain(`but the key this station was provisioned with (station.json) is ${signingKey.fingerprint}`);
    expect(readFileSync(join(dataDir, 'station.json'), 'utf8')).toBe(stationFile);
  });

  it('refuses a station the server does not know: it issues no bundle for one, and a station refuses a bundle whose credential the server no longer accepts', async () => {
    const response = await fetch(`${url}/admin/stations/BIH-P-99/provisioning`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serverUrl: url }),
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'STATION_UNKNOWN', message: 'There is no station BIH-P-99 on this server. Add it first (npm run server -- add-station).' });

    const bundle = await bundleFromServer(stations[2]!.stationId);
    await repository.revokeCredentials(stations[2]!.stationId, Date.now());
    const dataDir = join(temporary('revoked'), 'data');
    const error = await refusal(importProvisioningBundle(writeBundle(bundle), fileTarget(dataDir)));
    expect(error.code).toBe('STATION_UNKNOWN');
    expect(error.message).toContain(`does not accept the credential of`);
    expect(error.message).toContain('it does not know station BIH-P-03, or that credential has been revoked. Ask for a new bundle; nothing was imported.');
    expectUntouched(dataDir);
  });

  it('imports without the server only when told the server key, for installs before the network is up', async () => {
    // A server address nothing listens on: the station cannot ask.
    const bundle = await issueProvisioningBundle(repository, signingKey, { stationId: stations[3]!.stationId, serverUrl: 'http://127.0.0.1:9' });
    const file = writeBundle(bundle);
    const dataDir = join(temporary('offline'), 'data');
    const unreachable = await refusal(importProvisioningBundle(file, fileTarget(dataDir), { timeoutMs: 3_000 }));
    expect(unreachable.code).toBe('SERVER_UNREACHABLE');
    expect(unreachable.message).toContain('--offline --server-key <fingerprint>');
    const unpinned = await refusal(importProvisioningBundle(file, fileTarget(dataDir), { offline: true }));
    expect(unpinned.code).toBe('BUNDLE_FOREIGN');
    expectUntouched(dataDir);

    const result = await importProvisioningBundle(file, fileTarget(dataDir), { offline: true, expectedServerKey: signingKey.fingerprint });
    expect(result).toMatchObject({ stationId: 'BIH-P-04', confirmedByServer: false, credential: 'sealed' });
  });

  it('refuses a bundle for another station in a data folder that already has one', async () => {
    const dataDir = join(temporary('taken'), 'data');
    await importProvisioningBundle(writeBundle(await bundleFromServer(stations[0]!.stationId)), fileTarget(dataDir));
    const error = await refusal(importProvisioningBundle(writeBundle(await bundleFromServer(stations[3]!.stationId)), fileTarget(dataDir)));
    expect(error.code).toBe('STATION_MISMATCH');
    expect(error.message).toContain('belongs to station BIH-P-01; the bundle is for BIH-P-04');
    expect(loadStationConfig({}, dataDir).stationId).toBe('BIH-P-01');
  });
});
