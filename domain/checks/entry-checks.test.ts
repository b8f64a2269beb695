import { describe, expect, it } from 'vitest';
import { loadRules } from '../rules';
import type { Crossing } from '../stay';
import type { WatchlistCandidate } from '../watchlist';
import type { CheckResult, EntryCheckInput, TravelDocumentFacts } from './entry-check-types';
import { entryChecks, suggestedRefusalReasons } from './entry-checks';
import { refusalReasons } from './refusal-reasons';

// An invented traveller; every test changes one thing about them.
const document: TravelDocumentFacts = {
  documentCode: 'P',
  issuingState: 'TUR',
  nationality: 'TUR',
  documentNumber: 'U12345678',
  surname: 'YILMAZ',
  givenNames: 'AYSE',
  birthDate: '1988-04-17',
  sex: 'F',
  expiryDate: '2030-01-31',
  issueDate: '2020-02-01',
  mrzValid: true,
};

function input(change: Partial<EntryCheckInput> & { documentChange?: Partial<TravelDocumentFacts> } = {}): EntryCheckInput {
  const { documentChange, ...rest } = change;
  return {
    document: { ...document, ...documentChange },
    plannedStay: { entryDate: '2026-03-01', plannedDepartureDate: '2026-03-10' },
    history: { crossings: [], refusals: [] },
    visa: { regimes: { TUR: 'visa-free', AFG: 'visa-required', BIH: 'visa-free' }, validVisaPresented: false },
    watchlistCandidates: [],
    ...rest,
  };
}

function codes(results: readonly CheckResult[]): string[] {
  return results.map((result) => result.check);
}

function find(results: readonly CheckResult[], check: string): CheckResult | undefined {
  return results.find((result) => result.check === check);
}

const candidate = (score: number, kind: WatchlistCandidate['alert']['kind']): WatchlistCandidate => ({
  alert:
    kind === 'lost-stolen-document' || kind === 'invalidated-document'
      ? { subject: 'document', alertId: 'A-1', kind, documentNumber: 'U12345678' }
      : { subject: 'person', alertId: 'A-1', kind, surname: 'YILMAZ', givenNames: 'AYSE' },
  score,
  reasons: [{ code: 'SURNAME_EXACT', text: 'Surname YILMAZ as on the alert' }],
});

