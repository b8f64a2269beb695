import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amendRegistration, syntheticBiometric, syntheticCrossing, syntheticOfficer, syntheticRegistration, syntheticSource, type Crossing } from '../../domain/records';
import { OVERSTAY_CHECK } from '../../domain/retention';
import { RULES_LIST, defaultRules } from '../../domain/rules';
import type { PushRow, WireDocument } from '../../domain/sync';
import { buildSyncServer } from '../app';
import { importReference } from '../reference/import';
import { addStation } from '../reference/stations';
import { openRepository } from '../store/open';
import type { SyncRepository } from '../store/repository';

/**
 * A record whose time is up is not taken again when a station pushes it (an amendment made
 * before the station's own purge, a batch replayed after a long time offline): the server,
 * which purges it or already has, would otherwise hold it again until its next run.
 */
const STATION = 'BIH-R-01';
const NOW = Date.UTC(2026, 5, 1);
const wire = <T extends object>(record: T): WireDocument => ({ ...(record as Record<string, unknown>), _deleted: false }) as WireDocument;
const rows = (...records: object[]): PushRow[] => records.map((record) => ({ newDocumentState: wire(record) }));

describe('pushes of records past their time', () => {
  let repository: SyncRepository;
  let app: FastifyInstance;
  let token: string;
  const officerIds = ['officer-r1'];
  // Past the 3 years of an ordinary traveller, within the 5 of an overstayer.
  const fourYearsAgo = syntheticSource(41, { from: Date.UTC(2022, 0, 10), stationId: STATION, officerIds });
  // Past both.
  const sevenYearsAgo = syntheticSource(42, { from: Date.UTC(2019, 0, 10), stationId: STATION, officerIds });
  const lastWeek = syntheticSource(43, { from: NOW - 7 * 86_400_000, stationId: STATION, officerIds });

  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-push-retention-')) });
    app = await buildSyncServer({ repository, logger: false, now: () => NOW, retention: { rules: defaultRules } });
    token = (await addStation(repository, { id: STATION, name: STATION, kind: 'border-crossing', municipality: 'Bihać', crossingPointCode: 'IZ' }, NOW)).token;
    await importReference(repository, 'officers', [syntheticOfficer(syntheticSource(40), { id: officerIds[0]!, username: 'r1', stationIds: [STATION] })]);
  });
  afterAll(async () => {
    await app.close();
    await repository.close();
  });

  async function push(collection: string, pushed: PushRow[]): Promise<{ conflicts: WireDocument[]; stored: WireDocument[] }> {
    const response = await app.inject({ method: 'POST', url: `/sync/${collection}/push`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify({ rows: pushed }) });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  const held = async (collection: 'registrations' | 'crossings' | 'biometrics', ids: string[]) => [...(await repository.records(collection, ids)).keys()].sort();

  const overstayExit = (source: typeof fourYearsAgo, document: Crossing['document']): Crossing =>
    syntheticCrossing(source, { direction: 'exit', document, checks: [{ check: OVERSTAY_CHECK, severity: 'critical', outcome: 'failed' }] });

  it('answers a registration past its time as taken, stamped, and keeps nothing of it; an amendment of it neither', async () => {
    const old = syntheticRegistration(fourYearsAgo, { receivedAt: 0 });
    const sequence = await repository.lastSequence();
    const answer = await push('registrations', rows(old));
    // Stamped as every taken row is, so that the station confirms it and purges its own copy.
    expect(answer).toEqual({ conflicts: [], stored: [{ ...wire(old), receivedAt: NOW }] });
    const amended = amendRegistration(old, { purposeCode: 'BUSINESS' }, { officerId: officerIds[0]!, at: old.createdAt + 60_000 });
    expect((await push('registrations', [{ assumedMasterState: wire(old), newDocumentState: wire(amended) }])).stored).toHaveLength(1);
    expect(await held('registrations', [old.id])).toEqual([]);
    expect(await repository.lastSequence()).toBe(sequence);

    // A record within its time, in the same push as one past it, is taken as always.
    const recent = syntheticRegistration(lastWeek, { receivedAt: 0 });
    const older = syntheticRegistration(sevenYearsAgo, { receivedAt: 0 });
    expect((await push('registrations', rows(recent, older))).stored.map((document) => document.id).sort()).toEqual([recent.id, older.id].sort());
    expect(await held('registrations', [recent.id, older.id])).toEqual([recent.id]);
  });

  it("keeps an overstayer's records for an overstayer's time: the overstay exit the server holds, or the push brings", async () => {
    const registration = syntheticRegistration(fourYearsAgo, { receivedAt: 0 });
    const exit = overstayExit(fourYearsAgo, registration.document);
    await push('crossings', rows(exit));
    expect(await held('crossings', [exit.id])).toEqual([exit.id]);
    await push('registrations', rows(registration));
    expect(await held('registrations', [registration.id])).toEqual([registration.id]);

    // The entry before the overstay, in the batch that brings the exit; and an ordinary traveller's entry of the same years.
    const overstayer = syntheticRegistration(fourYearsAgo).document;
    const entry = syntheticCrossing(fourYearsAgo, { direction: 'entry', document: overstayer });
    const ordinary = syntheticCrossing(fourYearsAgo, { direction: 'entry' });
    await push('crossings', rows(entry, overstayExit(fourYearsAgo, overstayer), ordinary));
    expect(await held('crossings', [entry.id, ordinary.id])).toEqual([entry.id]);

    // Seven years on, an overstayer's time is up too.
    const longAgo = syntheticRegistration(sevenYearsAgo);
    const longAgoExit = overstayExit(sevenYearsAgo, longAgo.document);
    await push('crossings', rows(longAgoExit));
    expect(await held('crossings', [longAgoExit.id])).toEqual([]);
  });

  it('takes a capture past its own time only with its record, which the server holds', async () => {
    // An overstayer's exit of four years ago, kept; an ordinary traveller's, not taken.
    const document = syntheticRegistration(fourYearsAgo).document;
    const kept = overstayExit(fourYearsAgo, document);
    const dropped = syntheticCrossing(fourYearsAgo, { direction: 'entry' });
    await push('crossings', rows(kept, dropped));
    const ofKept = syntheticBiometric(fourYearsAgo, { recordType: 'crossing', recordId: kept.id });
    const ofDropped = syntheticBiometric(fourYearsAgo, { recordType: 'crossing', recordId: dropped.id });
    const recent = syntheticBiometric(lastWeek, { recordType: 'registration', recordId: syntheticRegistration(lastWeek).id });
    const answer = await push('biometrics', rows(ofKept, ofDropped, recent));
    expect(answer.stored.map((document) => document.id).sort()).toEqual([ofKept.id, ofDropped.id, recent.id].sort());
    expect(await held('biometrics', [ofKept.id, ofDropped.id, recent.id])).toEqual([ofKept.id, recent.id].sort());
  });

  it('keeps records by the periods of the rules entry in force, which the stations take too', async () => {
    const rulesEntry = (code: string, validFrom: string, years: number) => ({
      id: `${RULES_LIST}|${code}`,
      list: RULES_LIST,
      code,
      labels: { en: `Retention of ${years} years` },
      validFrom,
      extra: { retention: { accommodationRegisterYears: years, borderRecordYears: years } },
    });
    // Six years from 1 January 2026; ten years only from 2027, after the server's clock.
    await importReference(repository, 'codeLists', [rulesEntry('2026', '2026-01-01', 6), rulesEntry('2027', '2027-01-01', 10)]);
    const fourYears = syntheticRegistration(fourYearsAgo, { receivedAt: 0 });
    const sevenYears = syntheticRegistration(sevenYearsAgo, { receivedAt: 0 });
    await push('registrations', rows(fourYears, sevenYears));
    expect(await held('registrations', [fourYears.id, sevenYears.id])).toEqual([fourYears.id]);
  });
});
