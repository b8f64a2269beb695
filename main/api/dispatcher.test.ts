import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { composeMain } from '../compose';
import { createDispatcher, type Handlers, type SessionKeeper } from './dispatcher';
import { contract } from './contract';
import { ApiError, type ApiErrorCode } from './errors';
import type { ApiSession, CallContext, SessionState, SignedInOfficer } from './types';

/** A session in a fixed state, for the dispatcher alone (the real one is main/auth's). */
class FixedSession implements ApiSession {
  touched = 0;
  constructor(
    readonly officer: SignedInOfficer | null,
    public fixed: SessionState,
  ) {}
  state(): SessionState {
    return this.fixed;
  }
  touch(): void {
    this.touched += 1;
  }
}

const refusals: { name: string; code: ApiErrorCode }[] = [];
const keeper: SessionKeeper = {
  open: () => new FixedSession(null, 'signed-out'),
  close: () => undefined,
  refused: (_session, name, code) => refusals.push({ name, code }),
};

const anonymous: CallContext = { session: new FixedSession(null, 'signed-out') };
const officerOf = (role: SignedInOfficer['role'], state: SessionState = 'active'): CallContext => ({
  session: new FixedSession({ id: `off-${role}`, name: `A. ${role}`, badgeNumber: 'B-1', role }, state),
});
const config = { stationId: 'BIH-SA-01', serverUrl: null, dataDir: '/var/lib/mis', probeIntervalMs: 1_000 };

const notSyncing = { state: 'not-configured' as const, problem: 'not in this test', collections: [], lastSuccessAt: null, failures: [], conflicts: 0 };

const session = { state: 'active' as const, officer: null, idleLockSeconds: 300 };

function notHere(): never {
  throw new Error('not called by these tests');
}

function handlersThat(statusHandler: Handlers['requests']['app.status'], called: string[] = []): Handlers {
  const note =
    <T,>(name: string, value: T) =>
    () => {
      called.push(name);
      return value;
    };
  // The workflows (registrations, crossings, search, shift, reference) have their own tests through a real store.
  const workflows = Object.fromEntries(Object.keys(contract.requests).map((name) => [name, notHere])) as unknown as Handlers['requests'];
  return {
    requests: {
      ...workflows,
      'app.status': statusHandler,
      'auth.session': note('auth.session', session),
      'auth.login': note('auth.login', session),
      'auth.logout': note('auth.logout', session),
      'auth.lock': note('auth.lock', session),
      'auth.unlock': note('auth.unlock', session),
      'auth.touch': note('auth.touch', session),
      'auth.changePassword': note('auth.changePassword', session),
      'devices.status': note('devices.status', { devices: [], problem: null }),
      'devices.wedgeReading': note('devices.wedgeReading', {}),
      'devices.presentTraining': note('devices.presentTraining', {}),
      'devices.captureFinger': note('devices.captureFinger', { width: 1, height: 1, pngBase64: '', quality: 0, qualityMethod: 'none', templateFormat: null }),
      'devices.available': note('devices.available', { serial: { ports: [], problem: null }, hid: { devices: [], problem: null } }),
      'devices.settings': note('devices.settings', { devices: [] }),
      'devices.configure': note('devices.configure', { devices: [], problem: null }),
      'sync.status': note('sync.status', notSyncing),
      'sync.now': note('sync.now', notSyncing),
      'sync.conflicts': note('sync.conflicts', []),
    },
    subscriptions: {
      'app.statusChanges': () => () => undefined,
      'auth.sessionChanges': () => () => undefined,
      'devices.statusChanges': () => () => undefined,
      'devices.readings': () => () => undefined,
      'sync.statusChanges': () => () => undefined,
    },
  };
}

const validStatus = {
  version: '1.0.0',
  stationId: 'BIH-SA-01',
  store: { location: '/var/lib/mis/store/station.sqlite', state: 'opening' as const, problem: null },
  server: { url: null, reachability: 'not-configured' as const, lastCheckedAt: null, problem: null },
  officer: null,
};

