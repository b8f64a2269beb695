/**
 * What a keyboard-wedge MRZ reader's keystrokes become on the station's keyboard layout,
 * and how to map them back to MRZ characters (A–Z, 0–9, `<`).
 *
 * A wedge reader is a USB keyboard: it sends key positions, not characters, laid out for
 * the keyboard it was set up for, nearly always US English (the factory setting). The
 * operating system then applies the station's layout. On the layouts used in Bosnia and
 * Herzegovina that changes, for a reader set to US:
 *
 *   reader means   US key pressed   Bosnian / Croatian / Serbian (Latin),    Serbian (Cyrillic)
 *                                   Slovenian, German (QWERTZ)
 *   `<`            Shift + comma    `;`                                       `;`
 *   `Y`            Y key            `Z`                                       `З`
 *   `Z`            Z key            `Y`                                       `Ѕ`
 *   other letters  their key        themselves                                the Cyrillic letter on that key
 *   digits         digit row        themselves                                themselves
 *
 * Bosnian (Cyrillic) has the same letters on those keys as Serbian (Cyrillic).
 *
 * The tables are data so a station can be set up for its readers: the `;` and Cyrillic
 * mappings can never turn one MRZ character into another, so the default table carries
 * them for every layout; the Y/Z swap is right only when the reader is set to US and the
 * layout is QWERTZ, so it is in its own table, or derived from the layout the browser
 * reports (layoutTableFromKeyboardMap).
 */

export interface WedgeLayoutTable {
  name: string;
  /** A typed character → the MRZ character the reader meant. Characters not listed stand for themselves, upper-cased. */
  map: Readonly<Record<string, string>>;
}

/** `<` as other layouts and autocorrect type it; none is otherwise an MRZ character. */
const FILLER_LOOKALIKES: Readonly<Record<string, string>> = { ';': '<', '«': '<', '‹': '<', '＜': '<' };

/** Serbian (Cyrillic) layout: the letter on each key → the US letter on the same key. */
const SERBIAN_CYRILLIC_KEYS: Readonly<Record<string, string>> = {
  Љ: 'Q', Њ: 'W', Е: 'E', Р: 'R', Т: 'T', З: 'Y', У: 'U', И: 'I', О: 'O', П: 'P',
  А: 'A', С: 'S', Д: 'D', Ф: 'F', Г: 'G', Х: 'H', Ј: 'J', К: 'K', Л: 'L',
  Ѕ: 'Z', Џ: 'X', Ц: 'C', В: 'V', Б: 'B', Н: 'N', М: 'M',
};

export const US_LAYOUT: WedgeLayoutTable = { name: 'us', map: {} };

/** A reader set to US on a QWERTZ Latin layout (Bosnian, Croatian, Serbian Latin, Slovenian, German). */
export const QWERTZ_LATIN_LAYOUT: WedgeLayoutTable = {
  name: 'qwertz-latin',
  map: { ...FILLER_LOOKALIKES, Z: 'Y', Y: 'Z' },
};

/** A reader set to US on the Serbian (or Bosnian) Cyrillic layout. */
export const SERBIAN_CYRILLIC_LAYOUT: WedgeLayoutTable = {
  name: 'serbian-cyrillic',
  map: { ...FILLER_LOOKALIKES, ...SERBIAN_CYRILLIC_KEYS },
};

/**
 * Safe on any layout: `<` lookalikes and Cyrillic letters mapped back; no Y/Z swap. Right
 * for US layouts, for Cyrillic layouts, and for readers set to the station's own layout.
 */
export const DEFAULT_WEDGE_LAYOUT: WedgeLayoutTable = {
  name: 'default',
  map: { ...FILLER_LOOKALIKES, ...SERBIAN_CYRILLIC_KEYS },
};

const MRZ_CHARACTER = /^[A-Z0-9<]$/;

/** The MRZ character a typed key stands for, or null when it stands for none. */
export function mrzCharacterFor(key: string, table: WedgeLayoutTable): string | null {
  const upper = key.toUpperCase();
  const mapped = table.map[key] ?? table.map[upper] ?? upper;
  return MRZ_CHARACTER.test(mapped) ? mapped : null;
}

const US_KEYS: readonly [code: string, character: string][] = [
  ...[...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter): [string, string] => [`Key${letter}`, letter]),
  ...[...'0123456789'].map((digit): [string, string] => [`Digit${digit}`, digit]),
];

/**
 * The table for a reader set to US on the layout the browser reports
 * (navigator.keyboard.getLayoutMap(): key code → what the key types, unshifted): each
 * letter and digit key maps back to its US character. `;` and the other lookalikes stand
 * for `<` as in every table (the layout map does not tell what Shift + comma types).
 */
export function layoutTableFromKeyboardMap(layoutMap: ReadonlyMap<string, string>): WedgeLayoutTable {
  const map: Record<string, string> = { ...FILLER_LOOKALIKES };
  for (const [code, character] of US_KEYS) {
    const typed = layoutMap.get(code)?.toUpperCase();
    if (typed !== undefined && typed !== '' && typed !== character) map[typed] = character;
  }
  return { name: 'detected', map };
}
