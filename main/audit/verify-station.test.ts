import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, auditEntrySchema } from '../../domain/records';
import { openStationStore } from '../services/station-store';
import { fileKeyVault } from '../store/database-key';
import { orderKey, quoteIdentifier, tableLayoutFor } from '../store/sql/table-layout';
import { stationStoreFiles } from '../store/station-files';
import { openDatabase } from '../store/worker/open-database';
import { AuditTrail } from './audit-trail';
import { verifyStationAuditTrails } from './verify-station';

const folder = mkdtempSync(join(tmpdir(), 'mis-audit-verify-station-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const stationId = 'BIH-VS-01';
const auditTable = quoteIdentifier(tableLayoutFor('audit', auditEntrySchema).docsTable);
let original: string;
let entries: AuditEntry[];

/** `npx tsx scripts/audit-verify.ts …`, as IT staff run it (node with tsx's loader: the same, without npx's start-up). */
function auditVerify(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

let copies = 0;
/** A copy of the station's data folder (database and key file) to tamper with. */
function copyOfStation(): { dataDir: string; databaseFile: string; key: string } {
  const dataDir = join(folder, `copy-${++copies}`);
  cpSync(original, dataDir, { recursive: true });
  const files = stationStoreFiles(dataDir);
  return { dataDir, databaseFile: files.databaseFile, key: readFileSync(files.keyFile, 'utf8').trim() };
}

/** Runs SQL on the station database with its key, as someone holding both could. */
function withDatabase(copy: { databaseFile: string; key: string }, work: (db: ReturnType<typeof openDatabase>) => void): void {
  const db = openDatabase(copy.databaseFile, copy.key);
  try {
    work(db);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  original = mkdtempSync(join(folder, 'station-'));
  const store = await openStationStore(original, fileKeyVault(stationStoreFiles(original).keyFile));
  try {
    const trail = new AuditTrail(store.database.audit, stationId);
    entries = [];
    entries.push(await trail.record({ officerId: 'officer-17', action: 'login', details: { result: 'ok' } }));
    for (let n = 0; n < 5; n++) {
      entries.push(await trail.record({ officerId: 'officer-17', action: 'registration.view', recordType: 'registration', recordId: '0197f9a0-5a00-7000-8000-0000000000aa' }));
    }
  } finally {
    await store.close();
  }
});

describe('verifying a station database', () => {
  it('passes an intact trail recorded by the station', async () => {
    expect(await verifyStationAuditTrails(original)).toEqual({
      databaseFile: stationStoreFiles(original).databaseFile,
      verdicts: [{ ok: true, stationId, entries: 6, lastSequence: 6, lastHash: entries[5]!.hash }],
    });
    const result = await auditVerify(['--station', original]);
    expect([result.status, result.stdout, result.stderr]).toEqual([0, `audit chain of station ${stationId}: 6 entries, intact\n`, '']);
  });

  it('names the entry one byte of which was changed through SQL with the key', async () => {
    const copy = copyOfStation();
    const fourth = entries[3]!;
    withDatabase(copy, (db) => {
      const changed = db.prepare(`UPDATE ${auditTable} SET data = replace(data, '"officerId":"officer-17"', '"officerId":"officer-18"') WHERE id_order = ?`).run(orderKey(fourth.id));
      expect(changed.changes).toBe(1);
    });
    expect((await verifyStationAuditTrails(copy.dataDir)).verdicts).toMatchObject([{ ok: false, entries: 3, broken: { kind: 'edited', sequence: 4, entryId: fourth.id } }]);
    const result = await auditVerify(['--station', copy.dataDir]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      `audit chain of station ${stationId}: BROKEN at sequence 4, id ${fourth.id}, edited: Entry 4 (id ${fourth.id}) of station ${stationId} was changed after it was recorded: its content no longer matches its fingerprint (hash).\n`,
    );
  });

  it('counts an entry marked deleted as missing', async () => {
    const copy = copyOfStation();
    withDatabase(copy, (db) => db.prepare(`UPDATE ${auditTable} SET deleted = 1 WHERE id_order = ?`).run(orderKey(entries[1]!.id)));
    expect((await verifyStationAuditTrails(copy.dataDir)).verdicts).toMatchObject([{ ok: false, broken: { kind: 'gap', sequence: 3, missing: { first: 2, last: 2 } } }]);
  });

  it('says the file is damaged when one of its bytes was changed on disk, which the cipher refuses to read back', async () => {
    const copy = copyOfStation();
    let rootPage = 0;
    let pageSize = 0;
    withDatabase(copy, (db) => {
      // Every page in the file itself, none in the write-ahead log: the byte below is the page's only copy.
      db.pragma('wal_checkpoint(TRUNCATE)');
      rootPage = db.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(tableLayoutFor('audit', auditEntrySchema).docsTable) as number;
      pageSize = db.pragma('page_size', { simple: true }) as number;
    });
    expect(existsSync(`${copy.databaseFile}-wal`)).toBe(false);
    // The middle of the table's root page, which every read of the table goes through.
    const at = (rootPage - 1) * pageSize + pageSize / 2;
    const descriptor = openSync(copy.databaseFile, 'r+');
    const byte = Buffer.alloc(1);
    readSync(descriptor, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x01;
    writeSync(descriptor, byte, 0, 1, at);
    closeSync(descriptor);

    const result = await auditVerify(['--station', copy.dataDir]);
    expect([result.status, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toMatch(
      new RegExp(`^The station database ${copy.databaseFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged: part of it cannot be read back \\(.+\\); it was changed outside the application, or the disk failed\\. Restore it from a backup`),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('says which key is missing, and that a desktop app sealed key cannot be read here', async () => {
    const copy = copyOfStation();
    const { keyFile } = stationStoreFiles(copy.dataDir);
    renameSync(keyFile, join(copy.dataDir, 'store.key.elsewhere'));
    const missing = await auditVerify(['--station', copy.dataDir]);
    expect([missing.status, missing.stderr]).toEqual([1, `The station database ${copy.databaseFile} has no key file (${keyFile} is missing). Restore the key from the station's backup; nothing was changed.\n`]);

    writeFileSync(join(copy.dataDir, 'store.key.sealed'), 'sealed by the operating system');
    const sealed = await auditVerify(['--station', copy.dataDir]);
    expect(sealed.status).toBe(1);
    expect(sealed.stderr).toMatch(/is sealed by the operating system for the MIS Station desktop app .*: only the app itself, running as its own user on this computer, can unseal it/);
    expect(sealed.stderr).toContain('npm run audit:verify -- --server');
  });

  it('refuses a wrong key, and a folder that is no station', async () => {
    const copy = copyOfStation();
    const { keyFile } = stationStoreFiles(copy.dataDir);
    writeFileSync(keyFile, `${'ab'.repeat(32)}\n`);
    chmodSync(keyFile, 0o600);
    const wrong = await auditVerify(['--station', copy.dataDir]);
    expect([wrong.status, wrong.stderr]).toEqual([1, `The station database ${copy.databaseFile} cannot be opened with this key (wrong key, or not a station database). Nothing was changed.\n`]);

    const empty = mkdtempSync(join(folder, 'empty-'));
    const none = await auditVerify(['--station', empty]);
    expect([none.status, none.stderr]).toEqual([1, `There is no station database at ${stationStoreFiles(empty).databaseFile}: is ${empty} a station's data folder?\n`]);
    expect(existsSync(stationStoreFiles(empty).keyFile)).toBe(false);
  });
});
