import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresForThisFile } from '../../test/support/postgres-per-file';
import { migrations, migrationsTable } from './migrations';
import { openPostgresRepository, PostgresRepositoryError } from './postgres-repository';
import { deferred, describeRepositoryContract, nextChanges, officer, receivedAt, registration, write, type Change } from './repository.contract';
import type { StoredRecord, SyncRepository } from './repository';

// One server for the file; every test gets a database of its own.
const postgres = postgresForThisFile('repository');

const freshDatabase = (): Promise<string> => postgres.database();

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

  /** The numbers in flight (records' or conflicts'), as pg_locks shows their locks. */
  async function numbersInFlight(client: pg.Client, tag: 'records' | 'conflicts'): Promise<{ number: number; pid: number }[]> {
    const { rows } = await client.query<{ number: string; pid: number }>(
      `SELECT ((classid::bigint & 255) << 32) | objid::bigint AS number, pid FROM pg_locks
       WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND classid::bigint >> 8 = $1
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY 1`,
      [tag === 'records' ? 0x4d_4904 : 0x4d_4905],
    );
    return rows.map((row) => ({ number: Number(row.number), pid: row.pid }));
  }

  /** Records the changes the repository reports. */
  function recordChanges(repository: SyncRepository): Change[] {
    const seen: Change[] = [];
    repository.onChange((change) => seen.push(change));
    return seen;
  }

  /** Long enough for the change feed to have looked on its own (it does every 50 ms while rows wait). */
  const feedLooks = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 200));

  const pulled = (page: { records: StoredRecord[] }): [string, number][] => page.records.map((record) => [record.id, record.sequence]);

  /**
   * A deferred that holds a transaction open; opened through here, it is resolved after the
   * test whatever happened, so that a failing test ends its transactions instead of leaving
   * close() waiting for them.
   */
  const gates: (() => void)[] = [];
  function gate(): { promise: Promise<void>; resolve: () => void } {
    const held = deferred();
    gates.push(() => held.resolve());
    return held;
  }

  afterEach(async () => {
    for (const open of gates.splice(0)) open();
    await Promise.all(opened.splice(0).map((repository) => repository.close()));
    await Promise.all(admins.splice(0).map((client) => client.end()));
  });

  it('migrates once when two nodes start together', async () => {
    const url = await freshDatabase();
    const [first, second] = await Promise.all([open(url), open(url)]);
    const applied = await Promise.all([first!.migrate(), second!.migrate()]);
    expect(applied.map((versions) => versions.length).sort()).toEqual([0, migrations.length]);
  });

  it('brings a store of version 1 to version 2, and finds the audit entries it already held, through the index', async () => {
    const url = await freshDatabase();
    const old = await admin(url);
    await old.query(migrationsTable.postgres);
    await old.query(migrations[0]!.postgres);
    await old.query('INSERT INTO schema_migrations (version) VALUES (1)');
    const document = { id: 'a1', _deleted: false, stationId: 'S1', sequence: 1, receivedAt: 5 };
    await old.query("INSERT INTO records VALUES ('audit', 'a1', 'S1', 1, 5, false, $1, 'station:S1')", [JSON.stringify(document)]);

    const repository = await open(url);
    expect(await repository.migrate()).toEqual(migrations.slice(1).map((migration) => migration.version));
    expect(await repository.auditTrailPage('S1', null, 10)).toEqual([{ stationId: 'S1', id: 'a1', sequence: 1, document }]);
    // The page query as the repository sends it, on a planner told to avoid scans where it can.
    await old.query('SET enable_seqscan = off');
    const plan = await old.query(
      `EXPLAIN SELECT id FROM records WHERE collection = 'audit' AND station_id = $1 AND (((document->>'sequence')::bigint), id) > ($2::bigint, $3::text)
       ORDER BY ((document->>'sequence')::bigint), id LIMIT 10`,
      ['S1', 0, ''],
    );
    expect(plan.rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n')).toMatch(/Index Cond: .*station_id = .*sequence.*id/s);
  });

  it('brings a store of version 2 to version 3, and finds what retention looks for through its indexes', async () => {
    const url = await freshDatabase();
    const old = await admin(url);
    await old.query(migrationsTable.postgres);
    for (const migration of migrations.slice(0, 2)) await old.query(migration.postgres);
    await old.query('INSERT INTO schema_migrations (version) VALUES (1), (2)');
    const document = { id: 'c1', _deleted: false, stationId: 'S1', occurredAt: 5, receivedAt: 7, document: { documentNumber: 'AB1', issuingState: 'SRB' } };
    await old.query("INSERT INTO records VALUES ('crossings', 'c1', 'S1', 1, 7, false, $1, 'station:S1')", [JSON.stringify(document)]);

    const repository = await open(url);
    expect(await repository.migrate()).toEqual(migrations.slice(2).map((migration) => migration.version));
    expect((await repository.retentionCandidates('crossings', 6, null, 10)).map((record) => record.id)).toEqual(['c1']);
    expect((await repository.crossingsOfDocuments([{ documentNumber: 'AB1', issuingState: 'SRB' }])).map((record) => record.id)).toEqual(['c1']);
    // The queries as the repository sends them, on a planner told to avoid scans where it can.
    await old.query('SET enable_seqscan = off');
    const plan = async (sql: string, params: unknown[]): Promise<string> =>
      (await old.query(`EXPLAIN ${sql}`, params)).rows.map((row: { 'QUERY PLAN': string }) => row['QUERY PLAN']).join('\n');
    expect(
      await plan(
        `SELECT id FROM records WHERE collection = 'crossings' AND ((document->>'occurredAt')::bigint) < $1 AND (((document->>'occurredAt')::bigint), id) > ($2::bigint, $3::text)
         ORDER BY ((document->>'occurredAt')::bigint), id LIMIT 10`,
        [6, 0, ''],
      ),
    ).toMatch(/records_retention_crossings/);
    expect(
      await plan(
        `SELECT id FROM records WHERE collection = 'crossings'
           AND (document->'document'->>'documentNumber', document->'document'->>'issuingState') IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [['AB1'], ['SRB']],
      ),
    ).toMatch(/records_crossings_by_document/);
    expect(await plan(`SELECT id FROM records WHERE collection = 'biometrics' AND (document->>'recordId') = ANY($1::text[])`, [['c1']])).toMatch(/records_biometrics_by_record/);
  });

  it('never lets a pull skip a row: a higher sequence committed while a lower one is in flight waits for it', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const observer = await admin(url);
    const changes = recordChanges(repository);
    const scope = { kind: 'all' } as const;

    const earlyWritten = deferred<StoredRecord[]>();
    const commitEarly = gate();
    const early = repository.transaction(async (tx) => {
      earlyWritten.resolve(await tx.write([registration('early', 'S1')], receivedAt));
      await commitEarly.promise;
    });
    const [earlyRecord] = await earlyWritten.promise;
    // Writers do not queue for each other's commits: the later one commits while the earlier is open.
    const [lateRecord] = await write(repository, [registration('late', 'S2')]);
    expect([earlyRecord!.sequence, lateRecord!.sequence]).toEqual([1, 2]);
    expect(await numbersInFlight(observer, 'records')).toMatchObject([{ number: 1 }]);

    // 2 is committed and 1 is not: a pull that returned 2 would have its checkpoint pass 1,
    // which commits later. It returns nothing yet, and nothing is reported.
    const whileOpen = await repository.pull('registrations', scope, 0, 10);
    expect(whileOpen).toEqual({ records: [], checkpoint: 0 });
    expect(await repository.pull('registrations', { kind: 'station', stationId: 'S2' }, 0, 10)).toEqual({ records: [], checkpoint: 0 });
    expect(await repository.lastSequence()).toBe(0);
    await feedLooks();
    expect(changes).toEqual([]);

    commitEarly.resolve();
    await early;
    expect(pulled(await repository.pull('registrations', scope, whileOpen.checkpoint, 10))).toEqual([
      ['early', 1],
      ['late', 2],
    ]);
    expect(await repository.lastSequence()).toBe(2);
    await until(async () => changes.length >= 2);
    expect(changes).toEqual([
      { collection: 'registrations', stationId: 'S1', sequence: 1 },
      { collection: 'registrations', stationId: 'S2', sequence: 2 },
    ]);
  });

  it('holds pulls back at the first number of a transaction that writes several times, until it ends', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const firstWritten = deferred();
    const writeAgain = gate();
    const secondWritten = deferred();
    const commit = gate();
    const long = repository.transaction(async (tx) => {
      await tx.write([registration('a', 'S1')], receivedAt);
      firstWritten.resolve();
      await writeAgain.promise;
      await tx.write([registration('c', 'S1'), registration('d', 'S1')], receivedAt);
      secondWritten.resolve();
      await commit.promise;
    });
    await firstWritten.promise;
    await write(repository, [registration('b', 'S1')]);
    writeAgain.resolve();
    await secondWritten.promise;
    await write(repository, [registration('e', 'S1')]);
    expect(await repository.pull('registrations', { kind: 'all' }, 0, 10)).toEqual({ records: [], checkpoint: 0 });
    commit.resolve();
    await long;
    expect(pulled(await repository.pull('registrations', { kind: 'all' }, 0, 10))).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['d', 4],
      ['e', 5],
    ]);
  });

  it('lets pulls pass the numbers of a transaction that rolled back, and reports the changes it held back', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const changes = recordChanges(repository);
    const written = deferred();
    const abandon = gate();
    const abandoned = repository.transaction(async (tx) => {
      await tx.write([registration('dropped', 'S1')], receivedAt);
      written.resolve();
      await abandon.promise;
      throw new Error('abandoned');
    });
    await written.promise;
    await write(repository, [registration('kept', 'S2')]);
    expect(await repository.pull('registrations', { kind: 'all' }, 0, 10)).toEqual({ records: [], checkpoint: 0 });

    abandon.resolve();
    await expect(abandoned).rejects.toThrow('abandoned');
    expect(await repository.pull('registrations', { kind: 'all' }, 0, 10)).toEqual({ records: [expect.objectContaining({ id: 'kept', sequence: 2 })], checkpoint: 2 });
    // 1 stays a gap: numbers go on above the highest committed.
    const [next] = await write(repository, [registration('next', 'S1')]);
    expect(next!.sequence).toBe(3);
    await until(async () => changes.length >= 2);
    expect(changes).toEqual([
      { collection: 'registrations', stationId: 'S2', sequence: 2 },
      { collection: 'registrations', stationId: 'S1', sequence: 3 },
    ]);
  });

  it('lets pulls pass the numbers of a writer whose connection died, once PostgreSQL ended its transaction', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const observer = await admin(url);
    const written = deferred();
    const finish = gate();
    const dying = repository.transaction(async (tx) => {
      await tx.write([registration('lost', 'S1')], receivedAt);
      written.resolve();
      await finish.promise;
    });
    await written.promise;
    await write(repository, [registration('kept', 'S2')]);
    expect(await repository.lastSequence()).toBe(0);

    const [inFlight] = await numbersInFlight(observer, 'records');
    await observer.query('SELECT pg_terminate_backend($1)', [inFlight!.pid]);
    await until(async () => (await repository.lastSequence()) === 2);
    expect(pulled(await repository.pull('registrations', { kind: 'all' }, 0, 10))).toEqual([['kept', 2]]);
    finish.resolve();
    await expect(dying).rejects.toThrow();
    // The pool goes on with other connections.
    expect((await write(repository, [registration('after', 'S1')]))[0]!.sequence).toBe(3);
  });

  it('never lets a conflict listing skip a conflict logged by a transaction still open', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const kept = registration('r1', 'A', { surname: 'Server' }).document;
    const conflict = (recordId: string) => ({ collection: 'registrations' as const, recordId, stationId: 'A', kept, setAside: registration(recordId, 'A').document, rule: 'test' });
    const logged = deferred();
    const commitEarly = gate();
    const early = repository.transaction(async (tx) => {
      await tx.logConflict(conflict('early'), receivedAt);
      logged.resolve();
      await commitEarly.promise;
    });
    await logged.promise;
    await repository.transaction((tx) => tx.logConflict(conflict('late'), receivedAt));
    expect(await repository.conflicts({})).toEqual([]);
    commitEarly.resolve();
    await early;
    const all = await repository.conflicts({});
    expect(all.map((entry) => entry.recordId)).toEqual(['early', 'late']);
    expect(all[0]!.number).toBeLessThan(all[1]!.number);
  });

  it('takes no lock shared by all writers for longer than drawing its numbers: none while a transaction is open', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    const observer = await admin(url);
    const written = deferred();
    const commit = gate();
    const open = repository.transaction(async (tx) => {
      await tx.write([registration('r1', 'S1')], receivedAt);
      await tx.logConflict({ collection: 'registrations', recordId: 'r1', stationId: 'S1', kept: registration('r1', 'S1').document, setAside: registration('r1', 'S1', { surname: 'Other' }).document, rule: 'test' }, receivedAt);
      written.resolve();
      await commit.promise;
    });
    await written.promise;
    const { rows: held } = await observer.query<{ objid: number; objsubid: number }>(
      "SELECT objid::int, objsubid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      [0x4d_49_0002],
    );
    expect(held).toEqual([]);
    expect((await numbersInFlight(observer, 'records')).map((entry) => entry.number)).toEqual([1]);
    expect(await numbersInFlight(observer, 'conflicts')).toHaveLength(1);
    commit.resolve();
    await open;
    expect(await numbersInFlight(observer, 'records')).toEqual([]);
  });

  it('reads without locks: read() neither waits for a transaction that locked the record nor holds up its writers', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    await write(repository, [officer('o1', { name: 'Before' })]);

    // A transaction that locked o1 (an import about to change it) does not hold up a read of it.
    const locked = deferred();
    const release = gate();
    const importing = repository.transaction(async (tx) => {
      await tx.current('officers', ['o1']);
      locked.resolve();
      await release.promise;
      await tx.write([officer('o1', { name: 'After' })], receivedAt);
    });
    await locked.promise;
    const read = await repository.transaction(async (tx) => {
      const officers = await tx.read('officers', ['o1']);
      await tx.write([registration('r1', 'S1')], receivedAt);
      return officers.get('o1')?.document.name;
    });
    expect(read).toBe('Before');
    release.resolve();
    await importing;

    // A transaction that read o1 and is still open does not hold up a writer of it.
    const hasRead = deferred();
    const finishReading = gate();
    const reading = repository.transaction(async (tx) => {
      await tx.read('officers', ['o1']);
      hasRead.resolve();
      await finishReading.promise;
    });
    await hasRead.promise;
    await write(repository, [officer('o1', { name: 'Again' })]);
    finishReading.resolve();
    await reading;
    expect((await repository.pull('officers', { kind: 'all' }, 0, 10)).records.map((record) => record.document.name)).toEqual(['Again']);
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

  it('refuses a write whose sequence numbers would pass 2^40, writing nothing, and takes one that fits', async () => {
    const url = await freshDatabase();
    const repository = await openMigrated(url);
    // A purge once reached 2^40 - 3: numbers are never given out again below it.
    await (await admin(url)).query("INSERT INTO retention_purges (run_id, collection, at, cutoff, purged, highest_sequence) VALUES ('run', 'registrations', 1, 1, 1, $1)", [2 ** 40 - 3]);
    await expect(write(repository, [registration('r1', 'S1'), registration('r2', 'S1'), registration('r3', 'S1')])).rejects.toThrow(/Sequence numbers have run out/);
    expect(await repository.count('registrations')).toBe(0);
    const [last] = await write(repository, [registration('r4', 'S1')]);
    expect(last!.sequence).toBe(2 ** 40 - 2);
  });

  it('fails to open, with a clear error, when the database cannot be reached', async () => {
    const unreachable = postgres.server().url.replace(/\/[^/]*$/, '/no_such_database');
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

    await postgres.server().restart();

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
