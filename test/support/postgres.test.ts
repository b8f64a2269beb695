import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as FreePort from './free-port';

/** The ports freePort hands out, the taken one first. */
const ports = vi.hoisted(() => ({ queue: [] as number[] }));

vi.mock('./free-port', async (importOriginal) => {
  const original = await importOriginal<typeof FreePort>();
  return { freePort: async () => ports.queue.shift() ?? original.freePort() };
});

const { startPostgres } = await import('./postgres');

describe('startPostgres', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('takes another port when the free one it was given is taken before the server binds it', async () => {
    // Someone else listens on the port freePort gives first.
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => squatter.close(() => resolve())));
    const taken = (squatter.address() as { port: number }).port;
    ports.queue.push(taken);

    const postgres = await startPostgres();
    cleanups.push(() => postgres.stop());
    expect(new URL(postgres.url).port).not.toBe(String(taken));
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });
});
