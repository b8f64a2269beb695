import { afterEach, describe, expect, it } from 'vitest';
import type { CodeListEntry } from '../../domain/records';
import { isOverstayCrossing } from '../../domain/retention';
import type { MainProcess } from '../compose';
import type { DeviceSettings } from '../devices/device-settings';
import type { StationDatabase } from '../services/station-store';
import { eventually } from '../../test/support/sync-rig';
import { loginAs, requestOk, startMainStation, stopMainStations } from '../../test/support/main-station';
import { admittedCrossing, entryBan, passportLines, type SyntheticTraveller } from '../../test/support/synthetic-people';

const STATION = 'BIH-GP-01';
const PASSWORD = 'a long queue at the border';
const DAY = 86_400_000;
/** The station clock of these tests: 10 March 2026, morning. */
const NOW = Date.parse('2026-03-10T08:30:00Z');

const devices: DeviceSettings = {
  devices: [{ id: 'fingers', label: 'Fingerprint scanner (training)', protocol: 'zfm', address: { transport: 'simulator', scenario: 'normal' }, enabled: true }],
};

/** A synthetic traveller's passport zone (never a real person). */
function passport(traveller: SyntheticTraveller): string {
  return passportLines(traveller, '2031-05-01').join('\n');
}

const TRAVELLER: SyntheticTraveller = { surname: 'SYNTHETICA', givenNames: 'MARA', number: 'X1234567', nationality: 'SRB', birthDate: '1985-04-02', sex: 'F' };

afterEach(stopMainStations);

async function started(options: { kind?: 'border-crossing' | 'police-station'; withScanner?: boolean } = {}): Promise<MainProcess> {
  const station = await startMainStation({
    stationId: STATION,
    officers: [{ id: 'o1', name: 'Border Officer', username: 'border', badgeNumber: 'G-1', role: 'officer' }],
    password: PASSWORD,
    now: () => NOW,
    ...(options.withScanner ? { devices } : {}),
    async seed(database) {
      await database.stations.insert({ id: STATION, name: 'Synthetic Border Post', kind: options.kind ?? 'border-crossing', municipality: 'Synthetic Municipality', crossingPointCode: 'SBP1', updatedAt: NOW });
      await database.codeLists.bulkInsert(
        [
          ['SRB', 'visa-free'],
          ['UTO', 'visa-required'],
        ].map(([code, regime]) => ({ id: `visaRegimes|${code}`, list: 'visaRegimes', code: code!, labels: { en: code! }, extra: { regime: regime! }, updatedAt: NOW })),
      );
    },
  });
  return station.main;
}

function loggedIn(main: MainProcess) {
  return loginAs(main, 'border', PASSWORD);
}

async function auditActions(database: StationDatabase): Promise<string[]> {
  return (await database.audit.find({ sort: [{ sequence: 'asc' }] }).exec()).map((entry) => entry.action);
}

/** An earlier admitted crossing of the traveller at this station. */
async function seedCrossing(database: StationDatabase, direction: 'entry' | 'exit', at: number): Promise<void> {
  await database.crossings.insert(admittedCrossing(TRAVELLER, { direction, occurredAt: at, stationId: STATION, authority: 'Synthetic Border Post', officerId: 'o1' }));
}

