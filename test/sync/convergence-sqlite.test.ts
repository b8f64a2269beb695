import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteRepository } from '../../sync-server/store/sqlite-repository';
import { describeConvergence } from './convergence';

describeConvergence('SQLite', async () => {
  const repository = await openSqliteRepository(join(mkdtempSync(join(tmpdir(), 'mis-server-')), 'sync.sqlite'));
  await repository.migrate();
  return repository;
});
