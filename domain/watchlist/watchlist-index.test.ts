import { describe, expect, it } from 'vitest';
import { defaultRules } from '../rules';
import type { PersonAlert, TravellerQuery, WatchlistAlert, WatchlistCandidate } from './alerts';
import { type Perturbation, generateSyntheticAlerts, syntheticStranger, syntheticTraveller } from './synthetic';
import { buildWatchlistIndex } from './watchlist-index';

// Invented people: the names are common in the region, the combinations and dates made up.
const alerts: WatchlistAlert[] = [
  { subject: 'person', alertId: 'P-DJURIC', kind: 'entry-ban', surname: 'Đurić', givenNames: 'Milena', birthDate: '1974-08-12', nationality: 'SRB' },
  { subject: 'person', alertId: 'P-MUELLER', kind: 'wanted', surname: 'Müller', givenNames: 'Jörg', birthDate: '1968-03-05', nationality: 'DEU' },
  { subject: 'person', alertId: 'P-HADZIOMEROVIC', kind: 'entry-ban', surname: 'Hadžiomerović', givenNames: 'Senad', birthDate: '1981-11-23', nationality: 'BIH' },
  { subject: 'person', alertId: 'P-PETROVIC', kind: 'wanted', surname: 'Petrović', givenNames: 'Dragan', birthDate: '1990-02-07', nationality: 'MNE' },
  { subject: 'person', alertId: 'P-CRUZ', kind: 'missing-person', surname: 'De la Cruz', givenNames: 'Ana Maria', birthDate: '2001-06', nationality: 'ESP' },
  { subject: 'person', alertId: 'P-KOVAC', kind: 'discreet-check', surname: 'Kovač', givenNames: 'Ivana', birthDate: '1985' },
  { subject: 'document', alertId: 'D-STOLEN', kind: 'lost-stolen-document', documentNumber: 'AB1234567', issuingState: 'HRV' },
  { subject: 'document', alertId: 'D-MISREAD', kind: 'invalidated-document', documentNumber: 'C0I5B882', issuingState: 'AUT' },
];
const index = buildWatchlistIndex(alerts);

function best(traveller: TravellerQuery): WatchlistCandidate | undefined {
  return index.search(traveller)[0];
}

function reasonCodes(candidate: WatchlistCandidate | undefined): string[] {
  return candidate?.reasons.map((reason) => reason.code) ?? [];
}

const hit = defaultRules.watchlist.hitThreshold;
const candidate = defaultRules.watchlist.candidateThreshold;

describe('watchlist matcher: documents', () => {
  it('finds a document alert by its number however it is spaced or cased', () => {
    const found = best({ surname: 'Horvat', givenNames: 'Ivo', documentNumber: 'ab 123 4567', issuingState: 'HRV' });
    expect(found?.alert.alertId).toBe('D-STOLEN');
    expect(found?.score).toBe(1);
    expect(reasonCodes(found)).toEqual(['DOCUMENT_NUMBER_EXACT']);
  });

  it('finds a number a reader misread (O for 0, I for 1, S for 5, B for 8), a little below an exact hit', () => {
    const found = best({ surname: 'Huber', givenNames: 'Karl', documentNumber: 'COI5BBB2', issuingState: 'AUT' });
    expect(found?.alert.alertId).toBe('D-MISREAD');
    expect(found?.score).toBe(0.9);
    expect(reasonCodes(found)).toEqual(['DOCUMENT_NUMBER_MISREAD']);
  });

  it('keeps the same number from another issuing state below a hit', () => {
    const found = best({ surname: 'Horvat', givenNames: 'Ivo', documentNumber: 'AB1234567', issuingState: 'SVN' });
    expect(found?.alert.alertId).toBe('D-STOLEN');
    expect(found?.score).toBeLessThan(hit);
    expect(reasonCodes(found)).toContain('ISSUING_STATE_DIFFERS');
  });
});

