import type { Biometric, Crossing, Registration } from '../records';
import { documentNumberKey } from '../records';
import type { Rules } from '../rules';

/**
 * How long records of people are kept, and when each may go. The law (DOMAIN: registers
 * of foreigners at least 3 years, border records 3 years, 5 for overstayers) is in
 * rules.retention, so a station or the server can be configured otherwise; the station
 * and the server apply the same function, each to what it holds.
 *
 * The audit trail is not purged: it names records by id and holds no personal data, and
 * it is what shows that a purge happened.
 */

/** The collections whose records are purged when their time is up; the audit trail is not among them. */
export const retainedCollections = ['registrations', 'crossings', 'biometrics'] as const;
export type RetainedCollection = (typeof retainedCollections)[number];

/** The check an exit crossing carries, failed, when the traveller overstayed (set by border control). */
export const OVERSTAY_CHECK = 'stay.overstay';

/** One person across records: the travel document (issuing state and number, as the indexes key it). */
export function personKey(document: { issuingState: string; documentNumber: string }): string {
  return `${document.issuingState}|${documentNumberKey(document.documentNumber)}`;
}

/** An exit on which the traveller was found to have overstayed. */
export function isOverstayCrossing(crossing: Pick<Crossing, 'direction' | 'checks'>): boolean {
  return crossing.direction === 'exit' && crossing.checks.some((check) => check.check === OVERSTAY_CHECK && check.outcome === 'failed');
}

/**
 * The people (personKey) among these crossings' travellers who overstayed: what makes a
 * person's records an overstayer's, as far as the records a side holds can tell.
 */
export function overstayers(crossings: Iterable<Pick<Crossing, 'direction' | 'checks'> & { document: { issuingState: string; documentNumber: string } }>): Set<string> {
  const found = new Set<string>();
  for (const crossing of crossings) if (isOverstayCrossing(crossing)) found.add(personKey(crossing.document));
  return found;
}

const MS_PER_DAY = 86_400_000;

/**
 * `years` calendar years after `at` (UTC), to the millisecond; 29 February moves to
 * 1 March in a year without one.
 */
export function yearsAfter(at: number, years: number): number {
  const moved = new Date(at);
  // setUTCFullYear rolls 29 February over to 1 March by itself.
  moved.setUTCFullYear(moved.getUTCFullYear() + years);
  return moved.getTime();
}

/** When a registration's time starts to run: the end of the planned stay, or its cancellation if later. */
function registrationEnd(registration: Pick<Registration, 'plannedDepartureDate' | 'cancellation' | 'arrivalAt'>): number {
  const departure = Date.parse(`${registration.plannedDepartureDate}T00:00:00Z`) + MS_PER_DAY;
  return Math.max(departure, registration.arrivalAt, registration.cancellation?.cancelledAt ?? 0);
}

export type RetainedRecord =
  | { kind: 'registration'; record: Pick<Registration, 'plannedDepartureDate' | 'cancellation' | 'arrivalAt'> }
  | { kind: 'crossing'; record: Pick<Crossing, 'occurredAt'> };

/**
 * The moment a record may be purged: its years after the stay ended (registrations) or
 * the crossing (border records), the overstayers' years for a person who overstayed.
 */
export function retainedUntil(retained: RetainedRecord, overstayer: boolean, rules: Pick<Rules, 'retention'>): number {
  const { accommodationRegisterYears, borderRecordYears, overstayerRecordYears } = rules.retention;
  if (retained.kind === 'registration') {
    return yearsAfter(registrationEnd(retained.record), overstayer ? Math.max(overstayerRecordYears, accommodationRegisterYears) : accommodationRegisterYears);
  }
  return yearsAfter(retained.record.occurredAt, overstayer ? Math.max(overstayerRecordYears, borderRecordYears) : borderRecordYears);
}

/**
 * Records ending before this moment may have passed their time: a query bound (by
 * arrivalAt or occurredAt), before the exact decision per record. The shortest period.
 */
export function earliestCutoff(now: number, rules: Pick<Rules, 'retention'>): number {
  const { accommodationRegisterYears, borderRecordYears } = rules.retention;
  return yearsAfter(now, -Math.min(accommodationRegisterYears, borderRecordYears));
}

/**
 * A fingerprint capture goes with the record it belongs to. One whose record this side
 * does not hold (purged before it, or never received) goes by its own date, as a border
 * record: the capture is made at the crossing or the registration.
 */
export function orphanBiometricRetainedUntil(biometric: Pick<Biometric, 'createdAt'>, rules: Pick<Rules, 'retention'>): number {
  return yearsAfter(biometric.createdAt, rules.retention.borderRecordYears);
}

/** Captures made before this moment may be orphans past their time: the query bound (by createdAt). */
export function orphanBiometricCutoff(now: number, rules: Pick<Rules, 'retention'>): number {
  return yearsAfter(now, -rules.retention.borderRecordYears);
}
