import { afterEach, describe, expect, it } from 'vitest';
import type { RequestInput, RequestOutput } from '../api/types';
import type { MainProcess } from '../compose';
import { PURPOSES_LIST, codeListEntryId } from '../../domain/records';
import type { StationDatabase } from '../services/station-store';
import { entryBan } from '../../test/support/synthetic-people';
import { loginAs, requestOk, startMainStation, stopMainStations, type StationOfficer } from '../../test/support/main-station';

const STATION = 'BIH-REG-01';
const PASSWORD = 'a stay registered in time';
// The ICAO 9303 specimen passport (a fictional person of the fictional state Utopia).
const SPECIMEN_MRZ = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
const HOUR = 3_600_000;

afterEach(stopMainStations);

const COUNTER: StationOfficer = { id: 'o1', name: 'Counter Officer', username: 'counter', badgeNumber: 'B-1', role: 'officer' };

/** The purposes of stay the server sent: two in force, one withdrawn last year. */
async function pullPurposes(database: StationDatabase): Promise<void> {
  const lastYear = `${new Date().getUTCFullYear() - 1}-12-31`;
  const purpose = (code: string, validUntil?: string) => ({ id: codeListEntryId(PURPOSES_LIST, code), list: PURPOSES_LIST, code, labels: { en: code }, updatedAt: Date.now(), ...(validUntil ? { validUntil } : {}) });
  await database.codeLists.bulkInsert([purpose('TOURISM'), purpose('BUSINESS'), purpose('SEASONAL', lastYear)]);
}

async function started(options: { codeLists?: boolean } = {}): Promise<MainProcess> {
  return (await startMainStation({ stationId: STATION, officers: [COUNTER], password: PASSWORD, ...(options.codeLists === false ? {} : { seed: pullPurposes }) })).main;
}

const loggedIn = (main: MainProcess) => loginAs(main, COUNTER.username, PASSWORD);

/** The counter form, filled from what prepare read off the document. */
function formFrom(prepared: RequestOutput<'registrations.prepare'>, arrivalAt: number): RequestInput<'registrations.create'> {
  return {
    person: { ...prepared.person, birthDate: prepared.person.birthDate ?? '' },
    document: { documentCode: prepared.document.documentCode, documentNumber: prepared.document.documentNumber, issuingState: prepared.document.issuingState },
    address: { street: 'Ferhadija', houseNumber: '12', place: 'Sarajevo', municipality: 'Stari Grad' },
    accommodation: { type: 'commercial', providerName: 'Hotel Europa' },
    arrivalAt,
    plannedDepartureDate: new Date(arrivalAt + 5 * 24 * HOUR).toISOString().slice(0, 10),
    purposeCode: 'TOURISM',
  };
}

async function trail(main: MainProcess) {
  const entries = await main.services.store()!.database.audit.find({ sort: [{ sequence: 'asc' }] }).exec();
  return entries.map((entry) => ({ action: entry.action, recordType: entry.recordType, recordId: entry.recordId, details: { ...entry.details } }));
}

