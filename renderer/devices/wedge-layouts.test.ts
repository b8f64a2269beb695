import { describe, expect, it } from 'vitest';
import { DEFAULT_WEDGE_LAYOUT, QWERTZ_LATIN_LAYOUT, SERBIAN_CYRILLIC_LAYOUT, US_LAYOUT, layoutTableFromKeyboardMap, mrzCharacterFor } from './wedge-layouts';

/** Unshifted characters per key, as navigator.keyboard.getLayoutMap() reports them (letter and digit keys). */
function layoutMap(letters: string, digits = '0123456789'): Map<string, string> {
  const map = new Map<string, string>();
  [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].forEach((letter, index) => map.set(`Key${letter}`, [...letters][index] ?? ''));
  [...digits].forEach((digit, index) => map.set(`Digit${index}`, digit));
  map.set('Comma', ',');
  return map;
}

const US = layoutMap('abcdefghijklmnopqrstuvwxyz');
const CROATIAN = layoutMap('abcdefghijklmnopqrstuvwxzy');
const SERBIAN_CYRILLIC = layoutMap('абцдефгхијклмнопљрстувњџзѕ');
const FRENCH = layoutMap('qbcdefghijkl,noparstuvzxyw', 'à&é"\'(-è_ç');

describe('keyboard layout tables', () => {
  const cases: [string, string, string | null][] = [
    ['default', ';', '<'],
    ['default', '«', '<'],
    ['default', 'a', 'A'],
    ['default', 'Y', 'Y'],
    ['default', 'Љ', 'Q'],
    ['default', 'з', 'Y'],
    ['default', 'ѕ', 'Z'],
    ['default', 'š', null],
    ['default', ' ', null],
    ['default', 'ß', null],
    ['qwertz-latin', 'Z', 'Y'],
    ['qwertz-latin', 'y', 'Z'],
    ['qwertz-latin', ';', '<'],
    ['us', ';', null],
    ['us', '<', '<'],
  ];
  const tables = { default: DEFAULT_WEDGE_LAYOUT, 'qwertz-latin': QWERTZ_LATIN_LAYOUT, us: US_LAYOUT };
  for (const [table, typed, mrz] of cases) {
    it(`${table}: "${typed}" stands for ${mrz === null ? 'no MRZ character' : `"${mrz}"`}`, () => {
      expect(mrzCharacterFor(typed, tables[table as keyof typeof tables])).toBe(mrz);
    });
  }

  it('maps every Cyrillic letter of the Serbian layout to a different Latin letter', () => {
    const latin = Object.entries(SERBIAN_CYRILLIC_LAYOUT.map).filter(([typed]) => typed !== ';' && /\p{Script=Cyrillic}/u.test(typed));
    expect(latin).toHaveLength(26);
    expect(new Set(latin.map(([, letter]) => letter)).size).toBe(26);
  });
});

describe('a table from the layout the browser reports', () => {
  it('is the Y/Z swap on a QWERTZ layout', () => {
    expect(layoutTableFromKeyboardMap(CROATIAN).map).toMatchObject({ Z: 'Y', Y: 'Z', ';': '<' });
    expect(mrzCharacterFor('Z', layoutTableFromKeyboardMap(CROATIAN))).toBe('Y');
  });

  it('maps nothing but the lookalikes of "<" on a US layout', () => {
    expect(layoutTableFromKeyboardMap(US).map).toEqual({ ';': '<', '«': '<', '‹': '<', '＜': '<' });
  });

  it('agrees with the Serbian Cyrillic table', () => {
    const derived = layoutTableFromKeyboardMap(SERBIAN_CYRILLIC);
    for (const [typed, letter] of Object.entries(SERBIAN_CYRILLIC_LAYOUT.map)) expect(derived.map[typed]).toBe(letter);
  });

  it('maps AZERTY letters and its shifted digit row back to the US keys', () => {
    const table = layoutTableFromKeyboardMap(FRENCH);
    expect(['Q', 'A', 'W', 'Z', '&', 'à', 'é'].map((typed) => mrzCharacterFor(typed, table))).toEqual(['A', 'Q', 'Z', 'W', '1', '0', '2']);
  });
});
