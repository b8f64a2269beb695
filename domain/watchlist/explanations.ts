import type { DocumentAlert, MatchReason, PersonAlert, TravellerQuery } from './alerts';
import { compareBirthDates, formatBirthDate } from './birth-date';
import type { NameComparison } from './person-similarity';

/** Letters as typed, ignoring case and separators: the test for "same spelling" vs "transliterated". */
function spelling(name: string): string {
  return name.normalize('NFC').toUpperCase().replace(/[\s\-<,.'’]+/g, '');
}

function shown(name: string): string {
  return name.trim() === '' ? '(none)' : name.trim().toUpperCase();
}

type NameField = 'SURNAME' | 'GIVEN_NAMES';

function nameReason(field: NameField, travellerName: string, alertName: string, comparison: NameComparison): MatchReason | null {
  const label = field === 'SURNAME' ? 'Surname' : 'Given names';
  const pair = `${shown(travellerName)} / ${shown(alertName)} on the alert`;
  switch (comparison.agreement) {
    case 'exact':
      return spelling(travellerName) === spelling(alertName)
        ? { code: `${field}_EXACT`, text: `${label} ${shown(travellerName)} as on the alert` }
        : { code: `${field}_TRANSLITERATED`, text: `${label}: the same name in another spelling or script: ${pair}` };
    case 'typo':
      return {
        code: `${field}_TYPO`,
        text: `${label}: ${comparison.typos === 1 ? '1 letter' : `${comparison.typos} letters`} apart: ${pair}`,
      };
    case 'part':
      return { code: `${field}_PART`, text: `${label}: one is part of the other: ${pair}` };
    case 'unknown':
      return field === 'GIVEN_NAMES' ? { code: 'GIVEN_NAMES_UNKNOWN', text: 'Given names missing on one side' } : null;
    case 'differs':
      return null;
  }
}

export interface PersonMatchFacts {
  /** True when the traveller's surname was matched with the alert's given names and the reverse. */
  swapped: boolean;
  /** The alert's surname against the traveller's surname (given names when swapped). */
  surname: NameComparison;
  /** The alert's given names against the traveller's given names (surname when swapped). */
  givenNames: NameComparison;
  travellerBirth: number;
  alertBirth: number;
  travellerNationality: string;
  alertNationality: string;
}

/** Why a person alert was proposed, one line per piece of evidence, in the order an officer checks them. */
export function explainPersonMatch(alert: PersonAlert, traveller: TravellerQuery, facts: PersonMatchFacts): MatchReason[] {
  const reasons: MatchReason[] = [];
  const [surnameName, givenName] = facts.swapped ? [traveller.givenNames, traveller.surname] : [traveller.surname, traveller.givenNames];
  if (facts.swapped) {
    reasons.push({ code: 'NAMES_SWAPPED', text: 'Surname and given names are the other way round on the alert' });
  }
  const surname = nameReason('SURNAME', surnameName, alert.surname, facts.surname);
  if (surname) reasons.push(surname);
  const given = nameReason('GIVEN_NAMES', givenName, alert.givenNames, facts.givenNames);
  if (given) reasons.push(given);

  const birth = compareBirthDates(facts.travellerBirth, facts.alertBirth);
  const dates = `${formatBirthDate(facts.travellerBirth)} / ${formatBirthDate(facts.alertBirth)} on the alert`;
  const birthReasons = {
    'exact': { code: 'BIRTH_DATE_EXACT', text: `Date of birth ${formatBirthDate(facts.alertBirth)} as on the alert` },
    'partial': { code: 'BIRTH_DATE_PARTIAL', text: `Date of birth agrees as far as both are known: ${dates}` },
    'day-month-swapped': { code: 'BIRTH_DATE_DAY_MONTH_SWAPPED', text: `Date of birth with day and month swapped: ${dates}` },
    'one-digit-off': { code: 'BIRTH_DATE_ONE_DIGIT_OFF', text: `Date of birth one digit apart: ${dates}` },
    'unknown': { code: 'BIRTH_DATE_UNKNOWN', text: 'Date of birth missing on one side' },
    'differs': { code: 'BIRTH_DATE_DIFFERS', text: `Date of birth differs: ${dates}` },
  } as const satisfies Record<string, MatchReason>;
  reasons.push(birthReasons[birth.agreement]);

  if (facts.alertNationality === '' || facts.travellerNationality === '') {
    reasons.push({ code: 'NATIONALITY_UNKNOWN', text: 'Nationality missing on one side' });
  } else if (facts.alertNationality === facts.travellerNationality) {
    reasons.push({ code: 'NATIONALITY_SAME', text: `Nationality ${facts.alertNationality} as on the alert` });
  } else {
    reasons.push({ code: 'NATIONALITY_DIFFERS', text: `Nationality differs: ${facts.travellerNationality} / ${facts.alertNationality} on the alert` });
  }
  return reasons;
}

export function explainDocumentMatch(alert: DocumentAlert, alertNumber: string, travellerNumber: string, travellerState: string): MatchReason[] {
  const reasons: MatchReason[] = [
    alertNumber === travellerNumber
      ? { code: 'DOCUMENT_NUMBER_EXACT', text: `Document number ${alertNumber} is on the alert` }
      : {
          code: 'DOCUMENT_NUMBER_MISREAD',
          text: `Document number ${travellerNumber} reads as ${alertNumber} on the alert if letters and digits were confused (0/O, 1/I, 2/Z, 5/S, 8/B)`,
        },
  ];
  const alertState = (alert.issuingState ?? '').trim().toUpperCase();
  if (alertState !== '' && travellerState !== '' && alertState !== travellerState) {
    reasons.push({ code: 'ISSUING_STATE_DIFFERS', text: `Issued by ${travellerState}; the alert is for a document issued by ${alertState}` });
  }
  return reasons;
}
