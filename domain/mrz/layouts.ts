import type { MrzFormat } from './types';

/**
 * Where each field sits, per ICAO Doc 9303 Parts 4-7. The engine works on the
 * lines joined without separators, so every position here is an offset into
 * that joined text; `span(line, from, to)` converts from the specification's
 * 1-based "line L, positions from-to" so each row can be checked against it.
 */

export interface Span {
  start: number;
  end: number;
}

interface CompositeLayout {
  check: number;
  parts: readonly Span[];
}

export interface MrzLayout {
  format: MrzFormat;
  lineLength: number;
  lineCount: number;
  documentCode: Span;
  issuingState: Span;
  name: Span;
  documentNumber: Span;
  documentNumberCheck: number;
  nationality: Span;
  birthDate: Span;
  birthDateCheck: number;
  sex: number;
  expiryDate: Span;
  expiryDateCheck: number;
  /** TD3: the personal number; other formats: the (first) optional data field. */
  optionalData: Span;
  /** TD3 only: the personal number's check digit. */
  personalNumberCheck: number | null;
  /** TD1 only: the optional data of the middle line. */
  optionalData2: Span | null;
  /** TD1 and TD2 let a document number longer than 9 characters continue in the optional data. */
  documentNumberMayContinue: boolean;
  /** Visas have no composite check digit. */
  composite: CompositeLayout | null;
}

function spanIn(lineLength: number) {
  return (line: number, from: number, to: number): Span => ({
    start: (line - 1) * lineLength + from - 1,
    end: (line - 1) * lineLength + to,
  });
}

function positionIn(lineLength: number) {
  return (line: number, position: number): number => (line - 1) * lineLength + position - 1;
}

function td1(): MrzLayout {
  const span = spanIn(30);
  const at = positionIn(30);
  return {
    format: 'TD1',
    lineLength: 30,
    lineCount: 3,
    documentCode: span(1, 1, 2),
    issuingState: span(1, 3, 5),
    documentNumber: span(1, 6, 14),
    documentNumberCheck: at(1, 15),
    optionalData: span(1, 16, 30),
    birthDate: span(2, 1, 6),
    birthDateCheck: at(2, 7),
    sex: at(2, 8),
    expiryDate: span(2, 9, 14),
    expiryDateCheck: at(2, 15),
    nationality: span(2, 16, 18),
    optionalData2: span(2, 19, 29),
    composite: { check: at(2, 30), parts: [span(1, 6, 30), span(2, 1, 7), span(2, 9, 15), span(2, 19, 29)] },
    name: span(3, 1, 30),
    personalNumberCheck: null,
    documentNumberMayContinue: true,
  };
}

/** TD2 and MRV-B share their shape; they differ in the optional data and composite. */
function twoLinesOf36(format: 'TD2' | 'MRV-B'): MrzLayout {
  const span = spanIn(36);
  const at = positionIn(36);
  const isVisa = format === 'MRV-B';
  return {
    format,
    lineLength: 36,
    lineCount: 2,
    documentCode: span(1, 1, 2),
    issuingState: span(1, 3, 5),
    name: span(1, 6, 36),
    documentNumber: span(2, 1, 9),
    documentNumberCheck: at(2, 10),
    nationality: span(2, 11, 13),
    birthDate: span(2, 14, 19),
    birthDateCheck: at(2, 20),
    sex: at(2, 21),
    expiryDate: span(2, 22, 27),
    expiryDateCheck: at(2, 28),
    optionalData: isVisa ? span(2, 29, 36) : span(2, 29, 35),
    personalNumberCheck: null,
    optionalData2: null,
    documentNumberMayContinue: !isVisa,
    composite: isVisa ? null : { check: at(2, 36), parts: [span(2, 1, 10), span(2, 14, 20), span(2, 22, 35)] },
  };
}

/** TD3 and MRV-A share their shape; they differ in the personal number and composite. */
function twoLinesOf44(format: 'TD3' | 'MRV-A'): MrzLayout {
  const span = spanIn(44);
  const at = positionIn(44);
  const isVisa = format === 'MRV-A';
  return {
    format,
    lineLength: 44,
    lineCount: 2,
    documentCode: span(1, 1, 2),
    issuingState: span(1, 3, 5),
    name: span(1, 6, 44),
    documentNumber: span(2, 1, 9),
    documentNumberCheck: at(2, 10),
    nationality: span(2, 11, 13),
    birthDate: span(2, 14, 19),
    birthDateCheck: at(2, 20),
    sex: at(2, 21),
    expiryDate: span(2, 22, 27),
    expiryDateCheck: at(2, 28),
    optionalData: isVisa ? span(2, 29, 44) : span(2, 29, 42),
    personalNumberCheck: isVisa ? null : at(2, 43),
    optionalData2: null,
    documentNumberMayContinue: false,
    composite: isVisa ? null : { check: at(2, 44), parts: [span(2, 1, 10), span(2, 14, 20), span(2, 22, 43)] },
  };
}

export const LAYOUTS: Readonly<Record<MrzFormat, MrzLayout>> = {
  TD1: td1(),
  TD2: twoLinesOf36('TD2'),
  TD3: twoLinesOf44('TD3'),
  'MRV-A': twoLinesOf44('MRV-A'),
  'MRV-B': twoLinesOf36('MRV-B'),
};

/** 1-based line and position of an offset in the joined text, for reports to the officer. */
export function lineAndPosition(layout: MrzLayout, offset: number): { line: number; position: number } {
  const line = Math.floor(offset / layout.lineLength);
  return { line: line + 1, position: offset - line * layout.lineLength + 1 };
}
