import { afterAll, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from '../../test/support/postgres';
import { describeFleetStoreContract } from './fleet-store.contract';
import { openPostgresRepository } from './postgres-repository';

// One server for the file; every test gets a database of its own.
let server: TestPostgres;
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

describeFleetStoreContract('postgres', async () => openPostgresRepository(await server.createDatabase(`fleet_${++databases}`), { poolSize: 2 }));
