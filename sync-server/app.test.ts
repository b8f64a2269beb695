import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildSyncServer } from './app';
import { serverErrorBody } from './errors';
import { syntheticRegistration, syntheticSource } from '../domain/records';
import { seedServer } from '../test/support/sync-rig';
import { openRepository } from './store/open';
import type { SyncRepository } from './store/repository';

describe('the sync server', () => {
  let app: FastifyInstance;
  let repository: SyncRepository;
  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-server-')) });
    app = await buildSyncServer({ repository, logger: false });
  });
  afterAll(async () => {
    await app.close();
    await repository.close();
  });

  it('answers its health route', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', version: expect.any(String), uptimeSeconds: expect.any(Number) });
  });

  it('is ready when its database answers, and says which', async () => {
    const response = await app.inject({ method: 'GET', url: '/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', database: 'sqlite' });
  });

  it('serves Prometheus metrics', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('mis_push_batches_total');
    expect(response.body).toContain('mis_process_cpu_seconds_total');
  });

  it('answers an unknown route with a coded error', async () => {
    const response = await app.inject({ method: 'GET', url: '/replication/unknown?surname=ERIKSSON' });
    expect(response.statusCode).toBe(404);
    const body = serverErrorBody.parse(response.json());
    expect(body.code).toBe('NOT_FOUND');
    expect(body.message).not.toContain('ERIKSSON');
  });
});

describe('the sync server shutting down', () => {
  it('finishes a push in flight before it closes, and refuses new work meanwhile', async () => {
    const repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-server-close-')) });
    const [station] = await seedServer(repository, ['BIH-C-01'], { alerts: 0 });
    // The push's transaction waits at a gate, so that it is surely in flight when close() starts.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let entered!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const gated: SyncRepository = Object.create(repository, {
      transaction: { value: <T>(work: Parameters<SyncRepository['transaction']>[0]) => repository.transaction(async (tx) => { entered(); await gate; return work(tx) as Promise<T>; }) },
    });
    const app = await buildSyncServer({ repository: gated, logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const registration = syntheticRegistration(syntheticSource(1, { stationId: 'BIH-C-01', officerIds: [station!.officers[0]!.id] }));
    const push = fetch(`${url}/sync/registrations/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${station!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rows: [{ newDocumentState: { ...registration, _deleted: false } }] }),
    });
    await inFlight;
    const closed = app.close();
    open();
    const response = await push;
    await closed;
    expect(response.status).toBe(200);
    expect(await repository.count('registrations', 'BIH-C-01')).toBe(1);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await repository.close();
  });
});
