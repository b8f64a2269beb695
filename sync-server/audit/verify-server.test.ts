import Database from 'better-sqlite3-multiple-ciphers';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/records';
import { startPostgres, type TestPostgres } from '../../test/support/postgres';
import { openPostgresRepository } from '../store/postgres-repository';
import type { SyncRepository } from '../store/repository';
import { openSqliteRepository } from '../store/sqlite-repository';
import { pushBatch } from '../sync/push';
import { addAuditStation, auditChainOf, pushRows, type AuditStation } from './audit-fixtures';
import { openServerStore, type ServerAuditFinding, verifyServerAuditTrails } from './verify-server';

const folder = mkdtempSync(join(tmpdir(), 'mis-audit-verify-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** `npx tsx scripts/audit-verify.ts …`, as IT staff run it (node with tsx's loader: the same, without npx's start-up). */
function auditVerify(args: string[], env: Record<string, string> = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts', ...args], { env: { ...inherited, ...env }, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function findings(repository: SyncRepository, pageSize: number): Promise<ServerAuditFinding[]> {
  const found: ServerAuditFinding[] = [];
  for await (const finding of verifyServerAuditTrails(repository, { pageSize })) found.push(finding);
  return found;
}

/** Three stations' trails, pushed as the stations push them (500 rows at most). */
async function pushTrails(repository: SyncRepository): Promise<{ station: AuditStation; chain: AuditEntry[] }[]> {
  const trails = [];
  for (const length of [5, 1, 130]) {
    const station = await addAuditStation(repository);
    const chain = auditChainOf(station, length);
    for (let start = 0; start < chain.length; start += 100) {
      await pushBatch(repository, 'audit', station.stationId, pushRows(chain.slice(start, start + 100)), { now: Date.now });
    }
    trails.push({ station, chain });
  }
  return trails;
}

const intactLines = (trails: { station: AuditStation; chain: AuditEntry[] }[]) =>
  trails
    .map(({ station, chain }) => `audit chain of station ${station.stationId}: ${chain.length} ${chain.length === 1 ? 'entry' : 'entries'}, intact`)
    .sort();

describe('verifying the audit trails of a SQLite sync server', () => {
  const file = join(folder, 'sync.sqlite');
  let trails: { station: AuditStation; chain: AuditEntry[] }[];

  beforeAll(async () => {
    const repository = await openSqliteRepository(file);
    await repository.migrate();
    trails = await pushTrails(repository);
    await repository.close();
  });

  it('passes a clean database, station by station, a page at a time', async () => {
    const repository = await openServerStore({ file });
    try {
      const found = await findings(repository, 50);
      expect(found.map((finding) => finding.kind === 'station' && [finding.verdict.stationId, finding.verdict.ok, finding.verdict.entries])).toEqual(
        trails.map(({ station, chain }) => [station.stationId, true, chain.length]).sort(),
      );
    } finally {
      await repository.close();
    }
  });

  it('passes through the command line, then fails naming the entry whose stored text lost one byte in the file', async () => {
    const clean = await auditVerify(['--server', '--file', file]);
    expect(clean.stderr).toBe('');
    expect(clean.stdout.trim().split('\n')).toEqual([...intactLines(trails), 'no audit chain reports open']);
    expect(clean.status).toBe(0);

    // Entry 3 of the first station: its action, in its document in the records table. The
    // file holds other copies (the history's, and stale ones that page splits left in free
    // space): each is tried until the stored document reads back changed.
    const { station, chain } = trails[0]!;
    const third = chain[2]!;
    expect(existsSync(`${file}-wal`)).toBe(false);
    const storedAction = (): string => {
      const inspector = new Database(file, { readonly: true });
      try {
        return JSON.parse(inspector.prepare("SELECT document FROM records WHERE collection = 'audit' AND id = ?").pluck().get(third.id) as string).action as string;
      } finally {
        inspector.close();
      }
    };
    const bytes = readFileSync(file);
    const actionText = `"action":"${third.action}"`;
    let flipped = false;
    for (let at = bytes.indexOf(actionText); at !== -1 && !flipped; at = bytes.indexOf(actionText, at + 1)) {
      const byte = at + '"action":"'.length;
      bytes[byte] = bytes[byte]! ^ 0x20; // 'l' of login becomes 'L', and so on: still JSON, one byte changed
      writeFileSync(file, bytes);
      flipped = storedAction() !== third.action;
      if (!flipped) bytes[byte] = bytes[byte]! ^ 0x20;
    }
    writeFileSync(file, bytes);
    expect(flipped).toBe(true);
    expect(storedAction().toLowerCase()).toBe(third.action.toLowerCase());

    const broken = await auditVerify(['--server', '--file', file]);
    expect(broken.status).toBe(1);
    const lines = broken.stdout.trim().split('\n');
    expect(lines).toContain(
      `audit chain of station ${station.stationId}: BROKEN at sequence 3, id ${third.id}, edited: Entry 3 (id ${third.id}) of station ${station.stationId} was changed after it was recorded: its content no longer matches its fingerprint (hash).`,
    );
    expect(lines.filter((line) => line.endsWith('intact'))).toEqual(intactLines(trails.slice(1)));
  });

  it('lists the reports still open, and fails while there are any', async () => {
    const own = join(folder, 'reports.sqlite');
    const repository = await openSqliteRepository(own);
    await repository.migrate();
    const station = await addAuditStation(repository);
    const chain = auditChainOf(station, 3);
    await pushBatch(repository, 'audit', station.stationId, pushRows([chain[0]!, chain[2]!]), { now: Date.now });
    await repository.close();
    const result = await auditVerify(['--server', '--file', own]);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^audit chain of station ${station.stationId}: BROKEN at sequence 3, id ${chain[2]!.id}, gap: Entry 2 is missing`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^open report: station ${station.stationId}, sequence 3, id ${chain[2]!.id}, gap, found \\d{4}-\\d\\d-\\d\\dT.+Z: Entry 2 is missing`, 'm'));
    expect(result.stdout.trim().split('\n').at(-1)).toBe('1 audit chain report open');
  });

  it('says clearly when the file is missing or is not a sync server database, and creates nothing', async () => {
    const missing = join(folder, 'nowhere', 'sync.sqlite');
    const result = await auditVerify(['--server', '--file', missing]);
    expect([result.status, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toBe(`There is no sync server database at ${missing}. Give its path with --file, set MIS_SERVER_DATA to the server's data folder (which holds sync.sqlite), or set DATABASE_URL for PostgreSQL.\n`);
    expect(existsSync(missing)).toBe(false);

    const other = join(folder, 'other.sqlite');
    new Database(other).exec('CREATE TABLE notes (text TEXT)');
    const notOurs = await auditVerify(['--server', '--file', other]);
    expect([notOurs.status, notOurs.stderr]).toEqual([1, `${other} is not a sync server database (it has no schema_migrations table).\n`]);
    const after = new Database(other, { readonly: true });
    expect(after.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual(['notes']);
    after.close();
  });

  it('shows its usage for a wrong command line', async () => {
    const result = await auditVerify(['--everything']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^usage: npm run audit:verify -- --station <station data folder>/);
  });
});

describe('verifying the audit trails of a PostgreSQL sync server', () => {
  let postgres: TestPostgres;
  let url: string;
  let trails: { station: AuditStation; chain: AuditEntry[] }[];

  beforeAll(async () => {
    postgres = await startPostgres();
    url = await postgres.createDatabase('audit_verify');
    const repository = await openPostgresRepository(url, { poolSize: 2 });
    await repository.migrate();
    trails = await pushTrails(repository);
    await repository.close();
  });

  afterAll(async () => {
    await postgres?.stop();
  });

  it('passes a clean database over DATABASE_URL, then names the entry an SQL UPDATE changed', async () => {
    const clean = await auditVerify(['--server'], { DATABASE_URL: url });
    expect(clean.stderr).toBe('');
    expect([clean.status, clean.stdout.trim().split('\n')]).toEqual([0, [...intactLines(trails), 'no audit chain reports open']]);

    const { station, chain } = trails[2]!;
    const changed = chain[76]!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rowCount } = await client.query("UPDATE records SET document = jsonb_set(document, '{officerId}', to_jsonb($2::text)) WHERE collection = 'audit' AND id = $1", [
      changed.id,
      station.officerIds.find((id) => id !== changed.officerId),
    ]);
    await client.end();
    expect(rowCount).toBe(1);

    const repository = await openServerStore({ databaseUrl: url });
    try {
      const verdicts = (await findings(repository, 20)).flatMap((finding) => (finding.kind === 'station' ? [finding.verdict] : []));
      expect(verdicts.find((verdict) => verdict.stationId === station.stationId)).toMatchObject({ ok: false, entries: 76, broken: { kind: 'edited', sequence: 77, entryId: changed.id } });
      expect(verdicts.filter((verdict) => verdict.ok)).toHaveLength(2);
    } finally {
      await repository.close();
    }
    const broken = await auditVerify(['--server'], { DATABASE_URL: url });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`audit chain of station ${station.stationId}: BROKEN at sequence 77, id ${changed.id}, edited: Entry 77 (id ${changed.id})`);
  });

  it('says clearly when the database cannot be reached, without its password', async () => {
    const port = new URL(url).port;
    await postgres.stop();
    const result = await auditVerify(['--server'], { DATABASE_URL: `postgres://postgres:not-to-be-shown@127.0.0.1:${port}/audit_verify` });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^The sync server's PostgreSQL database at 127\\.0\\.0\\.1:${port}/audit_verify cannot be reached: `));
    expect(result.stderr).not.toContain('not-to-be-shown');
  });
});
