import { describe, expect, it } from 'vitest';
import { KnownPersonalData, looksLikeDocumentNumber, MaterialWords, scrubText } from './personal-data';

/** The scrubber's lookup, fed as lookUpPersonalData feeds it from the store. */
function knownFrom(material: string[], stored: { names?: string[]; documents?: string[]; birthDates?: string[] }): KnownPersonalData {
  const words = new MaterialWords();
  for (const text of material) words.add(text);
  const known = new KnownPersonalData(words);
  for (const name of stored.names ?? []) known.addName(name);
  for (const number of stored.documents ?? []) known.addDocumentNumber(number);
  for (const date of stored.birthDates ?? []) known.addBirthDate(date);
  return known;
}

const scrub = (text: string, stored: Parameters<typeof knownFrom>[1]): string => scrubText(text, knownFrom([text], stored));

describe('the diagnostics scrubber', () => {
  it.each([
    ['upper case', 'refused: TESTOVIĆ', 'refused: [name]'],
    ['lower case without diacritics', 'refused: testovic', 'refused: [name]'],
    ['Serbian Cyrillic', 'одбијено: Тестовић', 'одбијено: [name]'],
    ['Cyrillic capitals', 'ТЕСТОВИЋ', '[name]'],
  ])('removes a stored surname written in %s', (_case, text, expected) => {
    expect(scrub(text, { names: ['Testović'] })).toBe(expected);
  });

  it('removes each part of a stored name, and a stored name in Cyrillic when it is written in Latin', () => {
    expect(scrub('host Ana-Marija Đurić, guest Хасанов', { names: ['Ana-Marija Đurić', 'Khasanov'] })).toBe('host [name]-[name] [name], guest [name]');
  });

  it('keeps words that are no stored name', () => {
    expect(scrub('the server refused the record', { names: ['Testović'] })).toBe('the server refused the record');
  });

  it('removes a stored document number that does not look like one, in any case', () => {
    expect(looksLikeDocumentNumber('TSTDOC42')).toBe(false);
    expect(scrub('document tstdoc42 expired', { documents: ['TSTDOC42'] })).toBe('document [document] expired');
  });

  it('removes a stored date of birth in its MRZ form', () => {
    expect(scrub('dob 870614 given', { birthDates: ['1987-06-14'] })).toBe('dob [date] given');
  });

  it.each([
    ['an MRZ line', 'P<SRBTESTOVIC<<SYNTHETICA<<<<<<<<<<<<<<<<<<<<<', '[mrz]'],
    ['a document number', 'number AB1234567 refused', 'number [document] refused'],
    ['a personal identification number', 'JMBG 0101990170007', 'JMBG [document]'],
    ['a date', 'born 1987-06-14', 'born [date]'],
    ['a date as written locally', 'born 14.06.1987.', 'born [date].'],
  ])('removes %s even when the store does not know it', (_case, text, expected) => {
    expect(scrubText(text, null)).toBe(expected);
  });

  it('keeps timestamps, record ids, hashes and key fingerprints', () => {
    const text = 'at 2027-03-01T08:00:00.000Z record 0193a4b2-7c1d-7e2f-8a9b-0c1d2e3f4a5b hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 key SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg';
    expect(scrubText(text, null)).toBe(text);
  });
});
