import { describe, expect, it } from 'vitest';
import { parseMrz } from '../mrz';
import { buildWatchlistIndex } from '../watchlist';
import { documentFactsFromMrz } from './document-facts';
import { entryChecks } from './entry-checks';
import { travellerQueryFrom } from './traveller-query';

const today = new Date('2026-11-23T10:00:00Z');

function parsed(lines: string[]) {
  const result = parseMrz(lines.join('\n'), { today });
  if (!result.ok) throw new Error(result.error.message);
  return result.document;
}

describe('document facts from a parsed MRZ', () => {
  it('carries the ICAO specimen passport into the entry checks, which find it expired', () => {
    const facts = documentFactsFromMrz(parsed(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10']));
    expect(facts).toMatchObject({ ok: true, facts: { surname: 'ERIKSSON', birthDate: '1974-08-12', expiryDate: '2012-04-15', sex: 'F', mrzValid: true } });
    if (!facts.ok) return;
    const results = entryChecks({
      document: facts.facts,
      plannedStay: { entryDate: '2026-11-23', plannedDepartureDate: '2026-11-30' },
      history: { crossings: [], refusals: [] },
      visa: { regimes: {}, validVisaPresented: false },
      watchlistCandidates: buildWatchlistIndex([]).search(travellerQueryFrom(facts.facts)),
    });
    expect(results.map((r) => r.check)).toContain('DOCUMENT_EXPIRED');
  });

  it('names the check that failed when the zone is not valid', () => {
    const facts = documentFactsFromMrz(parsed(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<19']));
    expect(facts).toMatchObject({ ok: true, facts: { mrzValid: false, mrzFailures: expect.arrayContaining(['compositeCheckDigit']) } });
  });

  it('asks the officer for a date the zone does not give usably', () => {
    const facts = documentFactsFromMrz(parsed(['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7413122F1204159ZE184226B<<<<<10']));
    expect(facts).toMatchObject({ ok: false, missing: ['birthDate'] });
  });
});
