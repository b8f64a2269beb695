import { toMrzDate } from './dates';
import { documentNumberPlace, expectedDigit } from './guardedFields';
import { LAYOUTS } from './layouts';
import type { MrzLayout, Span } from './layouts';
import type { MrzFormat, MrzSex } from './types';

/**
 * The inverse of parsing: lays out a document's fields as a zone with correct
 * check digits. Used for synthetic test data and by the device simulators.
 * Spaces and hyphens become `<`, apostrophes are dropped (ICAO 9303 Part 3);
 * names longer than their field are cut at its end, which is how a real
 * document marks truncation. Anything that cannot be laid out is an error.
 */

export interface MrzBuildInput {
  format: MrzFormat;
  documentCode: string;
  issuingState: string;
  surname: string;
  givenNames: string;
  documentNumber: string;
  nationality: string;
  /** ISO date, `YYYY-MM` or `YYYY` when day or month is unknown, or '' when unknown. */
  birthDate: string;
  sex: MrzSex;
  /** ISO date, or '' when the document has none. */
  expiryDate: string;
  /** TD3 only. */
  personalNumber?: string;
  /** TD1, TD2, MRV-A, MRV-B. */
  optionalData?: string;
  /** TD1 only. */
  optionalData2?: string;
}

export type MrzBuildErrorCode = 'BAD_CHARACTERS' | 'FIELD_TOO_LONG' | 'BAD_DATE' | 'FIELD_NOT_IN_FORMAT';

export interface MrzBuildError {
  code: MrzBuildErrorCode;
  field: keyof MrzBuildInput;
  message: string;
}

export type MrzBuildResult = { ok: true; lines: string[] } | { ok: false; error: MrzBuildError };

class BuildFailure {
  constructor(readonly error: MrzBuildError) {}
}

function fail(code: MrzBuildErrorCode, field: keyof MrzBuildInput, message: string): never {
  throw new BuildFailure({ code, field, message });
}

const SEX_CHARACTER: Readonly<Record<MrzSex, string>> = { M: 'M', F: 'F', X: 'X', unspecified: '<' };

