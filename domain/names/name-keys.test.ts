import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameIndexParts, nameSearchKeys, namesMatch, normaliseForIndex } from './name-keys';
import { latinToSerbianCyrillic } from './serbian-script';

describe('name search keys', () => {
  it.each([
    ['Đurić', 'DJURIC', 'DURIC', 'Ђурић', 'đurić'],
    ['Müller', 'MUELLER', 'MULLER', 'müller', 'Muller'],
    ['Čolić', 'COLIC', 'Чолић', 'Colic', 'ČOLIĆ'],
    ['Šahinović', 'SAHINOVIC', 'Шахиновић', 'SHAHINOVIC', 'Sahinovic'],
    ['Hadžić', 'HADZIC', 'Хаџић', 'HADŽIĆ', 'Hadzic'],
    ['Åberg', 'AABERG', 'ABERG', 'åberg', 'Aberg'],
    ['Jørgensen', 'JOERGENSEN', 'JORGENSEN', 'Jorgensen', 'JØRGENSEN'],
    ['Strauß', 'STRAUSS', 'Strauss', 'STRAUß', 'strauss'],
    ['Хрущёв', 'KHRUSHCHEV', 'Khrushchev', 'HRUSCEV', 'Hruščev'],
    ['Цветков', 'TSVETKOV', 'Cvetkov', 'CVETKOV', 'Tsvetkov'],
    ["O'Brien", 'OBRIEN', 'O BRIEN', 'OBrien', "o'brien"],
    ['Ana-Marija', 'ANA MARIJA', 'ANAMARIJA', 'Ana Marija', 'АНА-МАРИЈА'],
    ['Łukasz Żółć', 'LUKASZ ZOLC', 'Lukasz Zolc', 'ŁUKASZ ŻÓŁĆ', 'lukasz zolc'],
  ])('finds %s, %s, %s, %s and %s from one another', (...spellings) => {
    for (const a of spellings) {
      for (const b of spellings) {
        expect(namesMatch(a, b), `${a} ~ ${b}`).toBe(true);
      }
    }
  });

  it('finds each reading of a Ukrainian name from its Cyrillic', () => {
    for (const reading of ['HRYHORII', 'GRIGORII', 'Hryhorii']) expect(namesMatch('Григорій', reading)).toBe(true);
  });

  it.each([
    ['Petrović', 'Marković'],
    ['Đurić', 'Jurić'],
    ['Müller', 'Miller'],
    ['Čolić', 'Ćosić'],
    ['Ana', 'Ana Marija'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(namesMatch(a, b)).toBe(false);
  });

  it('gives every spelling of one name the same index key', () => {
    expect(new Set(['Đurić', 'DJURIC', 'DURIC', 'Ђурић'].map(normaliseForIndex))).toEqual(new Set(['DURIC']));
  });

  it('puts the index key first among the search keys', () => {
    expect(nameSearchKeys('Григорій')[0]).toBe(normaliseForIndex('Григорій'));
    expect(nameSearchKeys('Григорій')).toContain('HRYHORII');
  });

  it('matches nothing for a name no table can read', () => {
    expect(normaliseForIndex('Ελένη')).toBe('');
    expect(nameSearchKeys('Ελένη')).toEqual([]);
    expect(namesMatch('Ελένη', 'Ελένη')).toBe(false);
  });

  const serbianLatinName = fc
    .array(fc.constantFrom(...'a b c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž'.split(' ')), { minLength: 2, maxLength: 12 })
    .map((letters) => letters.join(''));

  it('finds a Serbian name from its Cyrillic, its capitals and its plain ASCII spelling', () => {
    fc.assert(
      fc.property(serbianLatinName, (name) => {
        const ascii = name.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'dj');
        expect(namesMatch(name, latinToSerbianCyrillic(name))).toBe(true);
        expect(namesMatch(name, name.toUpperCase())).toBe(true);
        expect(namesMatch(name, ascii)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('keys are upper-case A–Z only', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (name) => {
        for (const key of nameSearchKeys(name)) expect(key).toMatch(/^[A-Z]+$/);
      }),
    );
  });
});

describe('name parts', () => {
  it.each([
    ['Ana-Marija Đurić', ['ANA', 'MARIJA', 'DURIC']],
    ["d'Artagnan", ['DARTAGNAN']],
    ['GARCIA<LOPEZ', ['GARCIA', 'LOPEZ']],
    ['  Jean   Luc ', ['JEAN', 'LUC']],
    ['Anna Elena', ['ANNA', 'ELENA']],
  ])('splits %s into %j', (name, parts) => {
    expect(nameIndexParts(name)).toEqual(parts);
  });

  it('keys a name the same whether it is plain ASCII or not', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z' -]{0,20}$/), (name) => {
        expect(nameIndexParts(name).join('')).toBe(nameSearchKeys(`${name}\u0301`.normalize('NFC'))[0] ?? '');
      }),
    );
  });
});
