import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERSON_NAME_KEY_PATTERN, documentNumberKey, personNameKey, surnameKeyRange } from './name-key';

describe('personNameKey', () => {
  it.each([
    ['Đurić', 'Ana', 'DURIC<<ANA'],
    ['DJURIC', 'ANA', 'DURIC<<ANA'],
    ['Ђурић', 'Ана', 'DURIC<<ANA'],
    ['Hodžić', 'Ana-Marija', 'HODZIC<<ANAMARIJA'],
    ['Kovač', '', 'KOVAC<<'],
    ['Ελένη', 'Ana', '<<ANA'],
  ])('keys %s, %s as %s', (surname, givenNames, key) => {
    expect(personNameKey(surname, givenNames)).toBe(key);
  });

  it('cuts each part at 48 letters, so a very long name still fits its index', () => {
    const key = personNameKey('Bo'.repeat(40), 'Mi'.repeat(40));
    expect(key).toBe(`${'BO'.repeat(24)}<<${'MI'.repeat(24)}`);
  });

  it('always gives a key the schemas accept', () => {
    const pattern = new RegExp(PERSON_NAME_KEY_PATTERN, 'u');
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'grapheme' }), fc.string({ maxLength: 80, unit: 'grapheme' }), (surname, givenNames) => {
        expect(personNameKey(surname, givenNames)).toMatch(pattern);
      }),
    );
  });
});

describe('surnameKeyRange', () => {
  const inRange = (key: string, range: { $gte: string; $lt: string }) => key >= range.$gte && key < range.$lt;

  it('holds every key of the surname, whatever the given names, in any spelling', () => {
    const range = surnameKeyRange('Đurić');
    for (const [surname, givenNames] of [['DJURIC', ''], ['Ђурић', 'Марко'], ['Đurić', 'Ana Marija'], ['Duric', 'ZZZZZ']] as const) {
      expect(inRange(personNameKey(surname, givenNames), range)).toBe(true);
    }
  });

  it('holds no key of a longer or shorter surname', () => {
    const range = surnameKeyRange('Đurić');
    for (const [surname, givenNames] of [['Đurićić', 'Ana'], ['Đuri', 'Ana'], ['Duricka', '']] as const) {
      expect(inRange(personNameKey(surname, givenNames), range)).toBe(false);
    }
  });

  it('agrees with personNameKey on every name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (surname, givenNames, other) => {
        const key = personNameKey(surname, givenNames);
        expect(inRange(key, surnameKeyRange(surname))).toBe(true);
        expect(inRange(key, surnameKeyRange(other))).toBe(key.startsWith(`${personNameKey(other, '')}`));
      }),
    );
  });
});

describe('documentNumberKey', () => {
  it.each([
    ['ab 123-456', 'AB123456'],
    ['AB123456', 'AB123456'],
    [' 0071 2345 ', '00712345'],
  ])('stores %s as %s', (typed, stored) => {
    expect(documentNumberKey(typed)).toBe(stored);
  });
});
