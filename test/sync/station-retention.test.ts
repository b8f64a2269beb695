import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  personRecord,
  syntheticBiometric,
  syntheticCrossing,
  syntheticRegistration,
  syntheticSource,
  type Crossing,
  type Registration,
  type SyntheticSource,
} from '../../domain/records';
import { OVERSTAY_CHECK } from '../../domain/retention';
import { openRepository } from '../../sync-server/store/open';
import type { SyncRepository } from '../../sync-server/store/repository';
import { eventually, seedServer, startServer, startStation, type RunningServer, type RunningStation, type SeededStation } from '../support/sync-rig';
import { AuditTrail } from '../../main/audit/audit-trail';
import { silentLogger } from '../../main/log';
import { fileKeyVault, loadOrCreateDatabaseKey } from '../../main/store/database-key';
import { quoteIdentifier } from '../../main/store/sql/table-layout';
import { stationStoreFiles } from '../../main/store/station-files';
import { openDatabase } from '../../main/store/worker/open-database';
import { RetentionService } from '../../main/retention/retention-service';

const STATION = 'BIH-RT-01';
/** The moment the station's run decides for: records of March 2019 are past 3 years, not past 5. */
const NOW = Date.UTC(2023, 0, 10);

/** A synthetic registration of a person with this surname (and its search key made from it). */
function registrationOf(source: SyntheticSource, surname: string, overrides: Partial<Registration> = {}): Registration {
  const registration = syntheticRegistration(source, overrides);
  const { nameKey: _key, ...details } = registration.person;
  return { ...registration, person: personRecord({ ...details, surname, givenNames: 'Zzgiven' }) };
}

/**
 * The tables of the station's file that hold any of these texts, read through SQL with
 * the station's key (the file's bytes are enciphered): as UTF-8 (documents) or UTF-16BE
 * (index keys), in any column of any row.
 */
