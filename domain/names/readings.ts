import { CYRILLIC_READINGS, LATIN_READINGS } from './icao-tables';
import { isCyrillic, isSerbianCyrillicWord, serbianCyrillicToLatin } from './serbian-script';

/**
 * A name with many ambiguous letters (Ä, Ö, Ü, Đ ...) has 2^n readings; past this
 * many the remaining letters take their recommended reading only. Real names stay far
 * below it.
 */
const MAX_READINGS = 32;

const COMBINING_MARKS = /\p{M}/gu;
const WORD_OR_SEPARATOR = /(\p{L}[\p{L}\p{M}'’]*)|([\s\-<,.]+)/gu;
// Letters the Serbian alphabet has and Russian, Ukrainian or Bulgarian lack.
const ONLY_SERBIAN = /[ЂЈЉЊЋЏђјљњћџ]/u;

// Names repeat the same few hundred letters; decomposing each one once keeps indexing fast.
const readingsOfCharacter = new Map<string, readonly string[]>();

/** The readings of one upper-case character; [] for characters no table covers (Greek, Arabic ...). */
function characterReadings(ch: string): readonly string[] {
  const known = readingsOfCharacter.get(ch);
  if (known) return known;
  const table = LATIN_READINGS[ch] ?? CYRILLIC_READINGS[ch];
  const base = ch.normalize('NFKD').replace(COMBINING_MARKS, '');
  const readings = table ?? (/^[A-Z]+$/.test(base) ? [base] : []);
  readingsOfCharacter.set(ch, readings);
  return readings;
}

/** Every combination of per-part readings, capped at MAX_READINGS. */
function combine(readings: readonly string[], options: readonly string[]): string[] {
  const usable = readings.length * options.length <= MAX_READINGS ? options : options.slice(0, 1);
  return readings.flatMap((reading) => usable.map((option) => reading + option));
}

function letterReadings(word: string): string[] {
  let readings = [''];
  for (const ch of word.toUpperCase()) {
    const options = characterReadings(ch);
    if (options.length > 0) readings = combine(readings, options);
  }
  return readings;
}

/**
 * A Cyrillic word with a letter only Serbian has is Serbian; one with a letter Serbian
 * lacks is read with the ICAO table; a word that could be either (Хасанов) gets both
 * readings, the Serbian one first since that is the local reading.
 */
function wordReadings(word: string): string[] {
  if (![...word].some(isCyrillic)) return letterReadings(word);
  if (!isSerbianCyrillicWord(word)) return letterReadings(word);
  const serbian = letterReadings(serbianCyrillicToLatin(word));
  if (ONLY_SERBIAN.test(word)) return serbian;
  return [...new Set([...serbian, ...letterReadings(word)])];
}

const CYRILLIC = /[\u0400-\u052f]/u;
const SEPARATOR = /[\s\-<,.]/u;

/**
 * The recommended reading alone, without building the others: what indexes need, and
 * for Latin names a single pass over the letters.
 */
export function primaryReading(name: string): string {
  if (CYRILLIC.test(name)) return mrzReadings(name)[0] ?? '';
  let reading = '';
  let pendingSpace = false;
  for (const ch of name.normalize('NFC').toUpperCase()) {
    if (SEPARATOR.test(ch)) {
      pendingSpace = reading.length > 0;
      continue;
    }
    const first = characterReadings(ch)[0];
    if (first === undefined || first.length === 0) continue;
    if (pendingSpace) reading += ' ';
    pendingSpace = false;
    reading += first;
  }
  return reading;
}

/**
 * The ways a name can be written in a machine-readable zone: upper-case A–Z, name
 * parts separated by single spaces, the recommended reading first. Apostrophes inside
 * a word disappear (O'BRIEN → OBRIEN); hyphens separate parts as '<' does in the MRZ.
 */
export function mrzReadings(name: string): string[] {
  let readings = [''];
  for (const match of name.normalize('NFC').matchAll(WORD_OR_SEPARATOR)) {
    const [, word, separator] = match;
    if (separator !== undefined) readings = readings.map((reading) => reading + ' ');
    else if (word !== undefined) readings = combine(readings, wordReadings(word));
  }
  const tidy = readings.map((reading) => reading.replace(/ +/g, ' ').trim());
  return [...new Set(tidy)];
}
