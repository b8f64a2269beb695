import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, UNKNOWN_OFFICER, auditHashInput } from '../../domain/records';
import { startPostgres, type TestPostgres } from '../../test/support/postgres';
import { buildSyncServer } from '../app';
import { issueCredential } from '../auth/credentials';
import { openPostgresRepository } from '../store/postgres-repository';
import type { AuditChainReport, SyncRepository } from '../store/repository';
import { openSqliteRepository } from '../store/sqlite-repository';
import { addAuditStation, auditChainOf, pushRows, type AuditStation } from './audit-fixtures';
import { sha256Hex } from './chain-check';

/** The entry with a field changed and its hash made to match again, as a forger would. */
const rehashed = (entry: AuditEntry): AuditEntry => ({ ...entry, hash: sha256Hex(auditHashInput(entry)) });

function describeChainChecks(name: string, open: () => Promise<SyncRepository>): void {
  describe(`the audit chain check of a push (${name})`, () => {
    let repository: SyncRepository;
    let app: FastifyInstance;
    let adminToken: string;

    beforeAll(async () => {
      repository = await open();
      await repository.migrate();
      app = await buildSyncServer({ repository, logger: false });
      adminToken = (await issueCredential(repository, '@admin', Date.now())).token;
    });

    afterAll(async () => {
      await app?.close();
      await repository?.close();
    });

    async function push(station: AuditStation, entries: AuditEntry[]): Promise<void> {
      const response = await app.inject({ method: 'POST', url: '/sync/audit/push', headers: { authorization: `Bearer ${station.token}` }, payload: { rows: pushRows(entries) } });
      expect(response.statusCode, response.body).toBe(200);
    }

    async function reports(station: AuditStation, query = ''): Promise<AuditChainReport[]> {
      const response = await app.inject({ method: 'GET', url: `/admin/audit/reports?stationId=${station.stationId}${query}`, headers: { authorization: `Bearer ${adminToken}` } });
      expect(response.statusCode, response.body).toBe(200);
      return (response.json() as { reports: AuditChainReport[] }).reports;
    }

    const brief = (found: AuditChainReport[]) => found.map((report) => [report.sequence, report.kind, report.entryId, report.resolvedAt === null ? 'open' : 'resolved']);

    async function breaksCounted(kind: string): Promise<number> {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const line = text.split('\n').find((candidate) => candidate.startsWith(`mis_audit_chain_breaks_total{kind="${kind}"}`));
      return line ? Number(line.split(' ').at(-1)) : 0;
    }

    it('takes an intact trail, in any number of pushes, without a report', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 7);
      await push(station, chain.slice(0, 3));
      await push(station, chain.slice(3));
      expect(await reports(station)).toEqual([]);
      expect(await repository.count('audit', station.stationId)).toBe(7);
    });

    it('reports a gap (1, 2, 4 pushed), counts and names it, and resolves it when entry 3 arrives', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 5);
      const gapsBefore = await breaksCounted('gap');
      await push(station, chain.slice(0, 2));
      await push(station, [chain[3]!]);
      const [gap] = await reports(station, '&unresolved=true');
      expect(gap).toMatchObject({ stationId: station.stationId, sequence: 4, kind: 'gap', entryId: chain[3]!.id, resolvedAt: null, detectedAt: expect.any(Number) });
      expect(gap!.detail).toBe(`Entry 3 is missing from the audit trail of station ${station.stationId}: the trail jumps from entry 2 to entry 4 (id ${chain[3]!.id}).`);
      expect(await breaksCounted('gap')).toBe(gapsBefore + 1);

      await push(station, [chain[2]!, chain[4]!]);
      expect(await reports(station, '&unresolved=true')).toEqual([]);
      expect(brief(await reports(station))).toEqual([[4, 'gap', chain[3]!.id, 'resolved']]);
      expect(await breaksCounted('gap')).toBe(gapsBefore + 1);
    });

    it('names the whole missing range, and a gap within it that a late entry leaves', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 6);
      await push(station, [chain[0]!, chain[5]!]);
      await push(station, [chain[3]!]);
      const open = await reports(station, '&unresolved=true');
      expect(open.map((report) => report.detail)).toEqual([
        expect.stringMatching(/^Entries 2 to 3 are missing .*: the trail jumps from entry 1 to entry 4 /),
        expect.stringMatching(/^Entries 2 to 5 are missing .*: the trail jumps from entry 1 to entry 6 /),
      ]);
      await push(station, [chain[4]!]);
      expect(brief(await reports(station, '&unresolved=true'))).toEqual([[4, 'gap', chain[3]!.id, 'open']]);
      await push(station, [chain[1]!, chain[2]!]);
      expect(await reports(station, '&unresolved=true')).toEqual([]);
    });

    it('stores an edited entry, and reports it as edited', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 3);
      const edited = { ...chain[1]!, officerId: station.officerIds.find((id) => id !== chain[1]!.officerId)! };
      await push(station, [chain[0]!, edited, chain[2]!]);
      expect((await repository.history('audit', edited.id)).map((version) => version.document.officerId)).toEqual([edited.officerId]);
      const [report] = await reports(station);
      expect(report).toMatchObject({ sequence: 2, kind: 'edited', entryId: edited.id, resolvedAt: null });
      expect(report!.detail).toBe(`Entry 2 (id ${edited.id}) of station ${station.stationId} was changed after it was recorded: its content no longer matches its fingerprint (hash).`);
    });

    it('reports an entry that does not name the one before it, in the same push or an earlier one', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 4);
      const forged = rehashed({ ...chain[1]!, action: 'crossing.create', recordType: '', recordId: '', details: {} });
      await push(station, [chain[0]!, forged, chain[2]!]);
      expect(brief(await reports(station))).toEqual([[3, 'unlinked', chain[2]!.id, 'open']]);
      const renumbered = await addAuditStation(repository);
      const badStart = rehashed({ ...auditChainOf(renumbered, 1)[0]!, previousHash: 'f'.repeat(64) });
      await push(renumbered, [badStart]);
      expect(brief(await reports(renumbered))).toEqual([[1, 'unlinked', badStart.id, 'open']]);
    });

    it('reports an entry that came early as unlinked when the late one before it is not the one it named', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 4);
      await push(station, [chain[0]!, chain[1]!, chain[3]!]);
      const replacement = rehashed({ ...chain[2]!, officerId: station.officerIds.find((id) => id !== chain[2]!.officerId)! });
      await push(station, [replacement]);
      // The gap is closed (entry 3 is there), but entry 4 names another entry 3.
      expect(brief(await reports(station))).toEqual([
        [4, 'gap', chain[3]!.id, 'resolved'],
        [4, 'unlinked', chain[3]!.id, 'open'],
      ]);
    });

    it('reports two entries with one number', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 3);
      const twin = rehashed({ ...chain[1]!, id: auditChainOf(station, 2, 99)[1]!.id });
      await push(station, chain);
      await push(station, [twin]);
      const [report] = await reports(station);
      expect(report).toMatchObject({ sequence: 2, kind: 'duplicate', entryId: twin.id });
      expect(report!.detail).toContain(`the entries with ids ${chain[1]!.id} and ${twin.id} both carry that number`);
    });

    it('records nothing twice when pushes are replayed', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 4);
      const edited = { ...chain[3]!, action: 'crossing.view' === chain[3]!.action ? 'registration.view' : 'crossing.view' };
      const pushes = [chain.slice(0, 2), [edited]];
      for (const entries of pushes) await push(station, entries);
      const first = await reports(station);
      const counted = await breaksCounted('gap');
      for (let replay = 0; replay < 3; replay++) for (const entries of [...pushes].reverse()) await push(station, entries);
      expect(await reports(station)).toEqual(first);
      expect(brief(first)).toEqual([
        [4, 'edited', edited.id, 'open'],
        [4, 'gap', edited.id, 'open'],
      ]);
      expect(await breaksCounted('gap')).toBe(counted);
    });

    it('takes an entry whose actor no officer can be named for', async () => {
      const station = await addAuditStation(repository);
      const source = auditChainOf(station, 1)[0]!;
      const unknown = rehashed({ ...source, officerId: UNKNOWN_OFFICER, action: 'login.failed', recordType: '', recordId: '', details: { reason: 'unknown-username' } });
      await push(station, [unknown]);
      expect(await reports(station)).toEqual([]);
    });

    it('keeps the reports to administrators', async () => {
      const station = await addAuditStation(repository);
      for (const authorization of [undefined, `Bearer ${station.token}`]) {
        const response = await app.inject({ method: 'GET', url: '/admin/audit/reports', headers: authorization ? { authorization } : {} });
        expect([response.statusCode, response.json().code]).toEqual([401, 'ADMIN_NOT_AUTHENTICATED']);
      }
    });

    it('pages the reports with a cursor', async () => {
      const station = await addAuditStation(repository);
      const chain = auditChainOf(station, 9);
      await push(station, [chain[0]!, chain[2]!, chain[4]!, chain[6]!, chain[8]!]);
      const pages: number[][] = [];
      let after = '';
      for (;;) {
        const response = await app.inject({ method: 'GET', url: `/admin/audit/reports?stationId=${station.stationId}&limit=2${after}`, headers: { authorization: `Bearer ${adminToken}` } });
        const page = response.json() as { reports: AuditChainReport[]; next: string | null };
        pages.push(page.reports.map((report) => report.sequence));
        if (!page.next) break;
        after = `&after=${encodeURIComponent(page.next)}`;
      }
      expect(pages).toEqual([[3, 5], [7, 9], []]);
    });
  });
}

const folder = mkdtempSync(join(tmpdir(), 'mis-audit-push-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
describeChainChecks('SQLite', () => openSqliteRepository(join(folder, 'sync.sqlite')));

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});
describeChainChecks('PostgreSQL', async () => openPostgresRepository(await postgres.createDatabase('audit_push'), { poolSize: 4 }));
