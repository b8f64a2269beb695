import { defaultRules, type Rules } from '../rules';
import { MS_PER_HOUR, instantMs, isoInstant, type IsoInstant } from '../time';
import { type DeadlineStatus, describeDuration, judgeDeadline } from './deadline';

export type ResidenceKind = 'temporary' | 'permanent';

export interface AddressChangeFacts {
  residence: ResidenceKind;
  movedAt: IsoInstant;
  reportedAt?: IsoInstant;
  now?: IsoInstant;
}

export interface AddressChangeDeadline {
  dueAt: IsoInstant;
  status: DeadlineStatus;
  minutesLate: number;
  explanation: string;
}

/**
 * A foreigner with residence reports a new address within 48 hours (temporary
 * residence) or 8 days (permanent). Days are counted as whole 24-hour periods from
 * the move, the reading that never gives less time than the law.
 */
export function addressChangeDeadline(facts: AddressChangeFacts, rules: Rules = defaultRules): AddressChangeDeadline {
  const { temporaryResidenceHours, permanentResidenceDays } = rules.addressChange;
  const hours = facts.residence === 'temporary' ? temporaryResidenceHours : permanentResidenceDays * 24;
  const dueMs = instantMs(facts.movedAt) + hours * MS_PER_HOUR;
  const dueAt = isoInstant(dueMs);
  const judged = judgeDeadline(dueMs, facts.reportedAt, facts.now);
  const period = facts.residence === 'temporary' ? `${temporaryResidenceHours} h` : `${permanentResidenceDays} days`;
  const base = `${facts.residence === 'temporary' ? 'Temporary' : 'Permanent'} residence: a change of address is reported within ${period}, by ${dueAt}`;
  const tail: Record<DeadlineStatus, string> = {
    'pending': '',
    'overdue': `; not reported and ${describeDuration(judged.minutesLate)} overdue`,
    'done-on-time': '; reported on time',
    'done-late': `; reported ${describeDuration(judged.minutesLate)} late`,
  };
  return { dueAt, status: judged.status, minutesLate: judged.minutesLate, explanation: base + tail[judged.status] };
}
