import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres';

/**
 * One throwaway PostgreSQL server for a test file: started before its first test, stopped
 * after its last. `database()` makes a fresh database on it, so that every test has one
 * of its own.
 */
export function postgresForThisFile(prefix: string): { server(): TestPostgres; database(): Promise<string> } {
  let started: TestPostgres | undefined;
  let databases = 0;
  beforeAll(async () => {
    started = await startPostgres();
  });
  afterAll(async () => {
    await started?.stop();
  });
  const server = (): TestPostgres => {
    if (!started) throw new Error('PostgreSQL is not started yet: use it inside a test or a hook.');
    return started;
  };
  return { server, database: () => server().createDatabase(`${prefix}_${++databases}`) };
}
