import { describe, expect, it } from 'vitest';
import { buildWatchlistIndex } from '../watchlist';
import type { TravelDocumentFacts } from './entry-check-types';
import { entryChecks, suggestedRefusalReasons } from './entry-checks';
import { travellerQueryFrom } from './traveller-query';

// One traveller through the whole border check: document → watchlist → entry checks.
const watchlist = buildWatchlistIndex([
  { subject: 'person', alertId: 'BAN-17', kind: 'entry-ban', surname: 'Đurić', givenNames: 'Milena', birthDate: '1974-08-12', nationality: 'SRB' },
  { subject: 'document', alertId: 'LOST-3', kind: 'lost-stolen-document', documentNumber: 'S 0912 3456', issuingState: 'SRB' },
]);

const passport: TravelDocumentFacts = {
  documentCode: 'P',
  issuingState: 'SRB',
  nationality: 'SRB',
  documentNumber: '009988776',
  surname: 'DJURIC',
  givenNames: 'MILENA',
  birthDate: '1974-08-12',
  sex: 'F',
  expiryDate: '2031-05-01',
  issueDate: '2021-05-02',
  mrzValid: true,
};

function check(document: TravelDocumentFacts) {
  return entryChecks({
    document,
    plannedStay: { entryDate: '2026-07-01', plannedDepartureDate: '2026-07-05' },
    history: { crossings: [], refusals: [] },
    visa: { regimes: { SRB: 'visa-free' }, validVisaPresented: false },
    watchlistCandidates: watchlist.search(travellerQueryFrom(document)),
  });
}

describe('a border check from document to decision', () => {
  it('blocks the subject of an entry ban read from the MRZ, suggesting reason H', () => {
    const results = check(passport);
    expect(results[0]).toMatchObject({ check: 'WATCHLIST_HIT', severity: 'block', suggestedRefusalReasons: ['H'] });
    expect(results[0]?.explanation).toContain('BAN-17');
    expect(results[0]?.facts).toMatchObject({ alertId: 'BAN-17', alertKind: 'entry-ban', matchedFields: 'surname,givenNames,birthDate,nationality' });
    expect(suggestedRefusalReasons(results)).toEqual(['H']);
  });

  it('blocks a document reported stolen, suggesting reason A', () => {
    const results = check({ ...passport, surname: 'JOVANOVIC', givenNames: 'PETAR', birthDate: '1990-01-01', documentNumber: 'S09123456' });
    expect(results[0]).toMatchObject({ check: 'WATCHLIST_HIT', severity: 'block', suggestedRefusalReasons: ['A'] });
    expect(results.filter((result) => result.severity !== 'info')).toHaveLength(1);
  });

  it('lets anyone else through with facts only', () => {
    const results = check({ ...passport, surname: 'JOVANOVIC', givenNames: 'PETAR', birthDate: '1990-01-01' });
    expect(results.every((result) => result.severity === 'info')).toBe(true);
  });
});
