import { readBirthDate, readExpiryDate, referenceDayOf } from './dates';
import type { DateReading, ReferenceDay } from './dates';
import { documentNumberPlace, expectedDigit, isCheckDigitConsistent } from './guardedFields';
import { readInput } from './input';
import type { MrzLayout, Span } from './layouts';
import { repairOcrConfusions } from './ocrCorrection';
import { lookupStateCode } from './stateCodes';
import type {
  MrzCheck,
  MrzCheckName,
  MrzDocument,
  MrzFields,
  MrzParseOptions,
  MrzParseResult,
  MrzSex,
  MrzWarning,
} from './types';
import { isAlphabetic, isCodeField, readName, readValue } from './zoneText';

/**
 * Reads a machine readable zone (TD1, TD2, TD3, MRV-A, MRV-B) into the fields
 * an officer needs, with every check, every correction and every doubt listed.
 * Never throws: input that is no zone at all comes back as `{ ok: false }`
 * with a code and a message saying why.
 */
export function parseMrz(input: unknown, options?: MrzParseOptions): MrzParseResult {
  const today = referenceDay(options);
  if (today === null) {
    return { ok: false, error: { code: 'BAD_OPTIONS', message: 'options.today must be a valid Date.' } };
  }
  const reading = readInput(input);
  if (!reading.ok) return reading;
  const { text, layout, rejoined } = reading.zone;
  let document = readDocument(text, layout, today);
  if (document.checks.some((check) => GUARDED_CHECKS.has(check.name) && !check.ok)) {
    const repair = repairOcrConfusions(text, layout, today);
    if (repair.text !== text) document = readDocument(repair.text, layout, today);
    document.corrections = repair.corrections;
    document.warnings.push(...repair.warnings);
  }
  if (rejoined) {
    document.warnings.push({
      code: 'LINES_REJOINED',
      message: `The line breaks did not match any format; the zone was re-split into lines of ${layout.lineLength}.`,
    });
  }
  return { ok: true, document };
}

function referenceDay(options: MrzParseOptions | undefined): ReferenceDay | null {
  // Typed callers cannot pass anything else, but JavaScript ones and JSON can.
  const given: unknown = options;
  const today: unknown = typeof given === 'object' && given !== null ? (given as MrzParseOptions).today : undefined;
  if (today === undefined) return referenceDayOf(new Date());
  if (!(today instanceof Date) || Number.isNaN(today.getTime())) return null;
  return referenceDayOf(today);
}

/** Checks on fields OCR correction may repair; when all pass there is nothing to repair. */
const GUARDED_CHECKS: ReadonlySet<MrzCheckName> = new Set<MrzCheckName>([
  'documentNumberCheckDigit',
  'birthDateCheckDigit',
  'expiryDateCheckDigit',
  'personalNumberCheckDigit',
  'birthDateCalendar',
  'expiryDateCalendar',
]);

const SEX_CODES: Readonly<Record<string, MrzSex>> = { M: 'M', F: 'F', X: 'X', '<': 'unspecified' };

function readDocument(text: string, layout: MrzLayout, today: ReferenceDay): MrzDocument {
  const checks: MrzCheck[] = [];
  const warnings: MrzWarning[] = [];
  const number = documentNumberPlace(text, layout);
  const birth = readBirthDate(text, layout.birthDate.start, today);
  const expiry = readExpiryDate(text, layout.expiryDate.start, today);
  const name = readName(text, layout.name);
  const sexCharacter = text.charAt(layout.sex);
  const sex = SEX_CODES[sexCharacter] ?? null;

  checkDigit(checks, 'documentNumberCheckDigit', text, number.segments, number.check, false);
  checkDigit(checks, 'birthDateCheckDigit', text, [layout.birthDate], layout.birthDateCheck, false);
  checkDigit(checks, 'expiryDateCheckDigit', text, [layout.expiryDate], layout.expiryDateCheck, false);
  if (layout.personalNumberCheck !== null) {
    checkDigit(checks, 'personalNumberCheckDigit', text, [layout.optionalData], layout.personalNumberCheck, true);
  }
  if (layout.composite !== null) {
    checkDigit(checks, 'compositeCheckDigit', text, layout.composite.parts, layout.composite.check, false);
  }
  checkDate(checks, 'birthDateCalendar', text, layout.birthDate, birth);
  checkDate(checks, 'expiryDateCalendar', text, layout.expiryDate, expiry);
  checks.push({ name: 'sexCode', ok: sex !== null, expected: 'M, F, X or <', actual: sexCharacter });
  checkCode(checks, 'documentCodeCharacters', text, layout.documentCode);
  checkCode(checks, 'issuingStateCharacters', text, layout.issuingState);
  checkCode(checks, 'nationalityCharacters', text, layout.nationality);
  checks.push({
    name: 'nameCharacters',
    ok: isAlphabetic(text, layout.name.start, layout.name.end),
    expected: 'letters and <',
    actual: text.slice(layout.name.start, layout.name.end),
  });

  const fields: MrzFields = {
    documentCode: readValue(text, layout.documentCode.start, layout.documentCode.end),
    issuingState: readValue(text, layout.issuingState.start, layout.issuingState.end),
    surname: name.surname,
    givenNames: name.givenNames,
    documentNumber: number.segments.map((s) => readValue(text, s.start, s.end)).join(''),
    nationality: readValue(text, layout.nationality.start, layout.nationality.end),
    birthDate: birth.kind === 'date' || birth.kind === 'partial' ? birth.iso : null,
    sex,
    expiryDate: expiry.kind === 'date' ? expiry.iso : null,
  };
  const optional = readValue(text, number.optionalDataStart, layout.optionalData.end);
  if (layout.format === 'TD3') fields.personalNumber = optional;
  else fields.optionalData = optional;
  if (layout.optionalData2 !== null) {
    fields.optionalData2 = readValue(text, layout.optionalData2.start, layout.optionalData2.end);
  }

  warnAboutCodes(warnings, fields, layout, text);
  warnAboutDates(warnings, birth, expiry);
  if (name.truncated) {
    warnings.push({
      code: 'NAME_TRUNCATED',
      field: 'givenNames',
      message: 'The name fills the whole field, so it may be cut short: take the full name from the printed page.',
    });
  }

  const lines: string[] = [];
  for (let start = 0; start < text.length; start += layout.lineLength) {
    lines.push(text.slice(start, start + layout.lineLength));
  }
  return {
    format: layout.format,
    valid: checks.every((c) => c.ok),
    fields,
    raw: {
      birthDate: text.slice(layout.birthDate.start, layout.birthDate.end),
      expiryDate: text.slice(layout.expiryDate.start, layout.expiryDate.end),
    },
    lines,
    nameTruncated: name.truncated,
    checks,
    corrections: [],
    warnings,
  };
}

