import { FILLER_CODE, weightedSum } from './checkDigit';
import type { MrzLayout, Span } from './layouts';
import type { MrzCheckedField } from './types';

/**
 * The fields a check digit guards, located in a zone's text. The document
 * number's place depends on the text itself: in TD1 and TD2 a number longer
 * than 9 characters puts `<` where its check digit would be and continues at
 * the start of the optional data, its check digit after the last character
 * (ICAO 9303 Part 5 note j, Part 6). Its check digit is computed over the whole
 * number without that `<`, as ICAO's note says: "calculated on the full number".
 */

export interface GuardedField {
  field: MrzCheckedField;
  /** The data characters, summed in this order. */
  segments: readonly Span[];
  /** Offset of the check digit. */
  check: number;
  /** Dates: every data character must be a digit (or `<` for unknown parts). */
  numericOnly: boolean;
  /** TD3 personal number: when it is all fillers its check digit may be `<` as well as `0`. */
  fillerCheckAllowed: boolean;
}

interface DocumentNumberPlace {
  segments: readonly Span[];
  check: number;
  /** Where the optional data proper begins (after a continued number and its terminating `<`). */
  optionalDataStart: number;
}

export function documentNumberPlace(text: string, layout: MrzLayout): DocumentNumberPlace {
  const { documentNumber, documentNumberCheck, optionalData } = layout;
  const continues =
    layout.documentNumberMayContinue &&
    text.charCodeAt(documentNumberCheck) === FILLER_CODE &&
    text.charCodeAt(optionalData.start) !== FILLER_CODE;
  if (!continues) {
    return { segments: [documentNumber], check: documentNumberCheck, optionalDataStart: optionalData.start };
  }
  let end = text.indexOf('<', optionalData.start);
  if (end === -1 || end > optionalData.end) end = optionalData.end;
  return {
    segments: [documentNumber, { start: optionalData.start, end: end - 1 }],
    check: end - 1,
    optionalDataStart: Math.min(end + 1, optionalData.end),
  };
}

export function guardedFields(text: string, layout: MrzLayout): GuardedField[] {
  const number = documentNumberPlace(text, layout);
  const fields: GuardedField[] = [
    {
      field: 'documentNumber',
      segments: number.segments,
      check: number.check,
      numericOnly: false,
      fillerCheckAllowed: false,
    },
    {
      field: 'birthDate',
      segments: [layout.birthDate],
      check: layout.birthDateCheck,
      numericOnly: true,
      fillerCheckAllowed: false,
    },
    {
      field: 'expiryDate',
      segments: [layout.expiryDate],
      check: layout.expiryDateCheck,
      numericOnly: true,
      fillerCheckAllowed: false,
    },
  ];
  if (layout.personalNumberCheck !== null) {
    fields.push({
      field: 'personalNumber',
      segments: [layout.optionalData],
      check: layout.personalNumberCheck,
      numericOnly: false,
      fillerCheckAllowed: true,
    });
  }
  return fields;
}

export function expectedDigit(text: string, segments: readonly Span[]): number {
  let sum = 0;
  let weightIndex = 0;
  for (const segment of segments) {
    sum += weightedSum(text, segment.start, segment.end, weightIndex);
    weightIndex += segment.end - segment.start;
  }
  return sum % 10;
}

function isAllFillers(text: string, segments: readonly Span[]): boolean {
  for (const segment of segments) {
    for (let i = segment.start; i < segment.end; i++) {
      if (text.charCodeAt(i) !== FILLER_CODE) return false;
    }
  }
  return true;
}

export function isGuardedFieldConsistent(text: string, guarded: GuardedField): boolean {
  return isCheckDigitConsistent(text, guarded.segments, guarded.check, guarded.fillerCheckAllowed);
}

export function isCheckDigitConsistent(
  text: string,
  segments: readonly Span[],
  check: number,
  fillerCheckAllowed: boolean,
): boolean {
  const actual = text.charCodeAt(check);
  if (actual === 48 + expectedDigit(text, segments)) return true;
  return fillerCheckAllowed && actual === FILLER_CODE && isAllFillers(text, segments);
}

export function isCompositeConsistent(text: string, layout: MrzLayout): boolean {
  const { composite } = layout;
  if (composite === null) return true;
  return text.charCodeAt(composite.check) === 48 + expectedDigit(text, composite.parts);
}
