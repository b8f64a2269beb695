import { mrzReadings, primaryReading } from './readings';

/**
 * Search keys for names. A key is an MRZ reading with the separators removed and with
 * the spellings that different transliterations give the same sound folded together:
 * Đ (DJ/D), Ä Ö Ü Å (AE/A, OE/O, UE/U, AA/A), and ICAO's Cyrillic digraphs against
 * the Serbian Latin letters (ZH/Ž→Z, SH/Š→S, CH/Č→C, KH/H, TS/C, SHCH/ŠČ→SC). Folding
 * makes keys deliberately loose (MICHAEL and MICHAL share one): a key finds candidates,
 * it does not decide a match; the watchlist scorer and the officer do.
 */
const FOLDED_SPELLINGS = /SHCH|SH|ZH|CH|KH|TS|DJ|AE|OE|UE|AA/g;

const FOLDS: Readonly<Record<string, string>> = {
  SHCH: 'SC', SH: 'S', ZH: 'Z', CH: 'C', KH: 'H', TS: 'C', DJ: 'D', AE: 'A', OE: 'O', UE: 'U', AA: 'A',
};

function foldPart(part: string): string {
  return part.replace(FOLDED_SPELLINGS, (spelling) => FOLDS[spelling] ?? spelling);
}

/** Parts are folded one by one, so a fold never joins the end of one part to the start of the next. */
function keyParts(reading: string): string[] {
  return reading.split(' ').filter((part) => part.length > 0).map(foldPart);
}

// Names typed or read in plain ASCII (most MRZ names) need no transliteration table.
const PLAIN_ASCII_NAME = /^[A-Za-z' \-<,.]*$/;

/**
 * The canonical key of each part of a name ("Ana-Marija Đurić" → ANA, MARIJA, DURIC),
 * for matching one part against another.
 */
export function nameIndexParts(name: string): string[] {
  if (PLAIN_ASCII_NAME.test(name)) {
    return keyParts(name.toUpperCase().replace(/['.]/g, '').replace(/[\s\-<,]+/g, ' '));
  }
  return keyParts(primaryReading(name));
}

/**
 * The one canonical key a store indexes a name under: Đurić, DJURIC, DURIC and Ђурић
 * all give DURIC. Empty when the name has no letters any table reads.
 */
export function normaliseForIndex(name: string): string {
  return nameIndexParts(name).join('');
}

/**
 * Every key a name can be found under, the canonical key first. Two names that share
 * a key may be the same name written differently; index a record under all of them
 * to find names whose alternative readings differ (a Ukrainian Г read as H or G).
 */
export function nameSearchKeys(name: string): string[] {
  const keys = mrzReadings(name).map((reading) => keyParts(reading).join('')).filter((key) => key.length > 0);
  return [...new Set(keys)];
}

/** True when the two names share a search key; names without readable letters match nothing. */
export function namesMatch(a: string, b: string): boolean {
  const keysOfA = new Set(nameSearchKeys(a));
  return nameSearchKeys(b).some((key) => keysOfA.has(key));
}
