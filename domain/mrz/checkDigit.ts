/**
 * ICAO 9303 check digits: weights 7, 3, 1 repeating; `0`-`9` count as themselves,
 * `A`-`Z` as 10-35, the filler `<` as 0; the digit is the sum modulo 10.
 *
 * The parser calls this several times per document, so values come from a table
 * indexed by char code instead of per-character branching or regexes.
 */

const NOT_MRZ = 255;

/** Value of each char code below 128 in a check digit; NOT_MRZ for characters an MRZ cannot hold. */
const CHARACTER_VALUE: Uint8Array = buildCharacterValues();

function buildCharacterValues(): Uint8Array {
  const values = new Uint8Array(128).fill(NOT_MRZ);
  for (let digit = 0; digit <= 9; digit++) values[48 + digit] = digit;
  for (let letter = 0; letter < 26; letter++) values[65 + letter] = 10 + letter;
  values[60] = 0;
  return values;
}

export const FILLER_CODE = 60;

export function isMrzCharacterCode(code: number): boolean {
  return code < 128 && CHARACTER_VALUE[code] !== NOT_MRZ;
}

/** CHARACTER_VALUE with 0 for non-MRZ characters, so the summing loop needs no branch for them. */
const VALUE_OR_ZERO: Uint8Array = CHARACTER_VALUE.map((value) => (value === NOT_MRZ ? 0 : value));

/**
 * Weighted sum of `text[start..end)` continuing a running sum whose next weight
 * index is `weightIndex`; lets a field split over two places (a TD1 document
 * number continued in the optional data) be summed piece by piece. Characters
 * outside the MRZ set never reach here from the parser; they count as 0.
 */
export function weightedSum(text: string, start: number, end: number, weightIndex: number): number {
  let sum = 0;
  let weight = weightIndex % 3;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (VALUE_OR_ZERO[code] ?? 0) : 0;
    sum += weight === 0 ? value * 7 : weight === 1 ? value * 3 : value;
    weight = weight === 2 ? 0 : weight + 1;
  }
  return sum;
}

/** The check digit (0-9) of a run of MRZ characters. */
export function computeCheckDigit(text: string): number {
  return weightedSum(text, 0, text.length, 0) % 10;
}
