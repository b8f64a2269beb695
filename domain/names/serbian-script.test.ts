import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latinToSerbianCyrillic, serbianCyrillicToLatin } from './serbian-script';

describe('Serbian Latin and Cyrillic', () => {
  it.each([
    ['Đurić', 'Ђурић'],
    ['Čolić', 'Чолић'],
    ['Ljubica Njegoš', 'Љубица Његош'],
    ['LJUBICA NJEGOŠ', 'ЉУБИЦА ЊЕГОШ'],
    ['Džeko', 'Џеко'],
    ['DŽEKO', 'ЏЕКО'],
    ['Kralj', 'Краљ'],
    ['KRALJ', 'КРАЉ'],
    ['Ćatić-Šehić', 'Ћатић-Шехић'],
    ['Jovanović', 'Јовановић'],
    ['Žarko Hadžić', 'Жарко Хаџић'],
  ])('writes %s as %s and back', (latin, cyrillic) => {
    expect(latinToSerbianCyrillic(latin)).toBe(cyrillic);
    expect(serbianCyrillicToLatin(cyrillic)).toBe(latin);
  });

  it('reads the single-code-point digraphs some keyboards type', () => {
    expect(latinToSerbianCyrillic('ǅeko ǈubica')).toBe('Џеко Љубица');
  });

  it('leaves letters outside the Serbian alphabet as they are', () => {
    expect(latinToSerbianCyrillic('Walter Müller')).toBe('Wалтер Мüллер');
    expect(serbianCyrillicToLatin('Щука')).toBe('Щuka');
  });

  it('writes a lone capital digraph letter in the case of the text around it', () => {
    expect(serbianCyrillicToLatin('Љ. Петровић')).toBe('Lj. Petrović');
    expect(serbianCyrillicToLatin('Љ. ПЕТРОВИЋ')).toBe('LJ. PETROVIĆ');
    expect(serbianCyrillicToLatin('Љ')).toBe('LJ');
  });

  const letters = 'a b c č ć d dž đ e f g h i j k l lj m n nj o p r s š t u v z ž'.split(' ');
  // A name is typed in one style: all capitals, capitalised words, or lower case.
  const style = fc.constantFrom(
    (w: string) => w.toUpperCase(),
    (w: string) => w.charAt(0).toUpperCase() + w.slice(1),
    (w: string) => w,
  );
  // Words of one letter are left out: a lone Љ cannot tell "Lj" from "LJ" (see above).
  // That includes two Latin letters that read as one (d + ž is the digraph dž: Џ).
  const word = fc
    .array(fc.constantFrom(...letters), { minLength: 2, maxLength: 10 })
    .map((parts) => parts.join(''))
    .filter((latin) => latinToSerbianCyrillic(latin).length >= 2);
  const name = fc
    .tuple(fc.array(word, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', '-'), style)
    .map(([words, separator, write]) => words.map(write).join(separator));

  it('brings any Serbian Latin name back unchanged from Cyrillic', () => {
    fc.assert(
      fc.property(name, (latin) => {
        expect(serbianCyrillicToLatin(latinToSerbianCyrillic(latin))).toBe(latin);
      }),
      { numRuns: 2000 },
    );
  });
});
