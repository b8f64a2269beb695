import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { derivePasswordHash } from '../../domain/identity';
import type { AuditEntry, Officer } from '../../domain/records';
import type { CallContext } from '../api/types';
import { composeMain, type MainProcess } from '../compose';
import { silentLogger } from '../log';
import { fileKeyVault } from '../store/database-key';
import { stationStoreFiles } from '../store/station-files';
import { scryptDerive } from './scrypt';

const STATION = 'BIH-SA-01';
const PASSWORD = 'correct horse battery';

async function officer(overrides: Partial<Officer> & Pick<Officer, 'id' | 'username' | 'role'>): Promise<Officer> {
  return {
    name: `Officer ${overrides.id}`,
    badgeNumber: `B-${overrides.id.toUpperCase()}`,
    passwordHash: await derivePasswordHash(PASSWORD, randomBytes(16), scryptDerive),
    mustChangePassword: false,
    stationIds: [STATION],
    active: true,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

let clock = 1_800_000_000_000;
const running: { main: MainProcess; dataDir: string }[] = [];

async function startMain(dataDir = mkdtempSync(join(tmpdir(), 'mis-auth-'))): Promise<{ main: MainProcess; dataDir: string }> {
  const main = composeMain({ stationId: STATION, serverUrl: null, dataDir, probeIntervalMs: 60_000 }, silentLogger, {
    keyVault: fileKeyVault(stationStoreFiles(dataDir).keyFile),
    auth: { maxFailures: 5, lockoutMs: 15 * 60_000, idleLockMs: 5 * 60_000 },
    now: () => clock,
  });
  main.start();
  for (let i = 0; i < 300 && !main.services.store(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!main.services.store()) throw new Error('the store did not open');
  const started = { main, dataDir };
  running.push(started);
  return started;
}

async function stopMain(started: { main: MainProcess }): Promise<void> {
  running.splice(running.indexOf(started as never), 1);
  await started.main.stop();
}

afterEach(async () => {
  for (const started of running.splice(0)) {
    await started.main.stop();
    rmSync(started.dataDir, { recursive: true, force: true });
  }
});

async function auditActions(main: MainProcess): Promise<Pick<AuditEntry, 'officerId' | 'action' | 'details'>[]> {
  const entries = await main.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec();
  return entries.map((entry) => ({ officerId: entry.officerId, action: entry.action, details: { ...entry.details } }));
}

async function login(main: MainProcess, context: CallContext, username: string, password: string) {
  return main.dispatcher.request('auth.login', { username, password }, context);
}

describe('officer login at the station', () => {
  it('logs in against the pulled hash, with no server at all, and audits it', async () => {
    const { main } = await startMain();
    await main.services.store()!.database.officers.insert(await officer({ id: 'o1', username: 'amira', role: 'officer' }));
    const context = main.dispatcher.openSession();
    await expect(main.dispatcher.request('sync.status', {}, context)).resolves.toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    const result = await login(main, context, ' Amira ', PASSWORD);
    expect(result).toEqual({ ok: true, value: { state: 'active', officer: { id: 'o1', name: 'Officer o1', badgeNumber: 'B-O1', role: 'officer' }, idleLockSeconds: 300 } });
    await expect(main.dispatcher.request('sync.status', {}, context)).resolves.toMatchObject({ ok: true });
    await expect(main.dispatcher.request('auth.logout', {}, context)).resolves.toMatchObject({ ok: true, value: { state: 'signed-out', officer: null } });
    expect(await auditActions(main)).toEqual([
      { officerId: 'o1', action: 'login', details: {} },
      { officerId: 'o1', action: 'logout', details: { reason: 'officer' } },
    ]);
  });

  it('does not say whether a username exists, and audits the attempt without the name typed', async () => {
    const { main } = await startMain();
    await main.services.store()!.database.officers.insert(await officer({ id: 'o1', username: 'amira', role: 'officer' }));
    const context = main.dispatcher.openSession();
    const unknown = await login(main, context, 'nobody-here', PASSWORD);
    const wrong = await login(main, context, 'amira', 'not the password');
    expect(unknown).toEqual({ ok: false, error: { code: 'LOGIN_FAILED', message: 'Wrong username or password.' } });
    expect(wrong).toEqual(unknown);
    const trail = await auditActions(main);
    expect(trail).toEqual([
      { officerId: 'unknown', action: 'login.failed', details: { reason: 'unknown-username' } },
      { officerId: 'o1', action: 'login.failed', details: { reason: 'wrong-password', attempt: 'login', failures: '1' } },
    ]);
    expect(JSON.stringify(trail)).not.toContain('nobody-here');
  });

  it('locks the account after five wrong passwords, also against the right one, also after a restart, until the lock-out ends', async () => {
    const started = await startMain();
    await started.main.services.store()!.database.officers.insert(await officer({ id: 'o1', username: 'amira', role: 'officer' }));
    const context = started.main.dispatcher.openSession();
    const codes: string[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const result = await login(started.main, context, 'amira', `wrong ${attempt}`);
      codes.push(result.ok ? 'ok' : result.error.code);
    }
    expect(codes).toEqual(['LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'LOGIN_FAILED', 'ACCOUNT_LOCKED']);
    await expect(login(started.main, context, 'amira', PASSWORD)).resolves.toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED', message: expect.stringContaining('15 more minute') } });
    expect((await auditActions(started.main)).map((entry) => entry.action)).toEqual([
      ...Array<string>(5).fill('login.failed'),
      'account.locked',
      'login.refused',
    ]);

    // The count lives in the encrypted store: a restart does not clear it.
    await stopMain(started);
    const again = await startMain(started.dataDir);
    const later = again.main.dispatcher.openSession();
    clock += 14 * 60_000;
    await expect(login(again.main, later, 'amira', PASSWORD)).resolves.toMatchObject({ ok: false, error: { code: 'ACCOUNT_LOCKED' } });
    clock += 60_000;
    await expect(login(again.main, later, 'amira', PASSWORD)).resolves.toMatchObject({ ok: true, value: { state: 'active' } });
  });

  it('refuses a supervisor request from an officer, audits the refusal, and lets a supervisor through to the next check', async () => {
    const { main } = await startMain();
    const officers = main.services.store()!.database.officers;
    await officers.insert(await officer({ id: 'o1', username: 'amira', role: 'officer' }));
    await officers.insert(await officer({ id: 's1', username: 'sead', role: 'supervisor' }));
    const asOfficer = main.dispatcher.openSession();
    await login(main, asOfficer, 'amira', PASSWORD);
    await expect(main.dispatcher.request('sync.conflicts', {}, asOfficer)).resolves.toMatchObject({ ok: false, error: { code: 'ROLE_REFUSED' } });
    const asSupervisor = main.dispatcher.openSession();
    await login(main, asSupervisor, 'sead', PASSWORD);
    // Past main's check, the conflict log needs the server, which this station has not got.
    await expect(main.dispatcher.request('sync.conflicts', {}, asSupervisor)).resolves.toMatchObject({ ok: false, error: { code: 'SERVER_UNAVAILABLE' } });
    expect((await auditActions(main)).filter((entry) => entry.action === 'access.refused')).toEqual([
      { officerId: 'o1', action: 'access.refused', details: { request: 'sync.conflicts', role: 'officer' } },
    ]);
  });

  it('locks an idle screen and opens it again for the same officer with the password', async () => {
    const { main } = await startMain();
    await main.services.store()!.database.officers.insert(await officer({ id: 'o1', username: 'amira', role: 'officer' }));
    const context = main.dispatcher.openSession();
    await login(main, context, 'amira', PASSWORD);
    clock += 4 * 60_000;
    await expect(main.dispatcher.request('sync.status', {}, context)).resolves.toMatchObject({ ok: true });
    clock += 4 * 60_000; // 4 minutes after the last request: still open
    await expect(main.dispatcher.request('auth.session', {}, context)).resolves.toMatchObject({ ok: true, value: { state: 'active' } });
    clock += 5 * 60_000;
    await expect(main.dispatcher.request('sync.status', {}, context)).resolves.toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    await expect(main.dispatcher.request('auth.unlock', { password: 'wrong password' }, context)).resolves.toMatchObject({ ok: false, error: { code: 'LOGIN_FAILED' } });
    await expect(main.dispatcher.request('auth.unlock', { password: PASSWORD }, context)).resolves.toMatchObject({ ok: true, value: { state: 'active', officer: { id: 'o1' } } });
    await expect(main.dispatcher.request('sync.status', {}, context)).resolves.toMatchObject({ ok: true });
    expect((await auditActions(main)).map((entry) => [entry.action, entry.details.reason ?? ''])).toEqual([
      ['login', ''],
      ['session.lock', 'inactivity'],
      ['login.failed', 'wrong-password'],
      ['session.unlock', ''],
    ]);
  });

  it('refuses a deactivated account or one of another station even with the right password', async () => {
    const { main } = await startMain();
    const officers = main.services.store()!.database.officers;
    await officers.insert(await officer({ id: 'o1', username: 'gone', role: 'officer', active: false }));
    await officers.insert(await officer({ id: 'o2', username: 'elsewhere', role: 'officer', stationIds: ['BIH-MO-02'] }));
    const context = main.dispatcher.openSession();
    await expect(login(main, context, 'gone', PASSWORD)).resolves.toMatchObject({ ok: false, error: { code: 'ACCOUNT_NOT_ALLOWED', message: expect.stringContaining('deactivated') } });
    await expect(login(main, context, 'elsewhere', PASSWORD)).resolves.toMatchObject({ ok: false, error: { code: 'ACCOUNT_NOT_ALLOWED', message: expect.stringContaining('this station') } });
    await expect(main.dispatcher.request('auth.session', {}, context)).resolves.toMatchObject({ ok: true, value: { state: 'signed-out' } });
  });

  it('holds an officer with a one-time password to the password change, which needs the server', async () => {
    const { main } = await startMain();
    await main.services.store()!.database.officers.insert(await officer({ id: 'a1', username: 'admin1', role: 'admin', mustChangePassword: true }));
    const context = main.dispatcher.openSession();
    await expect(login(main, context, 'admin1', PASSWORD)).resolves.toMatchObject({ ok: true, value: { state: 'password-change-required' } });
    await expect(main.dispatcher.request('sync.status', {}, context)).resolves.toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    await expect(main.dispatcher.request('auth.changePassword', { currentPassword: PASSWORD, newPassword: 'short' }, context)).resolves.toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_WEAK', issues: [{ path: 'newPassword', message: expect.stringContaining('12 characters') }] },
    });
    await expect(main.dispatcher.request('auth.changePassword', { currentPassword: 'not it at all', newPassword: 'a much better passphrase' }, context)).resolves.toMatchObject({
      ok: false,
      error: { code: 'PASSWORD_WRONG' },
    });
    await expect(main.dispatcher.request('auth.changePassword', { currentPassword: PASSWORD, newPassword: 'a much better passphrase' }, context)).resolves.toMatchObject({
      ok: false,
      error: { code: 'SERVER_UNAVAILABLE', message: expect.stringContaining('current password stays valid') },
    });
  });

  it('logs the officer out when the window closes', async () => {
    const { main } = await startMain();
    await main.services.store()!.database.officers.insert(await officer({ id: 'o1', username: 'amira', role: 'officer' }));
    const context = main.dispatcher.openSession();
    await login(main, context, 'amira', PASSWORD);
    main.dispatcher.closeSession(context);
    for (let i = 0; i < 100 && (await auditActions(main)).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await auditActions(main)).map((entry) => [entry.action, entry.details.reason ?? ''])).toEqual([
      ['login', ''],
      ['logout', 'window-closed'],
    ]);
  });
});