async function tablesHolding(dataDir: string, texts: string[]): Promise<string[]> {
  const files = stationStoreFiles(dataDir);
  const db = openDatabase(files.databaseFile, await loadOrCreateDatabaseKey(fileKeyVault(files.keyFile), files.databaseFile), { readOnly: true });
  const needles = texts.flatMap((text) => [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le').swap16()]);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
    return tables.filter((table) => {
      for (const row of db.prepare(`SELECT * FROM ${quoteIdentifier(table)}`).raw().iterate() as IterableIterator<unknown[]>) {
        for (const value of row) {
          const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.isBuffer(value) ? value : null;
          if (bytes && needles.some((needle) => bytes.includes(needle))) return true;
        }
      }
      return false;
    });
  } finally {
    db.close();
  }
}

describe('the station purge of records past their retention period', () => {
  let repository: SyncRepository;
  let server: RunningServer;
  let seeded: SeededStation[];
  let station: RunningStation | undefined;

  beforeEach(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-station-retention-')) });
    server = await startServer(repository);
    seeded = await seedServer(repository, [STATION, 'BIH-RT-02'], { alerts: 3 });
  });
  afterEach(async () => {
    await station?.close();
    station = undefined;
    await server.app.close();
    await repository.close();
  });

  /** A station with old, recent, unsynced and overstayers' records, all the server would take confirmed. */
  async function stationWithRecords() {
    const running = await startStation(seeded[0]!, server.url, { start: false });
    station = running;
    const officerIds = [running.officers[0]!.id];
    const old = syntheticSource(21, { from: Date.UTC(2019, 2, 1), stationId: STATION, officerIds });
    const recent = syntheticSource(22, { from: Date.UTC(2022, 9, 1), stationId: STATION, officerIds });
    const { collections } = running.store.database;

    const purgedRegistration = registrationOf(old, 'Zzpurgedname');
    const purgedCrossing: Crossing = { ...syntheticCrossing(old, { document: purgedRegistration.document }), person: purgedRegistration.person };
    const purgedCapture = syntheticBiometric(old, { recordType: 'crossing', recordId: purgedCrossing.id });
    // Saved under an officer of another station, the server refuses it: never confirmed, it stays.
    const unsynced = registrationOf(old, 'Zzunsyncedname', { officerId: seeded[1]!.officers[0]!.id });
    const recentRegistration = registrationOf(recent, 'Zzrecentname');
    // An overstayer: old, but kept 5 years.
    const overstayerRegistration = registrationOf(old, 'Zzoverstayername');
    const overstayerExit = syntheticCrossing(old, {
      direction: 'exit',
      document: overstayerRegistration.document,
      checks: [{ check: OVERSTAY_CHECK, severity: 'critical', outcome: 'failed' }],
    });
    await collections.registrations.bulkInsert([purgedRegistration, unsynced, recentRegistration, overstayerRegistration]);
    await collections.crossings.bulkInsert([purgedCrossing, overstayerExit]);
    await collections.biometrics.insert(purgedCapture);
    running.sync.start();
    const confirmed = async (collection: 'registrations' | 'crossings' | 'biometrics', id: string): Promise<boolean> =>
      ((await collections[collection].findOne(id).exec())?.receivedAt ?? 0) > 0;
    await eventually(
      async () =>
        (await confirmed('registrations', purgedRegistration.id)) &&
        (await confirmed('registrations', overstayerRegistration.id)) &&
        (await confirmed('registrations', recentRegistration.id)) &&
        (await confirmed('crossings', purgedCrossing.id)) &&
        (await confirmed('crossings', overstayerExit.id)) &&
        (await confirmed('biometrics', purgedCapture.id)),
      'the server has confirmed the records',
    );
    // The person is in the records and in what the replication remembers of them.
    const before = await tablesHolding(running.dataDir, ['Zzpurgedname']);
    expect(before).toEqual(expect.arrayContaining(['docs:registrations__v0', 'docs:crossings__v0']));
    expect(before.some((table) => table.startsWith('docs:rx-replication-meta-'))).toBe(true);
    const trail = new AuditTrail(collections.audit, STATION);
    const retention = new RetentionService({ database: running.store.database, audit: () => trail, log: silentLogger, now: () => NOW });
    return { running, collections, retention, purgedRegistration, purgedCrossing, unsynced, recentRegistration, overstayerRegistration, overstayerExit };
  }

  /** Closes the station (its WAL folds into the file) and checks the file: the purged person nowhere, the others where they were. */
  async function expectOnlyKeptInFile(running: RunningStation, purgedRegistration: Registration): Promise<void> {
    await running.close();
    station = undefined;
    const purgedTexts = ['Zzpurgedname', purgedRegistration.person.nameKey, purgedRegistration.document.documentNumber];
    expect(await tablesHolding(running.dataDir, purgedTexts)).toEqual([]);
    expect(await tablesHolding(running.dataDir, ['Zzunsyncedname'])).toContain('docs:registrations__v0');
    expect(await tablesHolding(running.dataDir, ['Zzoverstayername'])).toContain('docs:registrations__v0');
  }

  it('purges old synced records, keeps unsynced, recent and overstayers\' ones, sends no deletion, and audits the run', async () => {
    const { running, collections, retention, purgedRegistration, purgedCrossing, unsynced, recentRegistration, overstayerRegistration, overstayerExit } = await stationWithRecords();
    const result = await retention.run();
    expect(result).toEqual({ at: NOW, purged: { registrations: 1, crossings: 1, biometrics: 1 }, unsynced: 1 });

    expect([...(await collections.registrations.findByIds([purgedRegistration.id, unsynced.id, recentRegistration.id, overstayerRegistration.id]).exec()).keys()].sort()).toEqual(
      [unsynced.id, recentRegistration.id, overstayerRegistration.id].sort(),
    );
    expect([...(await collections.crossings.find().exec()).map((crossing) => crossing.id)]).toEqual([overstayerExit.id]);
    expect(await collections.biometrics.count().exec()).toBe(0);

    // The audit entries reach the server; the server still has the records: no deletion was sent.
    await running.sync.syncNow();
    await eventually(async () => (await repository.count('audit', STATION)) === 3, 'the audit entries reached the server');
    const audit = (await repository.pull('audit', { kind: 'station', stationId: STATION }, 0, 10)).records.map((record) => record.document);
    expect(audit.map((entry) => [entry.officerId, entry.action, entry.details])).toEqual(
      expect.arrayContaining([
        ['system', 'retention.purge', { collection: 'registrations', count: '1', cutoff: '2020-01-10' }],
        ['system', 'retention.purge', { collection: 'crossings', count: '1', cutoff: '2020-01-10' }],
        // Captures go with their record; the bound is that of captures without one.
        ['system', 'retention.purge', { collection: 'biometrics', count: '1', cutoff: '2020-01-10' }],
      ]),
    );
    expect((await repository.records('registrations', [purgedRegistration.id])).has(purgedRegistration.id)).toBe(true);
    expect((await repository.records('crossings', [purgedCrossing.id])).has(purgedCrossing.id)).toBe(true);
    expect(running.sync.status().failures.map((failure) => failure.code)).not.toContain('RECORD_DELETE_REFUSED');
    expect((await server.app.inject({ method: 'GET', url: '/metrics' })).body).not.toMatch(/mis_push_batches_total\{[^}]*outcome="RECORD_DELETE_REFUSED"/);

    await expectOnlyKeptInFile(running, purgedRegistration);
  });

  it('leaves nothing of a purged person in what the replication remembered, when the replication is not running (as when the app starts)', async () => {
    const { running, retention, purgedRegistration } = await stationWithRecords();
    await running.sync.stop();
    expect((await retention.run()).purged).toEqual({ registrations: 1, crossings: 1, biometrics: 1 });
    await expectOnlyKeptInFile(running, purgedRegistration);
  });
});