describe('watchlist matcher: persons found', () => {
  it.each<[string, TravellerQuery, string, string]>([
    ['the same spelling', { surname: 'Đurić', givenNames: 'Milena', birthDate: '1974-08-12', nationality: 'SRB' }, 'P-DJURIC', 'SURNAME_EXACT'],
    ['the MRZ spelling with DJ', { surname: 'DJURIC', givenNames: 'MILENA', birthDate: '1974-08-12', nationality: 'SRB' }, 'P-DJURIC', 'SURNAME_TRANSLITERATED'],
    ['the spelling without diacritics', { surname: 'Duric', givenNames: 'Milena', birthDate: '1974-08-12', nationality: 'SRB' }, 'P-DJURIC', 'SURNAME_TRANSLITERATED'],
    ['Serbian Cyrillic', { surname: 'Ђурић', givenNames: 'Милена', birthDate: '1974-08-12', nationality: 'SRB' }, 'P-DJURIC', 'SURNAME_TRANSLITERATED'],
    ['the German MRZ spelling', { surname: 'MUELLER', givenNames: 'JOERG', birthDate: '1968-03-05', nationality: 'DEU' }, 'P-MUELLER', 'SURNAME_TRANSLITERATED'],
    ['umlauts dropped', { surname: 'MULLER', givenNames: 'JORG', birthDate: '1968-03-05', nationality: 'DEU' }, 'P-MUELLER', 'SURNAME_TRANSLITERATED'],
    ['names the other way round', { surname: 'MILENA', givenNames: 'DJURIC', birthDate: '1974-08-12', nationality: 'SRB' }, 'P-DJURIC', 'NAMES_SWAPPED'],
    ['one letter mistyped', { surname: 'PETROVIK', givenNames: 'DRAGAN', birthDate: '1990-02-07', nationality: 'MNE' }, 'P-PETROVIC', 'SURNAME_TYPO'],
    ['two letters swapped', { surname: 'PETORVIC', givenNames: 'DRAGAN', birthDate: '1990-02-07', nationality: 'MNE' }, 'P-PETROVIC', 'SURNAME_TYPO'],
    ['two typos in a long name', { surname: 'HADZIOMERVIK', givenNames: 'SENAD', birthDate: '1981-11-23', nationality: 'BIH' }, 'P-HADZIOMEROVIC', 'SURNAME_TYPO'],
    ['a typo in the given name', { surname: 'PETROVIC', givenNames: 'DRAGEN', birthDate: '1990-02-07', nationality: 'MNE' }, 'P-PETROVIC', 'GIVEN_NAMES_TYPO'],
    ['a date of birth one digit off', { surname: 'PETROVIC', givenNames: 'DRAGAN', birthDate: '1990-02-08', nationality: 'MNE' }, 'P-PETROVIC', 'BIRTH_DATE_ONE_DIGIT_OFF'],
    ['day and month swapped', { surname: 'PETROVIC', givenNames: 'DRAGAN', birthDate: '1990-07-02', nationality: 'MNE' }, 'P-PETROVIC', 'BIRTH_DATE_DAY_MONTH_SWAPPED'],
    ['an alert knowing only the birth year', { surname: 'KOVAC', givenNames: 'IVANA', birthDate: '1985-04-30', nationality: 'HRV' }, 'P-KOVAC', 'BIRTH_DATE_PARTIAL'],
    ['one part of a surname of several', { surname: 'CRUZ', givenNames: 'ANA MARIA', birthDate: '2001-06-15', nationality: 'ESP' }, 'P-CRUZ', 'SURNAME_PART'],
    ['one of two given names', { surname: 'DE LA CRUZ', givenNames: 'ANA', birthDate: '2001-06-15', nationality: 'ESP' }, 'P-CRUZ', 'GIVEN_NAMES_PART'],
  ])('with %s', (_case, traveller, alertId, reason) => {
    const found = best(traveller);
    expect(found?.alert.alertId).toBe(alertId);
    expect(found?.score).toBeGreaterThanOrEqual(candidate);
    expect(reasonCodes(found)).toContain(reason);
  });

  it('scores an exact match with all facts as 1 and explains each', () => {
    const found = best({ surname: 'Müller', givenNames: 'Jörg', birthDate: '1968-03-05', nationality: 'DEU' });
    expect(found?.score).toBe(1);
    expect(found?.reasons).toEqual([
      { code: 'SURNAME_EXACT', text: 'Surname MÜLLER as on the alert' },
      { code: 'GIVEN_NAMES_EXACT', text: 'Given names JÖRG as on the alert' },
      { code: 'BIRTH_DATE_EXACT', text: 'Date of birth 1968-03-05 as on the alert' },
      { code: 'NATIONALITY_SAME', text: 'Nationality DEU as on the alert' },
    ]);
  });

  it('scores a transliterated, a mistyped and a swapped name lower than the exact one, all above the hit threshold', () => {
    const exact = best({ surname: 'Petrović', givenNames: 'Dragan', birthDate: '1990-02-07', nationality: 'MNE' })?.score ?? 0;
    const mistyped = best({ surname: 'PETROVIK', givenNames: 'DRAGAN', birthDate: '1990-02-07', nationality: 'MNE' })?.score ?? 0;
    const swapped = best({ surname: 'DRAGAN', givenNames: 'PETROVIC', birthDate: '1990-02-07', nationality: 'MNE' })?.score ?? 0;
    expect(exact).toBe(1);
    expect(mistyped).toBeLessThan(exact);
    expect(swapped).toBeLessThan(exact);
    expect(Math.min(mistyped, swapped)).toBeGreaterThanOrEqual(hit);
  });
});

