import { describe, expect, it } from 'vitest';
import { buildMrz } from './build';
import type { MrzBuildInput } from './build';
import { computeCheckDigit } from './checkDigit';
import { parseMrz } from './parse';
import type { MrzDocument } from './types';

const today = new Date(2025, 5, 1);

const passport: MrzBuildInput = {
  format: 'TD3',
  documentCode: 'P',
  issuingState: 'BIH',
  surname: 'QUVARDO',
  givenNames: 'ZENTA',
  documentNumber: 'B12345678',
  nationality: 'BIH',
  birthDate: '1980-02-29',
  sex: 'F',
  expiryDate: '2030-12-31',
  personalNumber: '',
};

function zoneOf(document: MrzBuildInput): string[] {
  const built = buildMrz(document);
  if (!built.ok) throw new Error(built.error.message);
  return built.lines;
}

function read(input: unknown): MrzDocument {
  const result = parseMrz(input, { today });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.document;
}

function replaceAt(lines: readonly string[], line: number, position: number, character: string): string[] {
  return lines.map((l, i) => (i === line - 1 ? l.slice(0, position - 1) + character + l.slice(position) : l));
}

function failedChecks(document: MrzDocument): string[] {
  return document.checks.filter((c) => !c.ok).map((c) => c.name);
}

function warningCodes(document: MrzDocument): string[] {
  return document.warnings.map((w) => w.code);
}

describe('format detection', () => {
  it.each([
    ['TD3', 'P'],
    ['MRV-A', 'V'],
    ['TD2', 'I'],
    ['MRV-B', 'V'],
    ['TD1', 'I'],
  ] as const)('tells %s from the shape and first character (%s)', (format, documentCode) => {
    const document = read(zoneOf({ ...passport, format, documentCode, personalNumber: undefined }));
    expect(document.format).toBe(format);
    expect(document.valid).toBe(true);
  });
});

describe('names', () => {
  it('splits surname and given names, fillers inside each becoming spaces', () => {
    const document = read(zoneOf({ ...passport, surname: 'DE LA VEGA', givenNames: 'ANA MARIA LUZ' }));
    expect(document.fields).toMatchObject({ surname: 'DE LA VEGA', givenNames: 'ANA MARIA LUZ' });
    expect(document.nameTruncated).toBe(false);
  });

  it('reads a holder with a surname only', () => {
    expect(read(zoneOf({ ...passport, givenNames: '' })).fields).toMatchObject({ surname: 'QUVARDO', givenNames: '' });
  });

  it('reads runs of fillers between given names as one space', () => {
    const [upper = '', lower = ''] = zoneOf(passport);
    const document = read([upper.replace('ZENTA<<<<<', 'ZENTA<<IVA'), lower]);
    expect(document.fields.givenNames).toBe('ZENTA IVA');
  });

  it('flags a name that fills the field to its end as possibly truncated', () => {
    const document = read(zoneOf({ ...passport, surname: 'QUVARDOVSKAYA', givenNames: 'ZENTAMARIAIVANAXENIJAPETRAK' }));
    expect(document.nameTruncated).toBe(true);
    expect(document.valid).toBe(true);
    expect(warningCodes(document)).toEqual(['NAME_TRUNCATED']);
  });

  it('fails a name holding digits without touching it, since no check digit guards names', () => {
    const [upper = '', lower = ''] = zoneOf(passport);
    const document = read([upper.replace('ZENTA', 'ZENT4'), lower]);
    expect(document.fields.givenNames).toBe('ZENT4');
    expect(failedChecks(document)).toEqual(['nameCharacters']);
    expect(document.corrections).toEqual([]);
  });
});

describe('document numbers', () => {
  it('joins a TD1 number longer than 9 characters with its continuation in the optional data', () => {
    const document = read(zoneOf({ ...passport, format: 'TD1', documentCode: 'ID', documentNumber: 'AB123456789XY', optionalData: 'Q7', personalNumber: undefined }));
    expect(document.fields).toMatchObject({ documentNumber: 'AB123456789XY', optionalData: 'Q7' });
    expect(document.lines[0]?.slice(5, 30)).toMatch(/^AB1234567<89XY\d<Q7<+$/);
    expect(document.valid).toBe(true);
  });

  it('does the same for TD2 (ICAO 9303 Part 6)', () => {
    const document = read(zoneOf({ ...passport, format: 'TD2', documentCode: 'I', documentNumber: 'AB1234567890', personalNumber: undefined }));
    expect(document.fields.documentNumber).toBe('AB1234567890');
    expect(document.valid).toBe(true);
  });

  it('strips the padding of a short number', () => {
    expect(read(zoneOf({ ...passport, documentNumber: 'X12' })).fields.documentNumber).toBe('X12');
  });
});

