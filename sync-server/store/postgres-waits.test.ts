import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresForThisFile } from '../../test/support/postgres-per-file';
import { buildSyncServer } from '../app';
import { issueCredential } from '../auth/credentials';
import { serverErrorBody } from '../errors';
import { openPostgresRepository } from './postgres-repository';
import { deferred } from './repository.contract';
import type { SyncRepository } from './repository';

/**
 * Every wait on PostgreSQL is bounded: a request that cannot get a connection, or whose
 * statement waits too long, is answered 503 DATABASE_UNAVAILABLE instead of hanging. Real
 * PostgreSQL, with limits made short for the test.
 */
const postgres = postgresForThisFile('waits');
let nodes = 0;

const limits = { connectionTimeoutMs: 500, statementTimeoutMs: 500 };

describe('waits on PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    // In reverse: what was opened last (a held transaction, the app) goes first.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function node(poolSize: number): Promise<{ url: string; repository: SyncRepository; app: FastifyInstance; token: string }> {
    const url = await postgres.database();
    const repository = await openPostgresRepository(url, { poolSize, ...limits });
    cleanups.push(() => repository.close());
    await repository.migrate();
    const { token } = await issueCredential(repository, `BIH-W-0${++nodes}`);
    const app = await buildSyncServer({ repository, logger: false });
    cleanups.push(() => app.close());
    return { url, repository, app, token };
  }

  /** Holds one pooled connection in an open transaction until the returned function (or the test's end) lets it go. */
  async function holdConnection(repository: SyncRepository): Promise<() => Promise<void>> {
    const release = deferred();
    const started = deferred();
    const held = repository.transaction(async (tx) => {
      await tx.read('alerts', ['anything']);
      started.resolve();
      await release.promise;
    });
    const letGo = async (): Promise<void> => {
      release.resolve();
      await held;
    };
    cleanups.push(letGo);
    await started.promise;
    return letGo;
  }

  it('answers a live stream 503 DATABASE_UNAVAILABLE when no pooled connection comes free in time, and serves it once one does', async () => {
    const { app, repository, token } = await node(1);
    const letGo = await holdConnection(repository);

    const began = Date.now();
    const refused = await app.inject({ method: 'GET', url: '/sync/alerts/stream', headers: { authorization: `Bearer ${token}` } });
    const waited = Date.now() - began;

    expect(refused.statusCode).toBe(503);
    expect(serverErrorBody.parse(refused.json())).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    // It did wait for a connection, and no longer than the limit (with room for a slow machine).
    expect(waited).toBeGreaterThanOrEqual(limits.connectionTimeoutMs - 50);
    expect(waited).toBeLessThan(limits.connectionTimeoutMs + 5_000);

    // The held connection goes back to the pool: requests are served again.
    await letGo();
    const served = await app.inject({ method: 'GET', url: '/sync/alerts/pull?after=0', headers: { authorization: `Bearer ${token}` } });
    expect(served.statusCode).toBe(200);
  });

  it('answers 503 DATABASE_UNAVAILABLE when a statement waits for a lock longer than the statement timeout, and serves again once the lock is gone', async () => {
    const { app, url, token } = await node(1);
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    cleanups.push(() => blocker.end());
    // Another session (a migration of another node, say) holds the credentials table.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE station_credentials IN ACCESS EXCLUSIVE MODE');

    const began = Date.now();
    const refused = await app.inject({ method: 'GET', url: '/sync/alerts/pull?after=0', headers: { authorization: `Bearer ${token}` } });
    const waited = Date.now() - began;
    expect(refused.statusCode).toBe(503);
    expect(serverErrorBody.parse(refused.json())).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect(waited).toBeGreaterThanOrEqual(limits.statementTimeoutMs - 50);
    expect(waited).toBeLessThan(limits.statementTimeoutMs + 5_000);

    await blocker.query('ROLLBACK');
    // PostgreSQL cancelled only the statement: the next request is served.
    const served = await app.inject({ method: 'GET', url: '/sync/alerts/pull?after=0', headers: { authorization: `Bearer ${token}` } });
    expect(served.statusCode).toBe(200);
  });

  it("lets a migration wait for another node's longer than the statement timeout", async () => {
    const url = await postgres.database();
    const repository = await openPostgresRepository(url, { poolSize: 1, ...limits });
    cleanups.push(() => repository.close());
    const otherNode = new pg.Client({ connectionString: url });
    await otherNode.connect();
    cleanups.push(() => otherNode.end());
    // The other node is migrating: it holds the migration lock (class 0x4d490001, object 0) for a while.
    await otherNode.query('BEGIN');
    await otherNode.query('SELECT pg_advisory_xact_lock($1, 0)', [0x4d49_0001]);
    const migrating = repository.migrate();
    // Observed at once, so that a failure while the lock is held is this test's, not an unhandled rejection.
    migrating.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, limits.statementTimeoutMs * 3));
    await otherNode.query('COMMIT');

    await expect(migrating).resolves.not.toHaveLength(0);
  });
});
