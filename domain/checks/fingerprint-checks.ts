import type { Rules } from '../rules';
import { ageOn, earliestPossibleDay, latestPossibleDay, parsePartialDate } from '../time';
import type { CheckResult } from './entry-check-types';

/**
 * Four fingers of the right hand (the left when missing); children under 12 are
 * exempt (EES, Reg. 2017/2226 Art. 17). With a partial date of birth the exemption is
 * given only when the child is under the age whatever the missing day or month is.
 */
export function fingerprintChecks(birthDate: string, entryDate: string, rules: Rules): CheckResult[] {
  const { exemptUnderAge } = rules.fingerprints;
  const born = parsePartialDate(birthDate);
  const earliest = earliestPossibleDay(born);
  const latest = latestPossibleDay(born);
  const required: CheckResult = {
    check: 'FINGERPRINTS_REQUIRED',
    severity: 'info',
    explanation: 'Take the fingerprints of four fingers of the right hand (of the left hand when missing)',
    facts: {},
    suggestedRefusalReasons: [],
  };
  if (earliest === undefined || latest === undefined) {
    return [
      {
        check: 'FINGERPRINTS_AGE_UNCERTAIN',
        severity: 'warning',
        explanation: `Year of birth unknown: take fingerprints unless the traveller is evidently under ${exemptUnderAge}`,
        facts: { birthDate, entryDate, youngestAge: '', oldestAge: '', exemptUnderAge },
        suggestedRefusalReasons: [],
      },
    ];
  }
  const oldest = ageOn(earliest, entryDate);
  const youngest = ageOn(latest, entryDate);
  if (oldest < exemptUnderAge) {
    return [
      {
        check: 'FINGERPRINTS_EXEMPT_UNDER_12',
        severity: 'info',
        explanation: `Traveller is ${oldest === youngest ? oldest : `${youngest}–${oldest}`} years old on ${entryDate}: under ${exemptUnderAge}, no fingerprints`,
        facts: { youngestAge: youngest, oldestAge: oldest, entryDate, exemptUnderAge },
        suggestedRefusalReasons: [],
      },
    ];
  }
  if (youngest >= exemptUnderAge) return [required];
  return [
    {
      check: 'FINGERPRINTS_AGE_UNCERTAIN',
      severity: 'warning',
      explanation: `Date of birth ${birthDate} is partial: the traveller is ${youngest} or ${oldest} on ${entryDate}; take fingerprints unless a document shows them under ${exemptUnderAge}`,
      facts: { birthDate, entryDate, youngestAge: youngest, oldestAge: oldest, exemptUnderAge },
      suggestedRefusalReasons: [],
    },
  ];
}
