import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeMain, type MainProcess } from '../../main/compose';
import { silentLogger } from '../../main/log';
import { fileKeyVault } from '../../main/store/database-key';
import { stationStoreFiles } from '../../main/store/station-files';
import { stationCredentialFormat } from '../../main/sync/station-credential';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { eventually } from '../support/sync-rig';
import { shownOnce } from '../support/cli-output';

const STATION = 'BIH-LOGIN-01';
const NEW_PASSWORD = 'winter at the river crossing';

/** `npm run server -- <args>` against the server's data directory, as IT staff type it. */
function serverCommand(dataDir: string, args: string[]): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', ...args], { env: { ...process.env, MIS_SERVER_DATA: dataDir }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`npm run server -- ${args[0]} failed (${run.status}):\n${run.stderr}`);
  return run.stdout;
}

describe('an officer created on the server logs in at the station with the network down', () => {
  let server: ServerProcess | undefined;
  let main: MainProcess | undefined;

  afterAll(async () => {
    await main?.stop();
    await server?.kill();
  });

  it('after one sync: first login with the one-time password, its change online, then logins offline', async () => {
    const serverData = mkdtempSync(join(tmpdir(), 'mis-login-server-'));
    const token = shownOnce(serverCommand(serverData, ['add-station', '--id', STATION, '--name', 'Login test station', '--kind', 'police-station', '--municipality', 'Sarajevo']), /credential/);
    const oneTime = shownOnce(
      serverCommand(serverData, ['officer-add', '--username', 'amira.k', '--name', 'Synthetic Officer', '--badge', 'B-100', '--role', 'officer', '--stations', STATION]),
      /One-time password/,
    );
    server = await startServerProcess({ MIS_SERVER_DATA: serverData });

    const dataDir = mkdtempSync(join(tmpdir(), 'mis-login-station-'));
    const files = stationStoreFiles(dataDir);
    writeFileSync(files.credentialFile, `${token}\n`, { mode: 0o600 });
    main = composeMain({ stationId: STATION, serverUrl: server.url, dataDir, probeIntervalMs: 200 }, silentLogger, {
      keyVault: fileKeyVault(files.keyFile),
      credentialVault: fileKeyVault(files.credentialFile, stationCredentialFormat),
    });
    main.start();
    const station = main;
    await eventually(async () => (await station.services.store()?.database.officers.count().exec()) === 1, 'the officer reaches the station');

    // First login, online: the one-time password lets the officer do nothing but choose a password.
    const first = station.dispatcher.openSession();
    await expect(station.dispatcher.request('auth.login', { username: 'amira.k', password: oneTime }, first)).resolves.toMatchObject({ ok: true, value: { state: 'password-change-required' } });
    await expect(station.dispatcher.request('auth.changePassword', { currentPassword: oneTime, newPassword: NEW_PASSWORD }, first)).resolves.toMatchObject({
      ok: true,
      value: { state: 'active', officer: { name: 'Synthetic Officer', badgeNumber: 'B-100', role: 'officer' } },
    });
    await station.dispatcher.request('auth.logout', {}, first);

    // The network goes down: the server is gone, the station works on.
    await server.kill();
    await eventually(() => station.services.status.current().server.reachability === 'unreachable', 'the station sees the server gone');
    const offline = station.dispatcher.openSession();
    await expect(station.dispatcher.request('auth.login', { username: 'amira.k', password: oneTime }, offline)).resolves.toMatchObject({ ok: false, error: { code: 'LOGIN_FAILED' } });
    await expect(station.dispatcher.request('auth.login', { username: 'amira.k', password: NEW_PASSWORD }, offline)).resolves.toMatchObject({
      ok: true,
      value: { state: 'active', officer: { badgeNumber: 'B-100' } },
    });
    await expect(station.dispatcher.request('sync.status', {}, offline)).resolves.toMatchObject({ ok: true });

    const trail = await station.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec();
    expect(trail.map((entry) => entry.action)).toEqual(['login', 'password.change', 'logout', 'login.failed', 'login']);
    expect(trail.map((entry) => entry.sequence)).toEqual([1, 2, 3, 4, 5]);
  });
});
