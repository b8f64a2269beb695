import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openPostgresRepository } from './postgres-repository';
import type { SyncRepository } from './repository';
import { openSqliteRepository } from './sqlite-repository';

export interface RepositoryConfig {
  /** postgres://… : PostgreSQL; absent: the embedded SQLite file. */
  databaseUrl?: string | undefined;
  /** The folder of the SQLite file (default ./server-data). */
  dataDir?: string | undefined;
}

export function repositoryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RepositoryConfig {
  return { databaseUrl: env.DATABASE_URL || undefined, dataDir: env.MIS_SERVER_DATA || undefined };
}

/** Where the server's SQLite database lives, for messages and docs. */
export function sqliteFile(config: RepositoryConfig): string {
  return join(resolve(config.dataDir ?? 'server-data'), 'sync.sqlite');
}

/** Opens the configured database and brings its schema up to date. */
export async function openRepository(config: RepositoryConfig): Promise<SyncRepository> {
  let repository: SyncRepository;
  if (config.databaseUrl) {
    repository = await openPostgresRepository(config.databaseUrl);
  } else {
    const file = sqliteFile(config);
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    repository = await openSqliteRepository(file);
  }
  try {
    await repository.migrate();
  } catch (error) {
    await repository.close();
    throw error;
  }
  return repository;
}