function encode(value: string, field: keyof MrzBuildInput): string {
  const encoded = value.toUpperCase().replace(/'/g, '').replace(/[ -]/g, '<');
  if (!/^[A-Z0-9<]*$/.test(encoded)) {
    fail('BAD_CHARACTERS', field, `${field} holds characters an MRZ cannot carry: ${JSON.stringify(value)}.`);
  }
  return encoded;
}

class Zone {
  private readonly characters: string[];

  constructor(readonly layout: MrzLayout) {
    this.characters = new Array<string>(layout.lineLength * layout.lineCount).fill('<');
  }

  write(span: Span, value: string, field: keyof MrzBuildInput): void {
    if (value.length > span.end - span.start) {
      fail('FIELD_TOO_LONG', field, `${field} has ${value.length} characters; this format holds ${span.end - span.start}.`);
    }
    for (let i = 0; i < value.length; i++) this.characters[span.start + i] = value.charAt(i);
  }

  writeDigit(offset: number, segments: readonly Span[]): void {
    this.characters[offset] = String(expectedDigit(this.text(), segments));
  }

  text(): string {
    return this.characters.join('');
  }
}

export function buildMrz(document: MrzBuildInput): MrzBuildResult {
  try {
    return { ok: true, lines: layOut(document) };
  } catch (failure) {
    if (failure instanceof BuildFailure) return { ok: false, error: failure.error };
    throw failure;
  }
}

function layOut(document: MrzBuildInput): string[] {
  const layout = LAYOUTS[document.format];
  const zone = new Zone(layout);
  zone.write(layout.documentCode, encode(document.documentCode, 'documentCode'), 'documentCode');
  zone.write(layout.issuingState, encode(document.issuingState, 'issuingState'), 'issuingState');
  zone.write(layout.nationality, encode(document.nationality, 'nationality'), 'nationality');
  zone.write(layout.name, nameField(document, layout.name), 'surname');
  zone.write(layout.birthDate, mrzDate(document.birthDate, 'birthDate'), 'birthDate');
  zone.write(layout.expiryDate, expiryField(document.expiryDate), 'expiryDate');
  zone.write({ start: layout.sex, end: layout.sex + 1 }, sexCharacter(document.sex), 'sex');
  const number = writeNumberAndOptionalData(zone, document);
  if (layout.optionalData2 !== null) {
    zone.write(layout.optionalData2, encode(document.optionalData2 ?? '', 'optionalData2'), 'optionalData2');
  } else if (document.optionalData2 !== undefined && document.optionalData2 !== '') {
    fail('FIELD_NOT_IN_FORMAT', 'optionalData2', `${layout.format} has no second optional data field.`);
  }

  zone.writeDigit(layout.birthDateCheck, [layout.birthDate]);
  zone.writeDigit(layout.expiryDateCheck, [layout.expiryDate]);
  if (layout.personalNumberCheck !== null && document.personalNumber !== undefined && document.personalNumber !== '') {
    zone.writeDigit(layout.personalNumberCheck, [layout.optionalData]);
  }
  zone.writeDigit(number.check, number.segments);
  if (layout.composite !== null) zone.writeDigit(layout.composite.check, layout.composite.parts);

  const text = zone.text();
  const lines: string[] = [];
  for (let start = 0; start < text.length; start += layout.lineLength) {
    lines.push(text.slice(start, start + layout.lineLength));
  }
  return lines;
}

function nameField(document: MrzBuildInput, field: Span): string {
  const surname = encode(document.surname.trim(), 'surname');
  const given = encode(document.givenNames.trim(), 'givenNames');
  const full = given === '' ? surname : `${surname}<<${given}`;
  return full.slice(0, field.end - field.start);
}

function mrzDate(iso: string, field: 'birthDate' | 'expiryDate'): string {
  if (iso === '') return '<<<<<<';
  const date = toMrzDate(iso);
  if (date === null) fail('BAD_DATE', field, `${field} ${JSON.stringify(iso)} is not an ISO date.`);
  return date;
}

function expiryField(iso: string): string {
  const date = mrzDate(iso, 'expiryDate');
  if (date.includes('<') && date !== '<<<<<<') {
    fail('BAD_DATE', 'expiryDate', 'An expiry date must be a full date or empty.');
  }
  return date;
}

interface NumberPlace {
  segments: readonly Span[];
  check: number;
}

/**
 * The document number, and the optional data that shares its space when a
 * TD1/TD2 number is longer than 9 characters: the rest of the number, a
 * place for its check digit, then `<`, then the optional data.
 */
function writeNumberAndOptionalData(zone: Zone, document: MrzBuildInput): NumberPlace {
  const { layout } = zone;
  const number = encode(document.documentNumber, 'documentNumber');
  const isTd3 = layout.format === 'TD3';
  const optionalField = isTd3 ? 'personalNumber' : 'optionalData';
  const misplaced = isTd3 ? document.optionalData : document.personalNumber;
  if (misplaced !== undefined && misplaced !== '') {
    const field = isTd3 ? 'optionalData' : 'personalNumber';
    fail('FIELD_NOT_IN_FORMAT', field, `${layout.format} has no ${field} field; use ${optionalField}.`);
  }
  const optional = encode((isTd3 ? document.personalNumber : document.optionalData) ?? '', optionalField);
  const principalLength = layout.documentNumber.end - layout.documentNumber.start;
  if (number.length <= principalLength) {
    zone.write(layout.documentNumber, number, 'documentNumber');
    zone.write(layout.optionalData, optional, optionalField);
    return { segments: [layout.documentNumber], check: layout.documentNumberCheck };
  }
  if (!layout.documentNumberMayContinue || number.includes('<')) {
    fail('FIELD_TOO_LONG', 'documentNumber', `${layout.format} holds a document number of at most ${principalLength} characters.`);
  }
  zone.write(layout.documentNumber, number.slice(0, principalLength), 'documentNumber');
  // The check digit's place is filled by the computed digit later; `0` holds it meanwhile.
  const continued = `${number.slice(principalLength)}0<${optional}`;
  zone.write(layout.optionalData, continued, 'documentNumber');
  return documentNumberPlace(zone.text(), layout);
}

function sexCharacter(sex: MrzSex): string {
  const character: string | undefined = SEX_CHARACTER[sex];
  if (character === undefined) fail('BAD_CHARACTERS', 'sex', `sex must be M, F, X or unspecified, not ${JSON.stringify(sex)}.`);
  return character;
}
