import { postgresForThisFile } from '../../test/support/postgres-per-file';
import { describeFleetStoreContract } from './fleet-store.contract';
import { openPostgresRepository } from './postgres-repository';

// One server for the file; every test gets a database of its own.
const postgres = postgresForThisFile('fleet');

describeFleetStoreContract('postgres', async () => openPostgresRepository(await postgres.database(), { poolSize: 2 }));