describe('entry checks', () => {
  it('passes a visa-free traveller with a good document with facts only', () => {
    const results = entryChecks(input());
    expect(results.every((result) => result.severity === 'info')).toBe(true);
    expect(codes(results)).toEqual(['VISA_NOT_REQUIRED', 'STAY_DAYS_USED', 'FINGERPRINTS_REQUIRED']);
    expect(suggestedRefusalReasons(results)).toEqual([]);
  });

  it.each<[string, Partial<EntryCheckInput> & { documentChange?: Partial<TravelDocumentFacts> }, string, CheckResult['severity'], string[]]>([
    ['an expired document', { documentChange: { expiryDate: '2026-02-28' } }, 'DOCUMENT_EXPIRED', 'block', ['A']],
    ['a document expiring the day before entry', { documentChange: { expiryDate: '2026-02-28' } }, 'DOCUMENT_EXPIRED', 'block', ['A']],
    ['a document valid less than 3 months after departure', { documentChange: { expiryDate: '2026-06-09' } }, 'DOCUMENT_EXPIRES_TOO_SOON', 'block', ['A']],
    ['a document issued more than 10 years before entry', { documentChange: { issueDate: '2016-02-29' } }, 'DOCUMENT_TOO_OLD', 'block', ['A']],
    ['a document without an issue date', { documentChange: { issueDate: undefined } }, 'DOCUMENT_ISSUE_DATE_UNKNOWN', 'info', []],
    ['an MRZ failing its check digits', { documentChange: { mrzValid: false, mrzFailures: ['document number check digit'] } }, 'MRZ_INVALID', 'warning', ['B']],
    ['a visa national without a visa', { documentChange: { nationality: 'AFG' } }, 'VISA_REQUIRED', 'block', ['C']],
    ['a nationality missing from the visa list', { documentChange: { nationality: 'RKS' } }, 'VISA_REGIME_UNKNOWN', 'warning', []],
    ['a child under 12', { documentChange: { birthDate: '2014-03-02' } }, 'FINGERPRINTS_EXEMPT_UNDER_12', 'info', []],
    ['an alert for refusal of entry', { watchlistCandidates: [candidate(0.95, 'entry-ban')] }, 'WATCHLIST_HIT', 'block', ['H']],
    ['a stolen document', { watchlistCandidates: [candidate(1, 'lost-stolen-document')] }, 'WATCHLIST_HIT', 'block', ['A']],
    ['a wanted person', { watchlistCandidates: [candidate(0.9, 'wanted')] }, 'WATCHLIST_HIT', 'block', []],
    ['a discreet check', { watchlistCandidates: [candidate(0.9, 'discreet-check')] }, 'WATCHLIST_HIT', 'warning', []],
    ['a possible match below the hit threshold', { watchlistCandidates: [candidate(0.7, 'entry-ban')] }, 'WATCHLIST_POSSIBLE_MATCH', 'warning', []],
    ['an earlier refusal', { history: { crossings: [], refusals: [{ at: '2025-09-10', reasons: ['F'], crossingPoint: 'Izačić' }] } }, 'EARLIER_REFUSAL', 'warning', []],
  ])('flags %s', (_case, change, check, severity, reasons) => {
    const result = find(entryChecks(input(change)), check);
    expect(result).toMatchObject({ severity, suggestedRefusalReasons: reasons });
  });

  it('explains a document expiring too soon with its dates', () => {
    const results = entryChecks(input({ plannedStay: { entryDate: '2026-11-20', plannedDepartureDate: '2026-11-30' }, documentChange: { expiryDate: '2026-12-01' } }));
    expect(find(results, 'DOCUMENT_EXPIRES_TOO_SOON')?.explanation).toBe(
      'Document expires 2026-12-01, less than 3 months after the planned departure 2026-11-30 (it must be valid until at least 2027-02-28)',
    );
  });

  it('accepts a document valid exactly 3 months after departure, and one issued exactly 10 years before entry', () => {
    const results = entryChecks(input({ documentChange: { expiryDate: '2026-06-10', issueDate: '2016-03-01' } }));
    expect(codes(results)).not.toContain('DOCUMENT_EXPIRES_TOO_SOON');
    expect(codes(results)).not.toContain('DOCUMENT_TOO_OLD');
  });

  it('asks for fingerprints from the 12th birthday on', () => {
    expect(codes(entryChecks(input({ documentChange: { birthDate: '2014-03-01' } })))).toContain('FINGERPRINTS_REQUIRED');
    expect(codes(entryChecks(input({ documentChange: { birthDate: '2014-03-02' } })))).toContain('FINGERPRINTS_EXEMPT_UNDER_12');
  });

  it('exempts a child with a partial birth date only when every possible day makes them under 12', () => {
    expect(codes(entryChecks(input({ documentChange: { birthDate: '2015' } })))).toContain('FINGERPRINTS_EXEMPT_UNDER_12');
    expect(codes(entryChecks(input({ documentChange: { birthDate: '2014' } })))).toContain('FINGERPRINTS_AGE_UNCERTAIN');
    expect(codes(entryChecks(input({ documentChange: { birthDate: '2013' } })))).toContain('FINGERPRINTS_REQUIRED');
  });

  it('lets a visa national with a valid visa through', () => {
    const results = entryChecks(input({ documentChange: { nationality: 'AFG' }, visa: { regimes: { AFG: 'visa-required' }, validVisaPresented: true } }));
    expect(codes(results)).toContain('VISA_PRESENTED');
    expect(codes(results)).not.toContain('VISA_REQUIRED');
  });

  describe('90/180', () => {
    const ninetyDays: Crossing[] = [
      { direction: 'entry', at: '2025-12-01' },
      { direction: 'exit', at: '2026-02-28' },
    ];

    it('blocks entry with all 90 days used, suggesting F', () => {
      const result = find(entryChecks(input({ history: { crossings: ninetyDays, refusals: [] } })), 'STAY_LIMIT_USED_UP');
      expect(result).toEqual({
        check: 'STAY_LIMIT_USED_UP',
        severity: 'block',
        explanation: '90 days of stay in the 180 days up to 2026-03-01: entering that day would be day 91, over the limit of 90',
        facts: { daysBeforeEntry: 90, dayOnEntry: 91, entryDate: '2026-03-01', maxDaysInWindow: 90, windowDays: 180 },
        suggestedRefusalReasons: ['F'],
      });
    });

    it('warns of a planned stay longer than the days left, naming the latest lawful exit', () => {
      const sixtyDays: Crossing[] = [
        { direction: 'entry', at: '2025-12-31' },
        { direction: 'exit', at: '2026-02-28' },
      ];
      const results = entryChecks(input({ history: { crossings: sixtyDays, refusals: [] }, plannedStay: { entryDate: '2026-03-01', plannedDepartureDate: '2026-04-15' } }));
      expect(find(results, 'PLANNED_STAY_TOO_LONG')?.explanation).toBe(
        'Planned departure 2026-04-15 is 16 days past the latest lawful exit 2026-03-30 under the 90/180 rule',
      );
      expect(find(results, 'STAY_DAYS_USED')?.explanation).toBe(
        '61 of 90 days used in the 180 days up to the entry on 2026-03-01 (entry day included); 0 days left on the planned departure 2026-04-15; latest lawful exit 2026-03-30',
      );
      expect(find(results, 'PLANNED_STAY_TOO_LONG')?.facts).toEqual({
        plannedDepartureDate: '2026-04-15',
        latestLawfulExit: '2026-03-30',
        daysOver: 16,
        maxDaysInWindow: 90,
        windowDays: 180,
      });
      expect(find(results, 'STAY_DAYS_USED')?.facts).toEqual({
        daysUsedOnEntry: 61,
        maxDaysInWindow: 90,
        windowDays: 180,
        entryDate: '2026-03-01',
        plannedDepartureDate: '2026-04-15',
        daysLeftOnDeparture: 0,
        latestLawfulExit: '2026-03-30',
      });
    });

    it('only warns when the record has gaps, and says which', () => {
      const gap: Crossing[] = [{ direction: 'entry', at: '2025-10-01' }];
      const results = entryChecks(input({ history: { crossings: gap, refusals: [] } }));
      expect(find(results, 'STAY_LIMIT_USED_UP')?.severity).toBe('warning');
      expect(find(results, 'STAY_RECORD_INCOMPLETE')?.explanation).toContain('no exit');
      expect(find(results, 'STAY_RECORD_INCOMPLETE')?.facts).toEqual({ exitsWithoutEntry: '', entriesWithoutExit: '2026-03-01' });
    });

    it('follows a configured limit', () => {
      const rules = loadRules({ shortStay: { maxDaysInWindow: 120 } });
      expect(codes(entryChecks(input({ history: { crossings: ninetyDays, refusals: [] } }), rules))).not.toContain('STAY_LIMIT_USED_UP');
    });
  });

  describe('facts, from which a screen words each check in its own language', () => {
    it.each<[string, Partial<EntryCheckInput> & { documentChange?: Partial<TravelDocumentFacts> }, string, Record<string, string | number>]>([
      ['an MRZ failing two checks', { documentChange: { mrzValid: false, mrzFailures: ['documentNumberCheckDigit', 'compositeCheckDigit'] } }, 'MRZ_INVALID', { failedChecks: 'documentNumberCheckDigit,compositeCheckDigit' }],
      ['an expired document', { documentChange: { expiryDate: '2026-02-28' } }, 'DOCUMENT_EXPIRED', { expiryDate: '2026-02-28', entryDate: '2026-03-01' }],
      ['a document valid too short', { documentChange: { expiryDate: '2026-06-09' } }, 'DOCUMENT_EXPIRES_TOO_SOON', { expiryDate: '2026-06-09', plannedDepartureDate: '2026-03-10', validMonthsAfterDeparture: 3, validUntilAtLeast: '2026-06-10' }],
      ['an old document', { documentChange: { issueDate: '2016-02-29' } }, 'DOCUMENT_TOO_OLD', { issueDate: '2016-02-29', entryDate: '2026-03-01', issuedWithinYears: 10, issuedNoEarlierThan: '2016-03-01' }],
      ['no issue date', { documentChange: { issueDate: undefined } }, 'DOCUMENT_ISSUE_DATE_UNKNOWN', { issuedWithinYears: 10 }],
      ['an own national', { documentChange: { nationality: 'BIH' } }, 'OWN_NATIONAL', { nationality: 'BIH' }],
      ['a visa national', { documentChange: { nationality: 'AFG' } }, 'VISA_REQUIRED', { nationality: 'AFG' }],
      ['an unlisted nationality', { documentChange: { nationality: 'RKS' } }, 'VISA_REGIME_UNKNOWN', { nationality: 'RKS' }],
      ['a child', { documentChange: { birthDate: '2015' } }, 'FINGERPRINTS_EXEMPT_UNDER_12', { youngestAge: 10, oldestAge: 11, entryDate: '2026-03-01', exemptUnderAge: 12 }],
      ['a partial birth date across the 12th birthday', { documentChange: { birthDate: '2014' } }, 'FINGERPRINTS_AGE_UNCERTAIN', { birthDate: '2014', entryDate: '2026-03-01', youngestAge: 11, oldestAge: 12, exemptUnderAge: 12 }],
      ['an adult', {}, 'FINGERPRINTS_REQUIRED', {}],
      ['an earlier refusal', { history: { crossings: [], refusals: [{ at: '2025-09-10T08:00:00+02:00', reasons: ['C', 'F'], crossingPoint: 'Izačić' }] } }, 'EARLIER_REFUSAL', { refusedOn: '2025-09-10', crossingPoint: 'Izačić', reasons: 'C,F' }],
      ['an earlier refusal with nothing recorded', { history: { crossings: [], refusals: [{ at: '2025-09-10', reasons: [] }] } }, 'EARLIER_REFUSAL', { refusedOn: '2025-09-10', crossingPoint: '', reasons: '' }],
      ['a watchlist hit', { watchlistCandidates: [candidate(0.95, 'entry-ban')] }, 'WATCHLIST_HIT', { alertId: 'A-1', alertKind: 'entry-ban', score: 0.95, matchedFields: 'surname' }],
      ['a possible match', { watchlistCandidates: [candidate(0.7, 'wanted')] }, 'WATCHLIST_POSSIBLE_MATCH', { alertId: 'A-1', alertKind: 'wanted', score: 0.7, hitThreshold: 0.85, matchedFields: 'surname' }],
    ])('states the facts of %s', (_case, change, check, facts) => {
      expect(find(entryChecks(input(change)), check)?.facts).toEqual(facts);
    });

    it('names each agreeing field of a watchlist match once, and no field that differs', () => {
      const evidence: WatchlistCandidate = {
        ...candidate(0.9, 'wanted'),
        reasons: [
          { code: 'NAMES_SWAPPED', text: '' },
          { code: 'SURNAME_TYPO', text: '' },
          { code: 'GIVEN_NAMES_EXACT', text: '' },
          { code: 'BIRTH_DATE_DIFFERS', text: '' },
          { code: 'NATIONALITY_SAME', text: '' },
        ],
      };
      expect(find(entryChecks(input({ watchlistCandidates: [evidence] })), 'WATCHLIST_HIT')?.facts).toMatchObject({ matchedFields: 'surname,givenNames,nationality' });
    });

    it('gives no ages when the year of birth is unknown', () => {
      expect(find(entryChecks(input({ documentChange: { birthDate: 'XXXX-XX-XX' } })), 'FINGERPRINTS_AGE_UNCERTAIN')?.facts).toMatchObject({ youngestAge: '', oldestAge: '' });
    });
  });

  it('checks only document and watchlist for the station\'s own nationals', () => {
    const results = entryChecks(input({ documentChange: { nationality: 'BIH', expiryDate: '2026-02-01' }, watchlistCandidates: [candidate(0.95, 'wanted')] }));
    expect(codes(results).sort()).toEqual(['DOCUMENT_EXPIRED', 'OWN_NATIONAL', 'WATCHLIST_HIT']);
  });

  it('lists blocks first, then warnings, then facts', () => {
    const results = entryChecks(
      input({
        documentChange: { nationality: 'AFG', mrzValid: false, expiryDate: '2026-02-01' },
        history: { crossings: [], refusals: [{ at: '2025-09-10', reasons: ['C'] }] },
      }),
    );
    const order = results.map((result) => result.severity);
    expect(order).toEqual([...order].sort((a, b) => ['block', 'warning', 'info'].indexOf(a) - ['block', 'warning', 'info'].indexOf(b)));
    expect(suggestedRefusalReasons(results)).toEqual(['A', 'B', 'C']);
  });

  it('has the nine reasons of the standard refusal form', () => {
    expect(refusalReasons.map((reason) => reason.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
  });
});
