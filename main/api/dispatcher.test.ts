import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { composeMain } from '../compose';
import { createDispatcher, type Handlers } from './dispatcher';
import { ApiError } from './errors';
import type { CallContext } from './types';

const anonymous: CallContext = { officer: null };
const config = { stationId: 'BIH-SA-01', serverUrl: null, dataDir: '/var/lib/mis', probeIntervalMs: 1_000 };

const notSyncing = { state: 'not-configured' as const, problem: 'not in this test', collections: [], lastSuccessAt: null, failures: [], conflicts: 0 };

function handlersThat(statusHandler: Handlers['requests']['app.status']): Handlers {
  return {
    requests: { 'app.status': statusHandler, 'sync.status': () => notSyncing, 'sync.now': () => notSyncing, 'sync.conflicts': () => [] },
    subscriptions: { 'app.statusChanges': () => () => undefined, 'sync.statusChanges': () => () => undefined },
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
      const result = await dispatcher.request(request, {}, anonymous);
      expect(result).toMatchObject({ ok: true, value: { state: 'not-configured', problem: expect.stringContaining('store'), collections: [] } });
    }
  });

  it('tells the handler which officer is calling', async () => {
    const { dispatcher } = composeMain(config, silentLogger);
    const officer = { id: 'off-7', name: 'A. Officer', role: 'supervisor' as const };
    const result = await dispatcher.request('app.status', {}, { officer });
    expect(result.ok && (result.value as { officer: unknown }).officer).toEqual(officer);
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
    );
    await expect(dispatcher.request('app.status', {}, anonymous)).resolves.toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Only supervisors may do this.' } });
  });

  it('hides an unexpected error behind INTERNAL without its message', async () => {
    const dispatcher = createDispatcher(
      handlersThat(() => {
        throw new Error('ERIKSSON ANNA could not be saved');
      }),
      silentLogger,
    );
    const result = await dispatcher.request('app.status', {}, anonymous);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('ERIKSSON');
  });

  it('does not let a handler return data that breaks the contract', async () => {
    const dispatcher = createDispatcher(handlersThat(() => ({ ...validStatus, version: 42 }) as never), silentLogger);
    await expect(dispatcher.request('app.status', {}, anonymous)).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('streams the status at once on subscription, and stops when asked', () => {
    const { dispatcher } = composeMain(config, silentLogger);
    const events: unknown[] = [];
    const started = dispatcher.subscribe('app.statusChanges', {}, anonymous, (event) => events.push(event));
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