describe('border control through the API contract, against a real store', () => {
  it('runs the entry checks for a visa-free traveller, saving nothing and auditing counts only', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const database = main.services.store()!.database;
    await seedCrossing(database, 'entry', NOW - 40 * DAY);
    await seedCrossing(database, 'exit', NOW - 31 * DAY);

    const prepared = await requestOk(main, context, 'crossings.prepare', { direction: 'entry', source: { mrz: passport(TRAVELLER) }, plannedDepartureDate: '2026-03-20' });
    expect(prepared.person).toMatchObject({ surname: 'SYNTHETICA', nationality: 'SRB', birthDate: '1985-04-02' });
    expect(prepared.mrz).toMatchObject({ format: 'TD3', valid: true });
    expect(prepared.checks.map((check) => [check.code, check.severity])).toEqual([
      ['DOCUMENT_ISSUE_DATE_UNKNOWN', 'info'],
      ['VISA_NOT_REQUIRED', 'info'],
      ['STAY_DAYS_USED', 'info'],
      ['FINGERPRINTS_REQUIRED', 'info'],
      ['WATCHLIST_CLEAR', 'info'],
    ]);
    // 10 days of the earlier stay (entry and exit days included) plus the day of entry; 21 used on the planned departure.
    expect(prepared.stay).toEqual({ daysUsed: 11, daysLeft: 69, latestLawfulExit: '2026-05-28', overstayDays: null });
    expect(prepared.fingerprints).toBe('required');
    expect(prepared.suggestedRefusalReasons).toEqual([]);
    expect(prepared.earlier.map((crossing) => crossing.direction)).toEqual(['exit', 'entry']);
    expect(prepared.crossingPoint).toEqual({ id: STATION, code: 'SBP1', name: 'Synthetic Border Post', authority: 'Synthetic Border Post' });
    expect(prepared.checks.find((check) => check.code === 'STAY_DAYS_USED')?.recorded).toEqual({ check: 'stay.days-used', severity: 'info', outcome: 'passed' });
    // The facts the screen words the check from, in the officer's language.
    expect(prepared.checks.find((check) => check.code === 'STAY_DAYS_USED')?.facts).toEqual({
      daysUsedOnEntry: 11,
      maxDaysInWindow: 90,
      windowDays: 180,
      entryDate: '2026-03-10',
      plannedDepartureDate: '2026-03-20',
      daysLeftOnDeparture: 69,
      latestLawfulExit: '2026-05-28',
    });

    expect(await database.crossings.count().exec()).toBe(2);
    const lookup = await database.audit.findOne({ selector: { action: 'person.lookup' } }).exec();
    expect(lookup?.details).toEqual({ workflow: 'border', direction: 'entry', source: 'mrz', crossings: '2', checks: '5', blocking: '0' });
    expect(JSON.stringify(lookup?.toJSON())).not.toContain('SYNTHETICA');
  });

  it('judges by the rules its rules code list holds for the day, taking each entry as it arrives', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const database = main.services.store()!.database;
    await seedCrossing(database, 'entry', NOW - 40 * DAY);
    await seedCrossing(database, 'exit', NOW - 31 * DAY);
    const rulesEntry = (code: string, validFrom: string, extra: NonNullable<CodeListEntry['extra']>) => ({ id: `rules|${code}`, list: 'rules', code, labels: { en: `Rules ${code}` }, extra, validFrom, updatedAt: NOW });
    const daysLeft = async () => (await requestOk(main, context, 'crossings.prepare', { direction: 'entry', source: { mrz: passport(TRAVELLER) }, plannedDepartureDate: '2026-03-20' })).stay?.daysLeft;
    expect(await requestOk(main, context, 'reference.rules', {})).toMatchObject({ entry: null, problem: null, rules: { shortStay: { maxDaysInWindow: 90 } } });
    expect(await daysLeft()).toBe(69);

    // In force since 1 March, as a pull would bring it; one dated April waits for its day.
    await database.codeLists.bulkInsert([rulesEntry('2026-03', '2026-03-01', { shortStay: { maxDaysInWindow: 60 } }), rulesEntry('2026-04', '2026-04-01', { shortStay: { maxDaysInWindow: 30 } })]);
    await eventually(async () => (await requestOk(main, context, 'reference.rules', {})).entry === '2026-03', 'the station takes the rules entry');
    expect(await daysLeft()).toBe(39);

    // An entry this version cannot load leaves the defaults in force and says why.
    await database.codeLists.insert(rulesEntry('2026-03-b', '2026-03-05', { shortStay: { maxDaysInWindow: 45 }, tolls: { car: 5 } }));
    await eventually(async () => (await requestOk(main, context, 'reference.rules', {})).entry === '2026-03-b', 'the station takes the newer entry');
    expect(await requestOk(main, context, 'reference.rules', {})).toMatchObject({ problem: expect.stringMatching(/2026-03-b.*tolls/), rules: { shortStay: { maxDaysInWindow: 90 } } });
    expect(await daysLeft()).toBe(69);
  });

  it('records an admitted entry with four fingers from the simulated scanner, on disk before it answers, audited', { timeout: 60_000 }, async () => {
    const main = await started({ withScanner: true });
    const context = await loggedIn(main);
    const database = main.services.store()!.database;
    await eventually(() => main.services.devices.manager.status().some((device) => device.id === 'fingers' && device.state === 'ready'), 'the scanner is ready');

    const captures = [];
    for (const fingerPosition of [2, 3, 4, 5]) {
      const capture = await requestOk(main, context, 'crossings.captureFinger', { deviceId: 'fingers', fingerPosition, timeoutMs: 20_000 });
      expect(capture).toMatchObject({ fingerPosition, usable: true });
      expect(capture.quality).toBeGreaterThan(0);
      expect(Buffer.from(capture.pngBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
      captures.push({ captureId: capture.captureId });
    }
    const recorded = await requestOk(main, context, 'crossings.record', {
      direction: 'entry',
      source: { mrz: passport(TRAVELLER) },
      plannedDepartureDate: '2026-03-20',
      decision: { outcome: 'admitted' },
      fingerprints: { kind: 'captured', captures },
    });
    expect(recorded.crossing).toMatchObject({ direction: 'entry', decision: { outcome: 'admitted' }, crossingPointId: STATION, authority: 'Synthetic Border Post', occurredAt: NOW, correctsId: '' });
    expect(recorded.biometrics.map((biometric) => biometric.fingerPosition)).toEqual([2, 3, 4, 5]);

    const stored = await database.crossings.findOne(recorded.crossing.id).exec();
    expect(stored?.checks).toContainEqual({ check: 'visa.required', severity: 'info', outcome: 'passed' });
    expect(stored?.checks).toContainEqual({ check: 'watchlist', severity: 'info', outcome: 'passed' });
    const biometrics = await database.biometrics.find({ selector: { recordId: recorded.crossing.id } }).exec();
    expect(biometrics).toHaveLength(4);
    for (const biometric of biometrics) {
      expect(biometric.capture).toMatchObject({ outcome: 'captured', templateFormat: expect.any(String), template: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
      expect(biometric.getAttachment('image')?.type).toBe('image/png');
    }
    expect(await auditActions(database)).toEqual([
      'login',
      'fingerprint.capture',
      'fingerprint.capture',
      'fingerprint.capture',
      'fingerprint.capture',
      'crossing.create',
      'biometric.create',
      'biometric.create',
      'biometric.create',
      'biometric.create',
    ]);
    const create = await database.audit.findOne({ selector: { action: 'crossing.create' } }).exec();
    expect(create?.details).toEqual({ direction: 'entry', outcome: 'admitted', reasons: '', checks: '5', fingerprints: '4' });

    // A capture is used once: recording it again finds it gone.
    const again = await main.dispatcher.request(
      'crossings.record',
      { direction: 'entry', source: { mrz: passport(TRAVELLER) }, decision: { outcome: 'admitted' }, fingerprints: { kind: 'captured', captures: captures.slice(0, 1) } },
      context,
    );
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('shows the overstay on exit and records it so that the retention rules keep the record longer', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const database = main.services.store()!.database;
    await seedCrossing(database, 'entry', NOW - 120 * DAY);

    const prepared = await requestOk(main, context, 'crossings.prepare', { direction: 'exit', source: { mrz: passport(TRAVELLER) } });
    const overstay = prepared.checks.find((check) => check.code === 'STAY_OVERSTAY');
    // 121 days of stay (the entry day and today included): 31 past the 90.
    expect(overstay).toMatchObject({ severity: 'warning', recorded: { check: 'stay.overstay', severity: 'warning', outcome: 'failed' } });
    expect(overstay?.explanation).toContain('Overstayed by 31 days');
    expect(overstay?.facts).toEqual({ stayBegan: '2025-11-10', latestLawfulExit: '2026-02-07', overstayDays: 31, maxDaysInWindow: 90, windowDays: 180 });
    expect(prepared.stay).toEqual({ daysUsed: 121, daysLeft: 0, latestLawfulExit: '2026-02-07', overstayDays: 31 });
    expect(prepared.suggestedRefusalReasons).toEqual([]);

    const recorded = await requestOk(main, context, 'crossings.record', { direction: 'exit', source: { mrz: passport(TRAVELLER) }, decision: { outcome: 'admitted' } });
    expect(isOverstayCrossing(recorded.crossing)).toBe(true);
    const refusedExit = await main.dispatcher.request('crossings.record', { direction: 'exit', source: { mrz: passport(TRAVELLER) }, decision: { outcome: 'refused', reasons: ['A'] } }, context);
    expect(refusedExit).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('suggests the refusal reasons of a visa-required traveller under an entry ban, and records a refusal with two', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const database = main.services.store()!.database;
    await database.alerts.insert(entryBan('alert-ban-1', { surname: 'SYNTHETICUS', givenNames: 'PETAR', birthDate: '1979-11-23', nationality: 'UTO' }));
    const mrz = passport({ surname: 'SYNTHETICUS', givenNames: 'PETAR', number: 'U7654321', nationality: 'UTO', birthDate: '1979-11-23', sex: 'F' });
    const prepared = await requestOk(main, context, 'crossings.prepare', { direction: 'entry', source: { mrz }, plannedDepartureDate: '2026-03-15' });
    expect(prepared.checks.filter((check) => check.severity === 'block').map((check) => check.code)).toEqual(['WATCHLIST_HIT', 'VISA_REQUIRED']);
    expect(prepared.suggestedRefusalReasons).toEqual(['C', 'H']);

    await expect(main.dispatcher.request('crossings.record', { direction: 'entry', source: { mrz }, decision: { outcome: 'refused', reasons: [] } }, context)).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const recorded = await requestOk(main, context, 'crossings.record', { direction: 'entry', source: { mrz }, plannedDepartureDate: '2026-03-15', decision: { outcome: 'refused', reasons: ['H', 'C'] } });
    expect(recorded.crossing.decision).toEqual({ outcome: 'refused', reasons: ['C', 'H'] });
    expect(recorded.crossing.checks).toContainEqual({ check: 'visa.required', severity: 'critical', outcome: 'failed' });
    expect(recorded.crossing.checks).toContainEqual({ check: 'watchlist', severity: 'critical', outcome: 'failed' });

    // The refusal shows on the next attempt, as an earlier refusal to look at.
    const next = await requestOk(main, context, 'crossings.prepare', { direction: 'entry', source: { mrz }, plannedDepartureDate: '2026-03-15' });
    expect(next.checks.find((check) => check.code === 'EARLIER_REFUSAL')?.explanation).toBe(`Refused entry on 2026-03-10 at ${STATION}, reasons C, H`);
    expect(next.checks.find((check) => check.code === 'EARLIER_REFUSAL')?.facts).toEqual({ refusedOn: '2026-03-10', crossingPoint: STATION, reasons: 'C,H' });
  });

  it('corrects a border record with a new record that names it, once, and opens both audited', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const database = main.services.store()!.database;
    const mrz = passport(TRAVELLER);
    const refused = await requestOk(main, context, 'crossings.record', { direction: 'entry', source: { mrz }, decision: { outcome: 'refused', reasons: ['E', 'G'] } });

    const corrected = await requestOk(main, context, 'crossings.correct', { id: refused.crossing.id, reason: 'wrong-decision', changes: { decision: { outcome: 'admitted' } } });
    expect(corrected.crossing).toMatchObject({ correctsId: refused.crossing.id, decision: { outcome: 'admitted' }, direction: 'entry', person: refused.crossing.person, checks: refused.crossing.checks });
    expect(corrected.crossing.id).not.toBe(refused.crossing.id);
    // The original stays as it was.
    expect((await database.crossings.findOne(refused.crossing.id).exec())?.decision).toEqual({ outcome: 'refused', reasons: ['E', 'G'] });
    await expect(main.dispatcher.request('crossings.correct', { id: refused.crossing.id, reason: 'wrong-decision', changes: { decision: { outcome: 'admitted' } } }, context)).resolves.toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    const opened = await requestOk(main, context, 'crossings.get', { id: refused.crossing.id });
    expect(opened.correctedBy).toEqual([corrected.crossing.id]);
    // The corrected refusal no longer counts as one.
    const next = await requestOk(main, context, 'crossings.prepare', { direction: 'entry', source: { mrz } });
    expect(next.checks.some((check) => check.code === 'EARLIER_REFUSAL')).toBe(false);
    expect(next.earlier.map((crossing) => [crossing.outcome, crossing.corrected])).toEqual(
      expect.arrayContaining([
        ['refused', true],
        ['admitted', false],
      ]),
    );
    expect(await auditActions(database)).toEqual(['login', 'crossing.create', 'crossing.correct', 'crossing.view', 'person.lookup']);
    const correction = await database.audit.findOne({ selector: { action: 'crossing.correct' } }).exec();
    expect(correction?.details).toEqual({ corrects: refused.crossing.id, reason: 'wrong-decision', fields: 'decision' });
    await expect(main.dispatcher.request('crossings.get', { id: 'no-such-record' }, context)).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('exempts a child under 12 from fingerprints, and nobody older', async () => {
    const main = await started();
    const context = await loggedIn(main);
    const database = main.services.store()!.database;
    const child = passport({ surname: 'SYNTHETICA', givenNames: 'LANA', number: 'X7000001', nationality: 'SRB', birthDate: '2019-06-01', sex: 'F' });
    const prepared = await requestOk(main, context, 'crossings.prepare', { direction: 'entry', source: { mrz: child } });
    expect(prepared.fingerprints).toBe('exempt-under-12');
    const recorded = await requestOk(main, context, 'crossings.record', { direction: 'entry', source: { mrz: child }, decision: { outcome: 'admitted' }, fingerprints: { kind: 'exempt', reason: 'UNDER_AGE' } });
    expect(recorded.biometrics).toEqual([expect.objectContaining({ outcome: 'exempt', reason: 'UNDER_AGE', fingerPosition: null })]);
    expect((await database.biometrics.find({ selector: { recordId: recorded.crossing.id } }).exec()).map((biometric) => biometric.capture)).toEqual([{ outcome: 'exempt', reason: 'UNDER_AGE' }]);

    const adult = await main.dispatcher.request('crossings.record', { direction: 'entry', source: { mrz: passport(TRAVELLER) }, decision: { outcome: 'admitted' }, fingerprints: { kind: 'exempt', reason: 'UNDER_AGE' } }, context);
    expect(adult).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'fingerprints.reason' }] } });
  });

  it('takes a typed document, and refuses to record crossings at a police station', async () => {
    const main = await started({ kind: 'police-station' });
    const context = await loggedIn(main);
    const typed = {
      person: { surname: 'Syntheticá', givenNames: 'Mara', sex: 'F' as const, birthDate: '1985-04-02', nationality: 'SRB' },
      document: { documentCode: 'P', documentNumber: 'x 123-4567', issuingState: 'SRB', expiryDate: '2031-05-01' },
    };
    const prepared = await requestOk(main, context, 'crossings.prepare', { direction: 'entry', source: typed });
    expect(prepared.mrz).toBeNull();
    expect(prepared.document.documentNumber).toBe('X1234567');
    const withoutExpiry = await main.dispatcher.request('crossings.prepare', { direction: 'entry', source: { ...typed, document: { documentCode: 'P', documentNumber: 'X1234567', issuingState: 'SRB' } } }, context);
    expect(withoutExpiry).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ path: 'document.expiryDate' }] } });
    await expect(main.dispatcher.request('crossings.record', { direction: 'entry', source: typed, decision: { outcome: 'admitted' } }, context)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
