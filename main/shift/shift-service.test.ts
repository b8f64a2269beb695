import { afterEach, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/identity';
import { correctionOf, syntheticCrossing, syntheticRegistration, syntheticSource, type Crossing, type Registration } from '../../domain/records';
import { loginAs, requestOk, startMainStation, stopMainStations, type StationOfficer } from '../../test/support/main-station';
import type { CallContext, RequestOutput } from '../api/types';
import type { MainProcess } from '../compose';

const STATION = 'BIH-SHIFT-01';
const PASSWORD = 'the night shift is counted';
const HOUR = 3_600_000;
// The end of the shift the tests count: the next full hour, so that the hours fall on round
// numbers and the audit trail's entries (stamped by the real clock) fall in the last one.
const NOW = Math.floor(Date.now() / HOUR) * HOUR + HOUR;

function officer(id: string, role: Role): StationOfficer {
  return { id, name: `Synthetic ${role} ${id}`, username: id, badgeNumber: `B-${id}`, role };
}

const SUPERVISOR = officer('o1', 'supervisor');

afterEach(stopMainStations);

async function started(officers: StationOfficer[] = [SUPERVISOR]): Promise<MainProcess> {
  const station = await startMainStation({ stationId: STATION, officers, password: PASSWORD, now: () => NOW });
  return station.main;
}

function loggedIn(main: MainProcess, id: string): Promise<CallContext> {
  return loginAs(main, id, PASSWORD);
}

const source = syntheticSource(9, { stationId: STATION, officerIds: ['o1'] });

function registration(nationality: string, createdAt: number, overrides: Partial<Registration> = {}): Registration {
  const made = syntheticRegistration(source);
  return { ...made, officerId: 'o1', updatedBy: 'o1', createdAt, updatedAt: createdAt, registeredAt: createdAt, person: { ...made.person, nationality }, ...overrides };
}

function crossing(nationality: string, createdAt: number, overrides: Partial<Crossing> = {}): Crossing {
  const made = syntheticCrossing(source);
  return {
    ...made,
    officerId: 'o1',
    createdAt,
    occurredAt: createdAt,
    person: { ...made.person, nationality },
    direction: 'entry',
    decision: { outcome: 'admitted' },
    checks: [{ check: 'watchlist', severity: 'info', outcome: 'passed' }],
    ...overrides,
  };
}

function summary(main: MainProcess, context: CallContext, input: { from?: number; to?: number } = {}): Promise<RequestOutput<'shift.summary'>> {
  return requestOk(main, context, 'shift.summary', input);
}

describe('the shift summary', () => {
  it('counts the last 12 hours by nationality, by hour, refusals by reason and watchlist hits', async () => {
    const main = await started();
    const supervisor = await loggedIn(main, 'o1');
    const database = main.services.store()!.database;
    await database.registrations.bulkInsert([
      registration('DEU', NOW - 2 * HOUR + 60_000),
      registration('DEU', NOW - 2 * HOUR + 120_000),
      registration('AUT', NOW - 30 * 60_000),
      // Cancelled: counted apart, not in the charts.
      registration('ITA', NOW - HOUR, { status: 'cancelled', cancellation: { cancelledAt: NOW - 10 * 60_000, cancelledBy: 'o1', reason: 'registered twice' } }),
      // Yesterday's shift: outside the period.
      registration('FRA', NOW - 13 * HOUR),
    ]);
    const wronglyAdmitted = crossing('SRB', NOW - 3 * HOUR + 10 * 60_000);
    await database.crossings.bulkInsert([
      crossing('SRB', NOW - 3 * HOUR + 5 * 60_000, { decision: { outcome: 'refused', reasons: ['C', 'E'] } }),
      wronglyAdmitted,
      crossing('SRB', NOW - HOUR, { direction: 'exit' }),
      crossing('MNE', NOW - HOUR + 60_000, { checks: [{ check: 'watchlist', severity: 'critical', outcome: 'failed' }], decision: { outcome: 'refused', reasons: ['H'] } }),
      // The correction stands for the original: refused with E after all.
      correctionOf(wronglyAdmitted, { decision: { outcome: 'refused', reasons: ['E'] } }, { stationId: STATION, officerId: 'o1', at: NOW - 20 * 60_000 }),
    ]);
    await main.services.audited('o1', 'person.lookup', { source: 'mrz', registrations: '0', crossings: '0', watchlistCandidates: '2' });
    await main.services.audited('o1', 'person.lookup', { source: 'typed', registrations: '1', crossings: '0', watchlistCandidates: '0' });

    const shift = await summary(main, supervisor);
    expect(shift.from).toBe(NOW - 12 * HOUR);
    expect(shift.to).toBe(NOW);
    expect(shift.registrations).toMatchObject({ total: 3, cancelled: 1, byNationality: [{ code: 'DEU', count: 2 }, { code: 'AUT', count: 1 }] });
    expect(shift.registrations.byHour).toHaveLength(12);
    expect(shift.registrations.byHour.filter((hour) => hour.count > 0)).toEqual([
      { hourStart: NOW - 2 * HOUR, count: 2 },
      { hourStart: NOW - HOUR, count: 1 },
    ]);
    expect(shift.crossings).toMatchObject({ total: 4, entries: 3, exits: 1, refused: 3, corrections: 1, byNationality: [{ code: 'SRB', count: 3 }, { code: 'MNE', count: 1 }] });
    expect(shift.crossings.byHour.filter((hour) => hour.count > 0)).toEqual([
      { hourStart: NOW - 3 * HOUR, count: 1 },
      { hourStart: NOW - HOUR, count: 3 },
    ]);
    expect(shift.refusalsByReason.filter((reason) => reason.count > 0)).toEqual([
      { code: 'C', count: 1 },
      { code: 'E', count: 2 },
      { code: 'H', count: 1 },
    ]);
    expect(shift.refusalsByReason.map((reason) => reason.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
    // The login in the audit trail is no look-up; the two look-ups are, one with candidates.
    expect(shift.watchlist).toEqual({ crossingsWithHit: 1, lookups: 2, lookupsWithCandidates: 1 });
    expect(shift.officers).toEqual([{ officerId: 'o1', name: 'Synthetic supervisor o1', registrations: 3, crossings: 4 }]);
  });

  it('counts a period the supervisor names, and refuses one longer than a day', async () => {
    const main = await started();
    const supervisor = await loggedIn(main, 'o1');
    await main.services.store()!.database.registrations.bulkInsert([registration('FRA', NOW - 13 * HOUR), registration('DEU', NOW - 2 * HOUR)]);
    const yesterday = await summary(main, supervisor, { from: NOW - 20 * HOUR, to: NOW - 12 * HOUR });
    expect(yesterday.registrations.byNationality).toEqual([{ code: 'FRA', count: 1 }]);
    expect(yesterday.registrations.byHour).toHaveLength(8);
    const tooLong = await main.dispatcher.request('shift.summary', { from: NOW - 25 * HOUR, to: NOW }, supervisor);
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('is for supervisors: an officer is refused, and counting writes nothing to the audit trail', async () => {
    const main = await started([officer('o2', 'officer'), SUPERVISOR]);
    const counterOfficer = await loggedIn(main, 'o2');
    await expect(main.dispatcher.request('shift.summary', {}, counterOfficer)).resolves.toMatchObject({ ok: false, error: { code: 'ROLE_REFUSED' } });
    await expect(main.dispatcher.request('shift.unsent', {}, counterOfficer)).resolves.toMatchObject({ ok: false, error: { code: 'ROLE_REFUSED' } });
    const supervisor = await loggedIn(main, 'o1');
    await summary(main, supervisor);
    await main.dispatcher.request('shift.unsent', {}, supervisor);
    const actions = (await main.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => entry.action);
    // The officer's refusals are traced by the dispatcher; the supervisor's counting is not.
    expect(actions).toEqual(['login', 'access.refused', 'access.refused', 'login']);
  });
});

describe('the unsent records', () => {
  it('lists every record the server has not confirmed, oldest first, waiting when sync is not set up', async () => {
    const main = await started();
    const supervisor = await loggedIn(main, 'o1');
    const database = main.services.store()!.database;
    const older = registration('DEU', NOW - 2 * HOUR);
    const newer = crossing('SRB', NOW - HOUR);
    await database.registrations.insert(older);
    await database.crossings.insert(newer);
    // One the server already confirmed: not unsent.
    await database.crossings.insert({ ...crossing('SRB', NOW - HOUR), receivedAt: NOW - 30 * 60_000 });

    const unsent = await requestOk(main, supervisor, 'shift.unsent', {});
    expect(unsent.syncState).toBe('not-configured');
    expect(unsent.syncProblem).toContain('No sync server');
    expect(unsent.collections.map((collection) => [collection.collection, collection.pending])).toEqual([
      ['registrations', 1],
      ['crossings', 1],
      ['biometrics', 0],
      // The supervisor's login.
      ['audit', 1],
    ]);
    expect(unsent.records.map((record) => [record.collection, record.id, record.reason])).toEqual([
      ['registrations', older.id, null],
      ['crossings', newer.id, null],
      ['audit', expect.any(String), null],
    ]);
    // Ids, kinds and times: nothing of the person.
    expect(JSON.stringify(unsent)).not.toContain(older.person.surname);
  });
});