function checkDigit(
  checks: MrzCheck[],
  name: MrzCheckName,
  text: string,
  segments: readonly Span[],
  check: number,
  fillerCheckAllowed: boolean,
): void {
  const ok = isCheckDigitConsistent(text, segments, check, fillerCheckAllowed);
  const actual = text.charAt(check);
  // An empty personal number may carry `<` as its check digit; then `<` is what is expected.
  const expected = ok && actual === '<' ? '<' : String(expectedDigit(text, segments));
  checks.push({ name, ok, expected, actual });
}

function checkDate(checks: MrzCheck[], name: MrzCheckName, text: string, span: Span, reading: DateReading): void {
  checks.push({
    name,
    ok: reading.kind !== 'invalid',
    expected: 'YYMMDD forming a calendar date',
    actual: text.slice(span.start, span.end),
  });
}

function checkCode(checks: MrzCheck[], name: MrzCheckName, text: string, span: Span): void {
  checks.push({
    name,
    ok: isCodeField(text, span),
    expected: 'letters, padded with <',
    actual: text.slice(span.start, span.end),
  });
}

function warnAboutCodes(warnings: MrzWarning[], fields: MrzFields, layout: MrzLayout, text: string): void {
  for (const field of ['issuingState', 'nationality'] as const) {
    const code = fields[field];
    if (lookupStateCode(code) === undefined && isCodeField(text, layout[field])) {
      warnings.push({
        code: 'UNKNOWN_STATE_CODE',
        field,
        message: `${code} is not an ICAO state or organisation code; accepted as printed, verify it on the page.`,
      });
    }
  }
  const first = text.charAt(layout.documentCode.start);
  const second = text.charAt(layout.documentCode.start + 1);
  const expectedFirst = EXPECTED_DOCUMENT_CODES[layout.format];
  const isCard = layout.format === 'TD1' || layout.format === 'TD2';
  if (!expectedFirst.includes(first) || (isCard && second === 'V')) {
    warnings.push({
      code: 'UNUSUAL_DOCUMENT_CODE',
      field: 'documentCode',
      message: `Document code ${fields.documentCode} is not one ICAO defines for ${layout.format} (${expectedFirst.join(', ')}).`,
    });
  }
}

/** ICAO 9303 first characters per format; TD1/TD2 must also not use V as second character. */
const EXPECTED_DOCUMENT_CODES: Readonly<Record<MrzLayout['format'], readonly string[]>> = {
  TD1: ['A', 'C', 'I'],
  TD2: ['A', 'C', 'I'],
  TD3: ['P'],
  'MRV-A': ['V'],
  'MRV-B': ['V'],
};

function warnAboutDates(warnings: MrzWarning[], birth: DateReading, expiry: DateReading): void {
  if (birth.kind === 'partial') {
    warnings.push({
      code: 'PARTIAL_BIRTH_DATE',
      field: 'birthDate',
      message: `The document gives only part of the birth date (${birth.iso}).`,
    });
  } else if (birth.kind === 'unknown') {
    warnings.push({ code: 'UNKNOWN_BIRTH_DATE', field: 'birthDate', message: 'The document gives no birth date.' });
  }
  if (expiry.kind === 'unknown') {
    warnings.push({ code: 'NO_EXPIRY_DATE', field: 'expiryDate', message: 'The document gives no expiry date.' });
  }
}
