import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  AUDIT_GENESIS_HASH,
  SYSTEM_OFFICER,
  UNKNOWN_OFFICER,
  amendRegistration,
  auditHashInput,
  syntheticCrossing,
  syntheticOfficer,
  syntheticRegistration,
  syntheticSource,
  type AuditEntry,
  type Registration,
} from '../../domain/records';
import { PUSH_ROWS_MAX, type PushRow, type WireDocument } from '../../domain/sync';
import { buildSyncServer } from '../app';
import { serverErrorBody } from '../errors';
import { importReference } from '../reference/import';
import { addStation } from '../reference/stations';
import { openRepository } from '../store/open';
import type { SyncRepository } from '../store/repository';

const wire = <T extends object>(record: T): WireDocument => ({ ...(record as Record<string, unknown>), _deleted: false }) as WireDocument;

describe('pushes to the sync server', () => {
  let repository: SyncRepository;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let officerIds: string[];
  let seed = 100;

  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-push-')) });
    app = await buildSyncServer({ repository, logger: false });
    for (const stationId of ['BIH-P-01', 'BIH-P-02']) {
      tokens[stationId] = (await addStation(repository, { id: stationId, name: stationId, kind: 'border-crossing', municipality: 'Bihać', crossingPointCode: 'IZ' }, Date.now())).token;
    }
    const source = syntheticSource(7);
    officerIds = ['officer-p1-a', 'officer-p1-b'];
    await importReference(repository, 'officers', [
      ...officerIds.map((id, n) => syntheticOfficer(source, { id, username: `p1.${n}`, stationIds: ['BIH-P-01'] })),
      syntheticOfficer(source, { id: 'officer-p2', username: 'p2', stationIds: ['BIH-P-02'] }),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await repository.close();
  });

  /** Fresh synthetic records of station BIH-P-01 for each test. */
  let source: ReturnType<typeof syntheticSource>;
  beforeEach(() => {
    source = syntheticSource(seed++, { stationId: 'BIH-P-01', officerIds });
  });

  function push(collection: string, rows: PushRow[] | unknown, station = 'BIH-P-01', headers: Record<string, string> = {}) {
    return app.inject({ method: 'POST', url: `/sync/${collection}/push`, headers: { authorization: `Bearer ${tokens[station]}`, 'content-type': 'application/json', ...headers }, payload: rows === undefined ? undefined : JSON.stringify({ rows }) });
  }

  /** A refused push: its code, the row named, and nothing written anywhere. */
  async function expectRefused(response: Awaited<ReturnType<typeof push>>, status: number, code: string, sequenceBefore: number): Promise<void> {
    expect(response.statusCode).toBe(status);
    expect(serverErrorBody.parse(response.json()).code).toBe(code);
    expect(await repository.lastSequence()).toBe(sequenceBefore);
  }

  it('takes a batch once: replaying it, in any order, changes nothing', async () => {
    const first = syntheticRegistration(source);
    const amended = amendRegistration(first, { purposeCode: 'business' }, { officerId: officerIds[1]!, at: first.createdAt + 60_000 });
    const v1: PushRow[] = [{ newDocumentState: wire(first) }];
    const v2: PushRow[] = [{ assumedMasterState: wire(first), newDocumentState: wire(amended) }];
    expect((await push('registrations', v1)).json()).toMatchObject({ conflicts: [], stored: [{ id: first.id, receivedAt: expect.any(Number) }] });
    expect((await push('registrations', v2)).statusCode).toBe(200);
    const sequence = await repository.lastSequence();
    for (const replay of [v1, v2, v1, v2, v1]) {
      const answer = (await push('registrations', replay)).json() as { conflicts: unknown[]; stored: Registration[] };
      expect(answer.conflicts).toEqual([]);
      // Whatever is replayed, the station is told the server's current state.
      expect(answer.stored[0]).toMatchObject({ id: first.id, purposeCode: 'business', revisionNumber: 2 });
    }
    expect(await repository.lastSequence()).toBe(sequence);
    expect(await repository.history('registrations', first.id)).toHaveLength(2);
    expect(await repository.conflicts({ stationId: 'BIH-P-01' })).toEqual([]);
  });

  it('logs a real conflict once, however often the station sends it', async () => {
    const first = syntheticRegistration(source);
    await push('registrations', [{ newDocumentState: wire(first) }]);
    const stamped = (await repository.history('registrations', first.id))[0]!.document;
    const { _deleted: _ignored, ...fields } = stamped;
    const correction = amendRegistration(fields as unknown as Registration, { purposeCode: 'tourism' }, { officerId: 'officer-central', at: Date.now() });
    const admin = (await import('../auth/credentials')).issueCredential;
    const { token } = await admin(repository, '@admin');
    expect((await app.inject({ method: 'PUT', url: `/admin/registrations/${first.id}`, headers: { authorization: `Bearer ${token}` }, payload: correction })).statusCode).toBe(200);
    const amendedAtStation = amendRegistration(first, { purposeCode: 'business' }, { officerId: officerIds[0]!, at: Date.now() });
    const row: PushRow[] = [{ assumedMasterState: stamped, newDocumentState: wire(amendedAtStation) }];
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = (await push('registrations', row)).json() as { conflicts: Registration[]; stored: unknown[] };
      expect(answer.conflicts).toMatchObject([{ id: first.id, purposeCode: 'tourism' }]);
      expect(answer.stored).toEqual([]);
    }
    const conflicts = await repository.conflicts({ stationId: 'BIH-P-01' });
    expect(conflicts.filter((conflict) => conflict.recordId === first.id)).toHaveLength(1);
  });

  it("refuses another station's record, and a record of its own with another station's officer", async () => {
    const before = await repository.lastSequence();
    const theirs = syntheticRegistration(syntheticSource(1, { stationId: 'BIH-P-02', officerIds: ['officer-p2'] }));
    await expectRefused(await push('registrations', [{ newDocumentState: wire(theirs) }]), 403, 'RECORD_OF_OTHER_STATION', before);
    const forged = syntheticRegistration(source, { officerId: 'officer-p2' });
    const refused = await push('registrations', [{ newDocumentState: wire(syntheticRegistration(source)) }, { newDocumentState: wire(forged) }]);
    await expectRefused(refused, 403, 'RECORD_OFFICER_UNKNOWN', before);
    // The station learns which row: the good row before it was not written either.
    expect(refused.json()).toMatchObject({ row: 1, recordId: forged.id });
  });

  it('never changes a crossing once the server has it', async () => {
    const crossing = syntheticCrossing(source);
    expect((await push('crossings', [{ newDocumentState: wire(crossing) }])).statusCode).toBe(200);
    const before = await repository.lastSequence();
    const changed = { ...crossing, authority: `${crossing.authority} (edited)`.slice(0, 100) };
    await expectRefused(await push('crossings', [{ assumedMasterState: wire(crossing), newDocumentState: wire(changed) }]), 409, 'RECORD_IMMUTABLE', before);
    await expectRefused(await push('crossings', [{ newDocumentState: { ...wire(crossing), _deleted: true } }]), 422, 'RECORD_DELETE_REFUSED', before);
  });

  it('refuses schema violations, oversized batches, garbage and reference data, naming why', async () => {
    const before = await repository.lastSequence();
    const invalid = { ...wire(syntheticRegistration(source)), revisionNumber: 'the first' };
    const schemaViolation = await push('registrations', [{ newDocumentState: invalid }]);
    await expectRefused(schemaViolation, 422, 'RECORD_INVALID', before);
    expect(schemaViolation.json().issues.length).toBeGreaterThan(0);

    const many = Array.from({ length: PUSH_ROWS_MAX + 1 }, () => ({ newDocumentState: wire(syntheticCrossing(source)) }));
    await expectRefused(await push('crossings', many), 413, 'BATCH_TOO_LARGE', before);

    const garbage = await app.inject({ method: 'POST', url: '/sync/registrations/push', headers: { authorization: `Bearer ${tokens['BIH-P-01']}`, 'content-type': 'application/json' }, payload: '{"rows": [{"newDocumentState": ' });
    await expectRefused(garbage, 400, 'INVALID_REQUEST', before);
    await expectRefused(await push('registrations', { not: 'rows' }), 400, 'INVALID_REQUEST', before);
    await expectRefused(await push('alerts', [{ newDocumentState: { id: 'alert-1', _deleted: false } }]), 403, 'COLLECTION_NOT_PUSHABLE', before);
    await expectRefused(await push('passports', [{ newDocumentState: { id: 'x', _deleted: false } }]), 404, 'COLLECTION_UNKNOWN', before);
  });

  it("takes audit entries of no officer (the station's own purge, an unknown username), and no other record naming them", async () => {
    let previous: AuditEntry | undefined;
    const entries = [SYSTEM_OFFICER, UNKNOWN_OFFICER].map((officerId, index) => {
      const unhashed = {
        id: source.id(Date.now()),
        stationId: 'BIH-P-02',
        officerId,
        createdAt: Date.now(),
        sequence: index + 1,
        action: officerId === SYSTEM_OFFICER ? 'retention.purge' : 'login.failed',
        recordType: '' as const,
        recordId: '',
        details: (officerId === SYSTEM_OFFICER ? { collection: 'registrations', count: '3', cutoff: '2023-12-06' } : { reason: 'unknown-username' }) as Record<string, string>,
        previousHash: previous?.hash ?? AUDIT_GENESIS_HASH,
      };
      previous = { ...unhashed, receivedAt: 0, hash: createHash('sha256').update(auditHashInput(unhashed), 'utf8').digest('hex') };
      return previous;
    });
    const taken = await push('audit', entries.map((entry) => ({ newDocumentState: wire(entry) })), 'BIH-P-02');
    expect(taken.statusCode).toBe(200);
    expect((await repository.records('audit', entries.map((entry) => entry.id))).size).toBe(2);

    const before = await repository.lastSequence();
    const bySystem = syntheticRegistration(syntheticSource(5, { stationId: 'BIH-P-02', officerIds: [SYSTEM_OFFICER] }));
    await expectRefused(await push('registrations', [{ newDocumentState: wire(bySystem) }], 'BIH-P-02'), 403, 'RECORD_OFFICER_UNKNOWN', before);
  });

  it('refuses requests without a valid station credential', async () => {
    const before = await repository.lastSequence();
    const rows = [{ newDocumentState: wire(syntheticRegistration(source)) }];
    await expectRefused(await app.inject({ method: 'POST', url: '/sync/registrations/push', payload: { rows } }), 401, 'STATION_NOT_AUTHENTICATED', before);
    const forgedToken = tokens['BIH-P-01']!.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    await expectRefused(await push('registrations', rows, 'BIH-P-01', { authorization: `Bearer ${forgedToken}` }), 401, 'STATION_NOT_AUTHENTICATED', before);
    const pull = await app.inject({ method: 'GET', url: '/sync/alerts/pull' });
    expect(pull.statusCode).toBe(401);
  });
});