describe('the counter registration workflow through the API contract', () => {
  it('registers a person from the specimen MRZ: on disk, on time, and in the audit trail', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    expect(prepared).toMatchObject({
      mrz: { format: 'TD3', valid: true, corrections: [] },
      person: { surname: 'ERIKSSON', givenNames: 'ANNA MARIA', sex: 'F', birthDate: '1974-08-12', nationality: 'UTO' },
      document: { documentCode: 'P', documentNumber: 'L898902C3', issuingState: 'UTO' },
      earlier: { registrations: [], crossings: [] },
      watchlist: [],
    });

    const created = await requestOk(main, context, 'registrations.create', formFrom(prepared, Date.now() - HOUR));
    expect(created.registration).toMatchObject({ stationId: STATION, officerId: 'o1', revisionNumber: 1, status: 'active', person: { nameKey: 'ERIKSSON<<ANNAMARIA' } });
    expect(created.deadline).toMatchObject({ required: true, responsible: 'accommodation-provider', status: 'registered-on-time', minutesLate: 0 });
    const stored = await main.services.store()!.database.registrations.findOne(created.registration.id).exec();
    expect(stored?.document.documentNumber).toBe('L898902C3');

    expect(await trail(main)).toEqual([
      { action: 'login', recordType: 'officer', recordId: 'o1', details: {} },
      { action: 'person.lookup', recordType: '', recordId: '', details: { source: 'mrz', registrations: '0', crossings: '0', watchlistCandidates: '0' } },
      { action: 'registration.create', recordType: 'registration', recordId: created.registration.id, details: {} },
    ]);
  });

  it('finds the earlier registration of the same document, and of the same person on another document', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const first = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const created = await requestOk(main, context, 'registrations.create', formFrom(first, Date.now() - HOUR));

    const again = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    expect(again.earlier.registrations.map((registration) => registration.id)).toEqual([created.registration.id]);
    const newPassport = await requestOk(main, context, 'registrations.prepare', {
      person: { surname: 'Eriksson', givenNames: 'Anna Maria', sex: 'F', birthDate: '1974-08-12', nationality: 'UTO' },
      document: { documentCode: 'P', documentNumber: 'x 1234567', issuingState: 'UTO' },
    });
    expect(newPassport).toMatchObject({ mrz: null, document: { documentNumber: 'X1234567', expiryDate: null } });
    expect(newPassport.earlier.registrations.map((registration) => registration.id)).toEqual([created.registration.id]);
    expect((await trail(main)).filter((entry) => entry.action === 'person.lookup').map((entry) => entry.details.registrations)).toEqual(['0', '1', '1']);
  });

  it('shows the officer what it corrected in a misread zone', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const misread = SPECIMEN_MRZ.replace('7408122F', '74O8122F');
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: misread });
    expect(prepared).toMatchObject({ mrz: { corrections: [{ field: 'birthDate', from: 'O', to: '0' }] }, person: { birthDate: '1974-08-12' } });
  });

  it('shows the watchlist result for the person from the local alerts', async () => {
    const main = await started();
    const context = await loggedIn(main);
    await main.services.store()!.database.alerts.insert(entryBan('alert-1', { surname: 'ERIKSSON', givenNames: 'ANNA MARIA', birthDate: '1974-08-12', nationality: 'UTO' }));
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    expect(prepared.watchlist).toEqual([expect.objectContaining({ alertId: 'alert-1', kind: 'entry-ban', hit: true })]);
  });

  it('shows the lateness of a registration made after the deadline', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const created = await requestOk(main, context, 'registrations.create', formFrom(prepared, Date.now() - 3 * 24 * HOUR));
    expect(created.deadline.status).toBe('registered-late');
    // Arrived 72 h ago, due within 12 h: about 60 hours late.
    expect(created.deadline.minutesLate).toBeGreaterThanOrEqual(60 * 60);
    expect(created.deadline.minutesLate).toBeLessThan(60 * 60 + 5);
  });

  it('amends only from the revision stored now, counts the revision up and audits the field names', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const { registration } = await requestOk(main, context, 'registrations.create', formFrom(prepared, Date.now() - HOUR));
    const changes = { address: { place: 'Mostar', municipality: 'Mostar' }, purposeCode: 'BUSINESS' };

    await expect(main.dispatcher.request('registrations.amend', { id: registration.id, expectedRevisionNumber: 2, changes }, context)).resolves.toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const amended = await requestOk(main, context, 'registrations.amend', { id: registration.id, expectedRevisionNumber: 1, changes });
    expect(amended.registration).toMatchObject({ revisionNumber: 2, status: 'amended', updatedBy: 'o1', address: { place: 'Mostar' }, purposeCode: 'BUSINESS' });
    await expect(main.dispatcher.request('registrations.amend', { id: registration.id, expectedRevisionNumber: 1, changes }, context)).resolves.toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const opened = await requestOk(main, context, 'registrations.get', { id: registration.id });
    expect(opened).toMatchObject({ registration: { revisionNumber: 2, address: { place: 'Mostar' } }, history: { createdBy: 'o1', revisionNumber: 2, lastChangedBy: 'o1' } });
    const entries = await trail(main);
    expect(entries.find((entry) => entry.action === 'registration.amend')).toEqual({
      action: 'registration.amend',
      recordType: 'registration',
      recordId: registration.id,
      details: { fields: 'address,purposeCode', revision: '2' },
    });
    expect(entries.at(-1)).toMatchObject({ action: 'registration.view', recordType: 'registration', recordId: registration.id });
    await expect(main.dispatcher.request('registrations.get', { id: 'no-such-registration' }, context)).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('opens a stored registration whose planned departure is before its arrival, marked for correction', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const form = formFrom(prepared, Date.now() - HOUR);
    const { registration } = await requestOk(main, context, 'registrations.create', { ...form, accommodation: { type: 'private', hostName: 'Amra Hodžić', hostIdNumber: '1234567890123' } });
    // As a record corrected elsewhere could arrive: the station's own checks never let it through.
    const stored = await main.services.store()!.database.registrations.findOne(registration.id).exec();
    await stored!.incrementalPatch({ plannedDepartureDate: new Date(Date.now() - 3 * 24 * HOUR).toISOString().slice(0, 10) });
    const opened = await requestOk(main, context, 'registrations.get', { id: registration.id });
    expect(opened.deadline).toMatchObject({ required: true, responsible: 'foreigner-or-host', status: 'registered-on-time' });
    expect(opened.deadline.explanation).toMatch(/^The planned departure \(\d{4}-\d{2}-\d{2}\) is before the arrival: the record needs correcting/);
  });

  it('cancels only with a reason, and a cancelled registration cannot be changed', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const { registration } = await requestOk(main, context, 'registrations.create', formFrom(prepared, Date.now() - HOUR));

    const withoutReason = await main.dispatcher.request('registrations.cancel', { id: registration.id, expectedRevisionNumber: 1, reason: '  ' }, context);
    expect(withoutReason).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'reason' })] } });
    const cancelled = await requestOk(main, context, 'registrations.cancel', { id: registration.id, expectedRevisionNumber: 1, reason: 'Registered twice by mistake' });
    expect(cancelled.registration).toMatchObject({ revisionNumber: 2, status: 'cancelled', cancellation: { cancelledBy: 'o1', reason: 'Registered twice by mistake' } });
    await expect(main.dispatcher.request('registrations.amend', { id: registration.id, expectedRevisionNumber: 2, changes: { purposeCode: 'BUSINESS' } }, context)).resolves.toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const cancelEntry = (await trail(main)).find((entry) => entry.action === 'registration.cancel');
    expect(cancelEntry).toEqual({ action: 'registration.cancel', recordType: 'registration', recordId: registration.id, details: { fields: 'status,cancellation', revision: '2' } });
  });

  it('takes a purpose of stay only from the code list, in force today, on create and on amend', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const form = formFrom(prepared, Date.now() - HOUR);
    const refusal = (message: RegExp) => ({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'purposeCode', message: expect.stringMatching(message) }] } });

    await expect(main.dispatcher.request('registrations.create', { ...form, purposeCode: 'SMUGGLING' }, context)).resolves.toMatchObject(refusal(/^SMUGGLING is not a purpose of stay/));
    await expect(main.dispatcher.request('registrations.create', { ...form, purposeCode: 'SEASONAL' }, context)).resolves.toMatchObject(refusal(/^The purpose of stay SEASONAL is not in force today/));
    expect(await main.services.store()!.database.registrations.count().exec()).toBe(0);

    const { registration } = await requestOk(main, context, 'registrations.create', form);
    await expect(main.dispatcher.request('registrations.amend', { id: registration.id, expectedRevisionNumber: 1, changes: { purposeCode: 'SEASONAL' } }, context)).resolves.toMatchObject(refusal(/not in force today/));
    const stored = await main.services.store()!.database.registrations.findOne(registration.id).exec();
    expect(stored?.toJSON()).toMatchObject({ revisionNumber: 1, purposeCode: 'TOURISM' });
  });

  it('tells a station whose code lists have not come from the server yet why it cannot register', async () => {
    const main = await started({ codeLists: false });
    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const refused = await main.dispatcher.request('registrations.create', formFrom(prepared, Date.now() - HOUR), context);
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'purposeCode', message: expect.stringMatching(/no purposes of stay yet: its code lists come with the first sync/) }] } });
  });

  it('refuses a signed-out call, and names the field of invalid input', async () => {
    const main = await started();
    const signedOut = main.dispatcher.openSession();
    await expect(main.dispatcher.request('registrations.prepare', { mrz: SPECIMEN_MRZ }, signedOut)).resolves.toMatchObject({ ok: false, error: { code: 'NOT_AUTHENTICATED' } });

    const context = await loggedIn(main);
    const prepared = await requestOk(main, context, 'registrations.prepare', { mrz: SPECIMEN_MRZ });
    const form = formFrom(prepared, Date.now() - HOUR);
    const noPlace = await main.dispatcher.request('registrations.create', { ...form, address: { place: '', municipality: 'Stari Grad' } }, context);
    expect(noPlace).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'address.place' })] } });
    const leavesBeforeArriving = await main.dispatcher.request('registrations.create', { ...form, plannedDepartureDate: '2000-01-01' }, context);
    expect(leavesBeforeArriving).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'plannedDepartureDate', message: expect.any(String) }] } });
    const unreadable = await main.dispatcher.request('registrations.prepare', { mrz: 'not a zone' }, context);
    expect(unreadable).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [expect.objectContaining({ path: 'mrz' })] } });
    expect(await main.services.store()!.database.registrations.count().exec()).toBe(0);
  });
});
