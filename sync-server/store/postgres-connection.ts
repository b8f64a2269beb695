import type pg from 'pg';

/**
 * Runs `body` on a connection of the pool. A connection that breaks while checked out
 * (PostgreSQL restarted, its backend terminated) says so through its error event, heard
 * here (unheard, the event would end the process); `body` reports a breakage it found
 * itself (a ROLLBACK that failed) through `broke`. A broken connection is closed instead
 * of going back to the pool for the next caller, and so is one `closeAfter` asks to close.
 */
export async function onPooledConnection<T>(pool: pg.Pool, body: (client: pg.PoolClient, broke: (error: Error) => void) => Promise<T>, closeAfter: () => boolean = () => false): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const broke = (error: Error): void => {
    broken ??= error;
  };
  client.on('error', broke);
  try {
    return await body(client, broke);
  } finally {
    client.off('error', broke);
    client.release(broken ?? closeAfter());
  }
}