describe('the API dispatcher', () => {
  it('answers app.status with the station it runs on', async () => {
    const { dispatcher } = composeMain(config, silentLogger);
    const result = await dispatcher.request('app.status', {}, anonymous);
    expect(result).toMatchObject({ ok: true, value: { stationId: 'BIH-SA-01', store: { location: '/var/lib/mis/store/station.sqlite' }, officer: null } });
  });

  it('answers sync.status and sync.now with why sync is not running yet', async () => {
    const { dispatcher } = composeMain(config, silentLogger);
    for (const request of ['sync.status', 'sync.now'] as const) {
      const result = await dispatcher.request(request, {}, officerOf('officer'));
      expect(result).toMatchObject({ ok: true, value: { state: 'not-configured', problem: expect.stringContaining('store'), collections: [] } });
    }
  });

  it('tells the handler which officer is calling', async () => {
    const { dispatcher } = composeMain(config, silentLogger);
    const result = await dispatcher.request('app.status', {}, officerOf('supervisor'));
    expect(result.ok && (result.value as { officer: unknown }).officer).toEqual({ id: 'off-supervisor', name: 'A. supervisor', role: 'supervisor' });
  });

  it('declares a role for every request and subscription of the contract', () => {
    const declared = [...Object.values(contract.requests), ...Object.values(contract.subscriptions)].map((definition) => definition.role);
    expect(declared.length).toBeGreaterThan(10);
    for (const role of declared) expect(['anyone', 'officer', 'supervisor', 'admin']).toContain(role);
  });

  it('refuses a supervisor request from an officer before its handler runs, and says why', async () => {
    const called: string[] = [];
    refusals.length = 0;
    const dispatcher = createDispatcher(handlersThat(() => validStatus, called), silentLogger, keeper);
    const result = await dispatcher.request('sync.conflicts', {}, officerOf('officer'));
    expect(result).toMatchObject({ ok: false, error: { code: 'ROLE_REFUSED', message: expect.stringContaining('supervisor') } });
    expect(called).toEqual([]);
    expect(refusals).toEqual([{ name: 'sync.conflicts', code: 'ROLE_REFUSED' }]);
    await expect(dispatcher.request('sync.conflicts', {}, officerOf('supervisor'))).resolves.toEqual({ ok: true, value: [] });
    await expect(dispatcher.request('sync.conflicts', {}, officerOf('admin'))).resolves.toEqual({ ok: true, value: [] });
    expect(called).toEqual(['sync.conflicts', 'sync.conflicts']);
  });

  it('lets nobody past a signed-out, locked or one-time-password session but to what those states allow', async () => {
    const called: string[] = [];
    const dispatcher = createDispatcher(handlersThat(() => validStatus, called), silentLogger, keeper);
    await expect(dispatcher.request('sync.status', {}, anonymous)).resolves.toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    await expect(dispatcher.request('sync.status', {}, officerOf('admin', 'locked'))).resolves.toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    await expect(dispatcher.request('sync.status', {}, officerOf('admin', 'password-change-required'))).resolves.toMatchObject({ ok: false, error: { code: 'PASSWORD_CHANGE_REQUIRED' } });
    expect(dispatcher.subscribe('sync.statusChanges', {}, anonymous, () => undefined)).toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });
    expect(called).toEqual([]);
    const changing = officerOf('officer', 'password-change-required');
    await expect(dispatcher.request('auth.changePassword', { currentPassword: 'x', newPassword: 'y' }, changing)).resolves.toMatchObject({ ok: true });
    await expect(dispatcher.request('auth.unlock', { password: 'x' }, officerOf('officer', 'locked'))).resolves.toMatchObject({ ok: true });
    await expect(dispatcher.request('auth.login', { username: 'Someone', password: 'x' }, anonymous)).resolves.toMatchObject({ ok: true });
    expect(called).toEqual(['auth.changePassword', 'auth.unlock', 'auth.login']);
    expect((changing.session as FixedSession).touched).toBe(1);
  });

  it('refuses a request name the contract does not declare, as a value', async () => {
    const { dispatcher } = composeMain(config, silentLogger);
    await expect(dispatcher.request('app.deleteEverything', {}, anonymous)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
    await expect(dispatcher.request({ toString: null }, {}, anonymous)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
    await expect(dispatcher.request('__proto__', {}, anonymous)).resolves.toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
  });

  it('refuses input that does not match the schema and says which field', async () => {
    const { dispatcher } = composeMain(config, silentLogger);
    const result = await dispatcher.request('app.status', { unexpected: true }, anonymous);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(!result.ok && result.error.issues?.length).toBeGreaterThan(0);
  });

  it('passes a handler ApiError through with its code and message', async () => {
    const dispatcher = createDispatcher(
      handlersThat(() => {
        throw new ApiError('FORBIDDEN', 'Only supervisors may do this.');
      }),
      silentLogger,
      keeper,
    );
    await expect(dispatcher.request('app.status', {}, anonymous)).resolves.toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Only supervisors may do this.' } });
  });

  it('hides an unexpected error behind INTERNAL without its message', async () => {
    const dispatcher = createDispatcher(
      handlersThat(() => {
        throw new Error('ERIKSSON ANNA could not be saved');
      }),
      silentLogger,
      keeper,
    );
    const result = await dispatcher.request('app.status', {}, anonymous);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('ERIKSSON');
  });

  it('stops streaming to a session that was locked, and streams again once it is open', () => {
    let emit: (event: unknown) => void = () => undefined;
    const handlers = handlersThat(() => validStatus);
    handlers.subscriptions['sync.statusChanges'] = (_input, _context, send) => {
      emit = send as (event: unknown) => void;
      return () => undefined;
    };
    const dispatcher = createDispatcher(handlers, silentLogger, keeper);
    const context = officerOf('officer');
    const events: unknown[] = [];
    expect(dispatcher.subscribe('sync.statusChanges', {}, context, (event) => events.push(event)).ok).toBe(true);
    emit(notSyncing);
    (context.session as FixedSession).fixed = 'locked';
    emit(notSyncing);
    (context.session as FixedSession).fixed = 'active';
    emit(notSyncing);
    expect(events).toHaveLength(2);
  });

  it('logs where an unexpected error came from, never what it says', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const dispatcher = createDispatcher(
      handlersThat(() => {
        throw new Error('ERIKSSON ANNA could not be saved');
      }),
      log,
      keeper,
    );
    await dispatcher.request('app.status', {}, anonymous);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('dispatcher.test.ts');
    expect(lines[0]).not.toContain('ERIKSSON');
  });

  it('does not let a handler return data that breaks the contract', async () => {
    const dispatcher = createDispatcher(handlersThat(() => ({ ...validStatus, version: 42 }) as never), silentLogger, keeper);
    await expect(dispatcher.request('app.status', {}, anonymous)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('streams the status at once on subscription, and stops when asked', () => {
    const { dispatcher } = composeMain(config, silentLogger);
    const events: unknown[] = [];
    const started = dispatcher.subscribe('app.statusChanges', {}, dispatcher.openSession(), (event) => events.push(event));
    expect(started.ok).toBe(true);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ stationId: 'BIH-SA-01' });
    if (started.ok) started.value();
  });

  it('refuses an unknown subscription as a value', () => {
    const { dispatcher } = composeMain(config, silentLogger);
    expect(dispatcher.subscribe('devices.everything', {}, anonymous, () => undefined)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SUBSCRIPTION' } });
  });
});
