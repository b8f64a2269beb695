import type { Rules } from '../rules';
import { addMonths, addYears, dayNumber } from '../time';
import type { CheckResult, PlannedStay, TravelDocumentFacts } from './entry-check-types';

/** Entry condition: a valid travel document, valid long enough after departure and not too old. */
export function documentChecks(document: TravelDocumentFacts, stay: PlannedStay, rules: Rules): CheckResult[] {
  const results: CheckResult[] = [];
  const { validMonthsAfterDeparture, issuedWithinYears } = rules.travelDocument;

  if (!document.mrzValid) {
    const failures = document.mrzFailures?.length ? ` (${document.mrzFailures.join('; ')})` : '';
    results.push({
      check: 'MRZ_INVALID',
      severity: 'warning',
      explanation: `The machine-readable zone fails its checks${failures}: read the document again; if it still fails, examine it for forgery`,
      facts: { failedChecks: (document.mrzFailures ?? []).join(',') },
      suggestedRefusalReasons: ['B'],
    });
  }

  const expiry = dayNumber(document.expiryDate);
  const validUntilAtLeast = addMonths(stay.plannedDepartureDate, validMonthsAfterDeparture);
  if (expiry < dayNumber(stay.entryDate)) {
    results.push({
      check: 'DOCUMENT_EXPIRED',
      severity: 'block',
      explanation: `Document expired on ${document.expiryDate}, before the entry on ${stay.entryDate}`,
      facts: { expiryDate: document.expiryDate, entryDate: stay.entryDate },
      suggestedRefusalReasons: ['A'],
    });
  } else if (expiry < dayNumber(validUntilAtLeast)) {
    results.push({
      check: 'DOCUMENT_EXPIRES_TOO_SOON',
      severity: 'block',
      explanation: `Document expires ${document.expiryDate}, less than ${validMonthsAfterDeparture} months after the planned departure ${stay.plannedDepartureDate} (it must be valid until at least ${validUntilAtLeast})`,
      facts: { expiryDate: document.expiryDate, plannedDepartureDate: stay.plannedDepartureDate, validMonthsAfterDeparture, validUntilAtLeast },
      suggestedRefusalReasons: ['A'],
    });
  }

  if (document.issueDate === undefined) {
    results.push({
      check: 'DOCUMENT_ISSUE_DATE_UNKNOWN',
      severity: 'info',
      explanation: `Date of issue not read: check on the data page that the document was issued within the last ${issuedWithinYears} years`,
      facts: { issuedWithinYears },
      suggestedRefusalReasons: [],
    });
  } else {
    const issuedNoEarlierThan = addYears(stay.entryDate, -issuedWithinYears);
    if (dayNumber(document.issueDate) < dayNumber(issuedNoEarlierThan)) {
      results.push({
        check: 'DOCUMENT_TOO_OLD',
        severity: 'block',
        explanation: `Document issued ${document.issueDate}, more than ${issuedWithinYears} years before the entry on ${stay.entryDate} (issued before ${issuedNoEarlierThan})`,
        facts: { issueDate: document.issueDate, entryDate: stay.entryDate, issuedWithinYears, issuedNoEarlierThan },
        suggestedRefusalReasons: ['A'],
      });
    }
  }
  return results;
}
