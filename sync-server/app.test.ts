import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildSyncServer } from './app';
import { serverErrorBody } from './errors';
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