describe('codes', () => {
  it('accepts Germany as D and reports it as D', () => {
    const document = read(zoneOf({ ...passport, issuingState: 'D', nationality: 'D' }));
    expect(document.fields).toMatchObject({ issuingState: 'D', nationality: 'D' });
    expect(document.warnings).toEqual([]);
  });

  it('accepts ICAO codes that are not ISO countries without a warning', () => {
    for (const code of ['XXA', 'XXB', 'XXC', 'XXX', 'UNO', 'UNA', 'UNK', 'EUE', 'UTO', 'GBD', 'XOM', 'XPO']) {
      expect(read(zoneOf({ ...passport, nationality: code })).warnings).toEqual([]);
    }
  });

  it('accepts a code ICAO does not list (RKS) with a warning, never a rejection', () => {
    const document = read(zoneOf({ ...passport, issuingState: 'RKS', nationality: 'RKS' }));
    expect(document.valid).toBe(true);
    expect(document.fields).toMatchObject({ issuingState: 'RKS', nationality: 'RKS' });
    expect(document.warnings.map((w) => [w.code, w.field])).toEqual([
      ['UNKNOWN_STATE_CODE', 'issuingState'],
      ['UNKNOWN_STATE_CODE', 'nationality'],
    ]);
  });

  it('fails a state code holding digits', () => {
    const [upper = '', lower = ''] = zoneOf(passport);
    expect(failedChecks(read([upper.replace('P<BIH', 'P<B1H'), lower]))).toEqual(['issuingStateCharacters']);
  });

  it('warns about a document code ICAO does not define for the format', () => {
    const document = read(zoneOf({ ...passport, documentCode: 'Q' }));
    expect(document.valid).toBe(true);
    expect(warningCodes(document)).toEqual(['UNUSUAL_DOCUMENT_CODE']);
    expect(warningCodes(read(zoneOf({ ...passport, format: 'TD1', documentCode: 'IV', personalNumber: undefined })))).toEqual([
      'UNUSUAL_DOCUMENT_CODE',
    ]);
  });
});

describe('sex', () => {
  it.each([
    ['M', 'M'],
    ['F', 'F'],
    ['X', 'X'],
    ['unspecified', 'unspecified'],
  ] as const)('reads %s', (sex, expected) => {
    expect(read(zoneOf({ ...passport, sex })).fields.sex).toBe(expected);
  });

  it('fails a character ICAO does not allow and leaves the field empty', () => {
    const document = read(replaceAt(zoneOf(passport), 2, 21, 'Q'));
    expect(document.fields.sex).toBeNull();
    expect(failedChecks(document)).toEqual(['sexCode']);
  });
});

describe('dates', () => {
  it('reads a birth date with unknown day and month, with a warning', () => {
    const document = read(zoneOf({ ...passport, birthDate: '1980' }));
    expect(document.fields.birthDate).toBe('1980');
    expect(document.valid).toBe(true);
    expect(warningCodes(document)).toEqual(['PARTIAL_BIRTH_DATE']);
  });

  it('reads a document without expiry date', () => {
    const document = read(zoneOf({ ...passport, expiryDate: '' }));
    expect(document.fields.expiryDate).toBeNull();
    expect(warningCodes(document)).toEqual(['NO_EXPIRY_DATE']);
  });

  it('reports month 13 even when its check digit agrees, and keeps the raw value', () => {
    const [upper = '', lower = ''] = zoneOf(passport);
    const withMonth13 = lower.replace('800229', '801329').slice(0, 19) + String(computeCheckDigit('801329'));
    const zone = zoneOf(passport);
    // Re-derive the composite too, so that the calendar is the only thing wrong.
    const composite = computeCheckDigit(withMonth13.slice(0, 10) + withMonth13.slice(13, 20) + lower.slice(21, 43));
    const document = read([upper, withMonth13 + lower.slice(20, 43) + String(composite)]);
    expect(zone[1]).not.toBe(document.lines[1]);
    expect(document.fields.birthDate).toBeNull();
    expect(document.raw.birthDate).toBe('801329');
    expect(failedChecks(document)).toEqual(['birthDateCalendar']);
  });
});

describe('check digits', () => {
  it('lists every check with what was expected and what was found', () => {
    const zone = zoneOf(passport);
    const right = zone[1]?.charAt(9) ?? '';
    const wrong = String((Number(right) + 1) % 10);
    const check = read(replaceAt(zone, 2, 10, wrong)).checks.find((c) => c.name === 'documentNumberCheckDigit');
    expect(check).toEqual({ name: 'documentNumberCheckDigit', ok: false, expected: right, actual: wrong });
  });

  it('catches a change the field check digits cannot see through the composite', () => {
    const td1 = zoneOf({ ...passport, format: 'TD1', documentCode: 'I', optionalData: 'ABC', personalNumber: undefined });
    const document = read(replaceAt(td1, 1, 16, 'X'));
    expect(failedChecks(document)).toEqual(['compositeCheckDigit']);
  });

  it('accepts < or 0 as the check digit of an empty personal number', () => {
    expect(zoneOf(passport)[1]?.charAt(42)).toBe('<');
    expect(read(replaceAt(zoneOf(passport), 2, 43, '0')).checks.find((c) => c.name === 'personalNumberCheckDigit')?.ok).toBe(true);
  });
});