describe('watchlist matcher: persons not found', () => {
  it('proposes nobody for an unrelated traveller', () => {
    expect(index.search({ surname: 'Bašić', givenNames: 'Lejla', birthDate: '1995-05-05', nationality: 'BIH' })).toEqual([]);
  });

  it('keeps a namesake born on another day a possible match, not a hit', () => {
    const found = best({ surname: 'Petrović', givenNames: 'Dragan', birthDate: '1961-10-30', nationality: 'MNE' });
    expect(found?.alert.alertId).toBe('P-PETROVIC');
    expect(found?.score).toBeLessThan(hit);
    expect(reasonCodes(found)).toContain('BIRTH_DATE_DIFFERS');
  });

  it('does not propose a relative: same surname, birth date and nationality, another given name', () => {
    expect(index.search({ surname: 'Petrović', givenNames: 'Milica', birthDate: '1990-02-07', nationality: 'MNE' })).toEqual([]);
  });

  it('does not propose a name three typos away', () => {
    expect(index.search({ surname: 'PTERVOIK', givenNames: 'DRAGAN', birthDate: '1990-02-07', nationality: 'MNE' }).map((c) => c.alert.alertId)).not.toContain('P-PETROVIC');
  });

  it('returns nothing for a traveller with no name and no document', () => {
    expect(index.search({ surname: '', givenNames: '' })).toEqual([]);
  });
});

describe('watchlist index', () => {
  it('indexes an alert whose date of birth cannot be read, finds it by name and lists the problem', () => {
    const withBadDate: PersonAlert = { subject: 'person', alertId: 'P-BAD', kind: 'wanted', surname: 'Jurić', givenNames: 'Tomo', birthDate: '1974-13-45' };
    const small = buildWatchlistIndex([withBadDate]);
    expect(small.problems).toEqual([{ alertId: 'P-BAD', problem: expect.stringContaining('date of birth not read') }]);
    expect(small.search({ surname: 'JURIC', givenNames: 'TOMO', birthDate: '1974-03-04' })[0]?.alert.alertId).toBe('P-BAD');
  });

  it('lists alerts it cannot match at all', () => {
    const small = buildWatchlistIndex([
      { subject: 'person', alertId: 'P-NONAME', kind: 'wanted', surname: '', givenNames: '' },
      { subject: 'document', alertId: 'D-NONUMBER', kind: 'lost-stolen-document', documentNumber: ' ' },
    ]);
    expect(small.problems.map((p) => p.alertId)).toEqual(['P-NONAME', 'D-NONUMBER']);
  });

  it('refuses a traveller date of birth it cannot read rather than guess', () => {
    expect(() => index.search({ surname: 'Jurić', givenNames: 'Tomo', birthDate: '74-03-04' })).toThrow(/not a date/);
  });

  it('returns the best candidates first, at most `limit`', () => {
    const found = index.search({ surname: 'DJURIC', givenNames: 'MILENA', birthDate: '1974-08-12' }, { limit: 1, minScore: 0 });
    expect(found.map((c) => c.alert.alertId)).toEqual(['P-DJURIC']);
  });
});

describe('watchlist matcher on 100,000 generated alerts', () => {
  const generated = generateSyntheticAlerts(100_000, 42);
  const large = buildWatchlistIndex(generated);
  const people = generated.filter((alert): alert is PersonAlert => alert.subject === 'person');
  const sample = Array.from({ length: 150 }, (_, i) => people[(i * 613) % people.length]).filter((alert) => alert !== undefined);

  it.each<[Perturbation, number]>([
    ['exact', 1],
    ['transliterated', 1],
    ['swapped-names', 1],
    ['birth-date-one-digit', 1],
    ['birth-day-month-swapped', 1],
    ['one-typo', 0.97],
    ['two-typos', 0.95],
  ])('finds the alert again when the traveller presents it %s (recall at least %d)', (perturbation, recall) => {
    const found = sample.filter((alert, i) =>
      large.search(syntheticTraveller(alert, perturbation, i)).some((c) => c.alert.alertId === alert.alertId),
    );
    expect(found.length / sample.length).toBeGreaterThanOrEqual(recall);
  });

  it('finds every document alert from its number, spaced or misread', () => {
    const documents = generated.filter((alert) => alert.subject === 'document').slice(0, 50);
    for (const [i, alert] of documents.entries()) {
      for (const perturbation of ['document-number-spacing', 'document-number-misread'] as const) {
        expect(large.search(syntheticTraveller(alert, perturbation, i))[0]?.alert.alertId).toBe(alert.alertId);
      }
    }
  });

  it('proposes nobody for travellers whose names share nothing with the list', () => {
    for (let seed = 0; seed < 100; seed++) expect(large.search(syntheticStranger(seed))).toEqual([]);
  });

  it('never ranks another alert above the exact one', () => {
    for (const [i, alert] of sample.entries()) {
      const found = large.search(syntheticTraveller(alert, 'exact', i));
      const own = found.find((c) => c.alert.alertId === alert.alertId);
      expect(own?.score).toBe(found[0]?.score);
    }
  });
});
