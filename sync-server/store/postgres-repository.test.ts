import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../test/support/postgres';
import { openPostgresRepository, PostgresRepositoryError } from './postgres-repository';
import { deferred, describeRepositoryContract, nextChanges, receivedAt, registration, write } from './repository.contract';
import type { StoredRecord, SyncRepository } from './repository';

// One server for the file; every test gets a database of its own.
let server: TestPostgres;
let databases = 0;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server?.stop();
});

const freshDatabase = (): Promise<string> => server.createDatabase(`repository_${++databases}`);

describeRepositoryContract('postgres', async () => openPostgresRepository(await freshDatabase(), { poolSize: 4 }));

describe('postgres repository', () => {
  const opened: SyncRepository[] = [];
  const admins: pg.Client[] = [];

  async function open(url: string): Promise<SyncRepository> {
    const repository = await openPostgresRepository(url, { poolSize: 4 });
    opened.push(repository);
    return repository;
  }

  async function openMigrated(url: string): Promise<SyncRepository> {
    const repository = await open(url);
    await repository.migrate();
    return repository;
  }

  /** A plain connection to look at what the server is doing. */
  async function admin(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    // Cut off when the server restarts or stops: the test that uses it fails on its own.
    client.on('error', () => undefined);
    await client.connect();
    admins.push(client);
    return client;
  }

  /** How many sessions of the database wait for an advisory lock. */
  async function advisoryLockWaiters(client: pg.Client): Promise<number> {
    const { rows } = await client.query<{ waiting: number }>(
      "SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    );
    return rows[0]?.waiting ?? 0;
  }

  /** Resolves once `condition` holds, asking again every 10 ms. */
  async function until(condition: () => Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((repository) => repository.close()));
    await Promise.all(admins.splice(0).map((client) => client.end()));
  });

  it('migrates once when two nodes start together', async () => {
    const url = await freshDatabase();
    const [first, second] = await Promise.all([open(url), open(url)]);
    const applied = await Promise.all([first!.migrate(), second!.migrate()]);
    expect(applied.map((versions) => versions.length).sort()).toEqual([0, 1]);
  });

  it('never lets a pull skip a row: a transaction cannot commit a higher sequence while a lower one is open', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const observer = await admin(url);
    const scope = { kind: 'all' } as const;

    const earlyWritten = deferred<StoredRecord[]>();
    const commitEarly = deferred();
    const early = repository.transaction(async (tx) => {
      earlyWritten.resolve(await tx.write([registration('early', 'S1')], receivedAt));
      await commitEarly.promise;
    });
    const [earlyRecord] = await earlyWritten.promise;
    let lateSettled = false;
    const late = repository.transaction((tx) => tx.write([registration('late', 'S1')], receivedAt));
    late.then(
      () => (lateSettled = true),
      () => (lateSettled = true),
    );
    await until(async () => lateSettled || (await advisoryLockWaiters(observer)) > 0);
    expect(lateSettled, 'the later transaction finished while the earlier one was open').toBe(false);

    // The early transaction holds sequence 1 and is open; the late one has to wait for it
    // instead of committing sequence 2, so a pull now cannot jump past 1.
    const whileOpen = await repository.pull('registrations', scope, 0, 10);
    expect(whileOpen).toEqual({ records: [], checkpoint: 0 });
    expect(await repository.lastSequence()).toBe(0);

    commitEarly.resolve();
    await early;
    const [lateRecord] = await late;
    expect([earlyRecord!.sequence, lateRecord!.sequence]).toEqual([1, 2]);
    const afterBoth = await repository.pull('registrations', scope, whileOpen.checkpoint, 10);
    expect(afterBoth.records.map((record) => [record.id, record.sequence])).toEqual([
      ['early', 1],
      ['late', 2],
    ]);
  });

  it('never lets a pull skip a row while many transactions commit at once', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const writers = 6;
    const transactionsEach = 8;
    let writing = true;
    const pulled = new Map<string, number>();
    const behindCheckpoint: string[] = [];
    let checkpoint = 0;

    async function pullNewer(): Promise<void> {
      const page = await repository.pull('registrations', { kind: 'all' }, checkpoint, 7);
      for (const record of page.records) {
        if (record.sequence <= checkpoint) behindCheckpoint.push(record.id);
        pulled.set(record.id, record.sequence);
      }
      checkpoint = page.checkpoint;
    }

    const puller = (async () => {
      while (writing) await pullNewer();
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let index = 0; index < transactionsEach; index++) {
          await repository.transaction(async (tx) => {
            const id = `w${writer}-${index}`;
            await tx.current('registrations', [id]);
            await tx.write([registration(id, 'S1')], receivedAt);
            // Hold the transaction open a little, so that commits interleave with pulls.
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
          });
        }
      }),
    );
    writing = false;
    await puller;
    await pullNewer();
    await pullNewer();

    expect(behindCheckpoint).toEqual([]);
    expect(pulled.size).toBe(writers * transactionsEach);
    expect([...pulled.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: writers * transactionsEach }, (_, index) => index + 1));
  });

  it('makes a second transaction on the same new id wait for the first, then see its write', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const observer = await admin(url);
    const firstHasRead = deferred();
    const finishFirst = deferred();
    const first = repository.transaction(async (tx) => {
      expect((await tx.current('registrations', ['new'])).size).toBe(0);
      firstHasRead.resolve();
      await finishFirst.promise;
      await tx.write([registration('new', 'S1', { surname: 'First' })], receivedAt);
    });
    await firstHasRead.promise;
    const second = repository.transaction(async (tx) => (await tx.current('registrations', ['new'])).get('new')?.document.surname);
    await until(async () => (await advisoryLockWaiters(observer)) > 0);
    finishFirst.resolve();
    await first;
    expect(await second).toBe('First');
  });

  it("delivers a node's committed changes to a listener on another node, and nothing of a rollback", async () => {
    const url = await freshDatabase();
    const writer = await openMigrated(url);
    const otherNode = await open(url);
    const changes = nextChanges(otherNode, 1);
    await expect(
      writer.transaction(async (tx) => {
        await tx.write([registration('dropped', 'S1')], receivedAt);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    await write(writer, [registration('kept', 'S2')]);
    expect(await changes).toEqual([{ collection: 'registrations', stationId: 'S2', sequence: 1 }]);
  });

  it('refuses text that jsonb cannot hold, naming the record and writing nothing', async () => {
    const repository = await openMigrated(await freshDatabase());
    const refused = write(repository, [registration('r1', 'S1'), registration('r2', 'S1', { surname: 'nul\u0000char' })]);
    await expect(refused).rejects.toThrow(PostgresRepositoryError);
    await expect(refused).rejects.toThrow('registrations/r2');
    await expect(write(repository, [registration('r3', 'S1', { surname: 'half \ud83d pair' })])).rejects.toThrow(PostgresRepositoryError);
    expect(await repository.count('registrations')).toBe(0);
  });

  it('fails to open, with a clear error, when the database cannot be reached', async () => {
    const unreachable = server.url.replace(/\/[^/]*$/, '/no_such_database');
    await expect(openPostgresRepository(unreachable)).rejects.toThrow(/cannot be reached/);
  });

  // Restarts the server the whole file shares: last, so that nothing else runs during it.
  it('survives a restart of PostgreSQL: queries, transactions and change notifications resume', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const otherNode = await open(url);
    await write(repository, [registration('before', 'S1')]);
    await nextChanges(otherNode, 1);
    const changesAfterRestart = nextChanges(otherNode, 1);

    await server.restart();

    expect((await repository.pull('registrations', { kind: 'all' }, 0, 10)).records.map((record) => record.id)).toEqual(['before']);
    await repository.ping();
    const [after] = await write(repository, [registration('after', 'S1')]);
    expect(after!.sequence).toBe(2);
    expect(await changesAfterRestart).toEqual([{ collection: 'registrations', stationId: 'S1', sequence: 2 }]);
    const laterChanges = nextChanges(otherNode, 1);
    await write(repository, [registration('later', 'S2')]);
    expect(await laterChanges).toEqual([{ collection: 'registrations', stationId: 'S2', sequence: 3 }]);
  });
});
