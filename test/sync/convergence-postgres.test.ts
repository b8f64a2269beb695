import { afterAll, beforeAll } from 'vitest';
import { openPostgresRepository } from '../../sync-server/store/postgres-repository';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { describeConvergence } from './convergence';

let postgres: TestPostgres;
let databases = 0;

beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(() => postgres.stop());

describeConvergence('PostgreSQL', async () => {
  const repository = await openPostgresRepository(await postgres.createDatabase(`convergence_${++databases}`));
  await repository.migrate();
  return repository;
});
