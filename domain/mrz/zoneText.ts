import { FILLER_CODE } from './checkDigit';
import type { Span } from './layouts';

/**
 * Reading the free-text parts of a zone: fillers at the end are padding, a
 * filler inside a value stands for a space (ICAO 9303 Part 3, 4.6), and in the
 * name field `<<` separates the primary identifier (surname) from the
 * secondary one (given names).
 */

function endWithoutPadding(text: string, start: number, end: number): number {
  let last = end;
  while (last > start && text.charCodeAt(last - 1) === FILLER_CODE) last--;
  return last;
}

/** A value with padding removed and inner fillers as spaces; each filler becomes one space, so it can be rebuilt. */
export function readValue(text: string, start: number, end: number): string {
  const value = text.slice(start, endWithoutPadding(text, start, end));
  return value.includes('<') ? value.replaceAll('<', ' ') : value;
}

interface HolderName {
  surname: string;
  givenNames: string;
  /** The field is full to its last character, which is how ICAO marks a cut name. */
  truncated: boolean;
}

export function readName(text: string, field: Span): HolderName {
  const last = endWithoutPadding(text, field.start, field.end);
  const truncated = last === field.end;
  const separator = text.indexOf('<<', field.start);
  if (separator === -1 || separator >= last) {
    return { surname: readValue(text, field.start, last), givenNames: '', truncated };
  }
  let givenStart = separator + 2;
  while (givenStart < last && text.charCodeAt(givenStart) === FILLER_CODE) givenStart++;
  const given = text.slice(givenStart, last);
  // Issuers differ in how many fillers they put between given names; each run reads as one space.
  const givenNames = given.includes('<') ? given.replace(/<+/g, ' ') : given;
  return { surname: readValue(text, field.start, separator), givenNames, truncated };
}

function isLetterCode(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** Only letters and fillers, as names, codes and states must be. */
export function isAlphabetic(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== FILLER_CODE && !isLetterCode(code)) return false;
  }
  return true;
}

/** A code field (document code, state): letters then padding, starting with a letter. */
export function isCodeField(text: string, span: Span): boolean {
  return isLetterCode(text.charCodeAt(span.start)) && isAlphabetic(text, span.start, span.end);
}
