import { defaultRules, type Rules } from '../rules';
import { addHours, instantMs, type IsoInstant } from '../time';
import { type DeadlineStatus, describeDuration, judgeDeadline } from './deadline';
import { StayError } from './errors';

export type AccommodationType = 'commercial' | 'private';

/** Commercial stays: the hotel, hostel or other provider; private stays: the foreigner or the host. */
export type RegistrationResponsible = 'accommodation-provider' | 'foreigner-or-host';

export interface RegistrationFacts {
  arrivedAt: IsoInstant;
  accommodation: AccommodationType;
  /** Length of the planned stay in days, as the law counts a stay "longer than 3 days". */
  plannedStayDays: number;
  /** When the registration was made, if it has been. */
  registeredAt?: IsoInstant;
  /** The moment to judge an unmade registration against (the officer's clock). */
  now?: IsoInstant;
}

export type RegistrationStatus = 'not-required' | 'pending' | 'overdue' | 'registered-on-time' | 'registered-late';

export interface RegistrationDeadline {
  required: boolean;
  responsible: RegistrationResponsible;
  /** Deadline for the registration; null when none is required. */
  dueAt: IsoInstant | null;
  status: RegistrationStatus;
  minutesLate: number;
  explanation: string;
}

/**
 * Registration of a foreigner's stay (Law on Foreigners of BiH, Art. 103): providers of
 * accommodation register within 12 hours of arrival; for a private stay longer than 3
 * days the foreigner or the host registers within 48 hours.
 */
export function registrationDeadline(facts: RegistrationFacts, rules: Rules = defaultRules): RegistrationDeadline {
  if (!Number.isInteger(facts.plannedStayDays) || facts.plannedStayDays < 0) {
    throw new StayError('INVALID_STAY_LENGTH', `A planned stay of ${facts.plannedStayDays} days is not a whole number of days`);
  }
  const { commercialDeadlineHours, privateDeadlineHours, privateExemptMaxDays } = rules.registration;
  const commercial = facts.accommodation === 'commercial';
  const responsible: RegistrationResponsible = commercial ? 'accommodation-provider' : 'foreigner-or-host';
  // Read even when no registration is due: an arrival time without an offset is an input error either way.
  instantMs(facts.arrivedAt);

  if (!commercial && facts.plannedStayDays <= privateExemptMaxDays) {
    return {
      required: false,
      responsible,
      dueAt: null,
      status: 'not-required',
      minutesLate: 0,
      explanation: `Private stay of ${facts.plannedStayDays} days: registration is required only for private stays longer than ${privateExemptMaxDays} days`,
    };
  }

  const hours = commercial ? commercialDeadlineHours : privateDeadlineHours;
  const dueAt = addHours(facts.arrivedAt, hours);
  const judged = judgeDeadline(instantMs(dueAt), facts.registeredAt, facts.now);
  const who = commercial ? 'the accommodation provider' : 'the foreigner or the host';
  const base = `${commercial ? 'Commercial' : 'Private'} accommodation: ${who} must register within ${hours} h of arrival, by ${dueAt}`;
  const statusText: Record<DeadlineStatus, [RegistrationStatus, string]> = {
    'pending': ['pending', `${base}; not registered yet`],
    'overdue': ['overdue', `${base}; not registered and ${describeDuration(judged.minutesLate)} overdue`],
    'done-on-time': ['registered-on-time', `${base}; registered on time`],
    'done-late': ['registered-late', `${base}; registered ${describeDuration(judged.minutesLate)} late`],
  };
  const [status, explanation] = statusText[judged.status];
  return { required: true, responsible, dueAt, status, minutesLate: judged.minutesLate, explanation };
}
