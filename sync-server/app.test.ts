import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildSyncServer } from './app';
import { serverErrorBody } from './errors';

describe('the sync server', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildSyncServer({ logger: false });
  });
  afterAll(() => app.close());

  it('answers its health route', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', version: expect.any(String), uptimeSeconds: expect.any(Number) });
  });

  it('answers an unknown route with a coded error', async () => {
    const response = await app.inject({ method: 'GET', url: '/replication/unknown?surname=ERIKSSON' });
    expect(response.statusCode).toBe(404);
    const body = serverErrorBody.parse(response.json());
    expect(body.code).toBe('NOT_FOUND');
    expect(body.message).not.toContain('ERIKSSON');
  });
});
