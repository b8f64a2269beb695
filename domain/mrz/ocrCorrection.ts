import { readBirthDate, readExpiryDate } from './dates';
import type { ReferenceDay } from './dates';
import { expectedDigit, guardedFields, isCompositeConsistent, isGuardedFieldConsistent } from './guardedFields';
import type { GuardedField } from './guardedFields';
import { lineAndPosition } from './layouts';
import type { MrzLayout, Span } from './layouts';
import type { MrzCorrection, MrzWarning } from './types';

/**
 * Repairs the misreadings OCR readers are known for (0/O, 1/I, 2/Z, 5/S, 8/B,
 * 6/G), only inside fields a check digit guards, and only when the check digit
 * then validates (and a date is then a real date):
 * - in a date or a check digit, where only digits belong, a confusable letter
 *   is replaced by its digit;
 * - in an alphanumeric field (document and personal numbers) one character is
 *   swapped with its look-alike; every swap that validates is a candidate,
 *   and one is applied only when it is the only explanation left (see settle).
 * Several candidates that all pass are ambiguous: nothing is applied and the
 * officer is told, with the possible readings.
 * Limits, inherent to mod-10 check digits: characters 10 apart in value (6 and
 * G, also 0/A/K/U and others) weigh the same, so a misreading between them
 * cannot be seen; and a misread that is no look-alike can happen to be
 * explained by a look-alike swap elsewhere in the same field. Every applied
 * correction is therefore reported, for the officer to compare with the page.
 */

interface Change {
  offset: number;
  from: string;
  to: string;
}

interface OcrRepair {
  text: string;
  corrections: MrzCorrection[];
  warnings: MrzWarning[];
}

const LOOK_ALIKES: ReadonlyArray<readonly [digit: string, letter: string]> = [
  ['0', 'O'],
  ['1', 'I'],
  ['2', 'Z'],
  ['5', 'S'],
  ['8', 'B'],
  ['6', 'G'],
];

const LOOK_ALIKE_OF = new Map<string, string>();
const DIGIT_FOR_LETTER = new Map<string, string>();
for (const [digit, letter] of LOOK_ALIKES) {
  LOOK_ALIKE_OF.set(digit, letter);
  LOOK_ALIKE_OF.set(letter, digit);
  DIGIT_FOR_LETTER.set(letter, digit);
}

function withChanges(text: string, changes: readonly Change[]): string {
  let result = text;
  for (const change of changes) {
    result = result.slice(0, change.offset) + change.to + result.slice(change.offset + 1);
  }
  return result;
}

function isAcceptable(text: string, guarded: GuardedField, today: ReferenceDay): boolean {
  if (!isGuardedFieldConsistent(text, guarded)) return false;
  const start = guarded.segments[0]?.start ?? guarded.check;
  if (guarded.field === 'birthDate') return readBirthDate(text, start, today).kind !== 'invalid';
  if (guarded.field === 'expiryDate') return readExpiryDate(text, start, today).kind !== 'invalid';
  return true;
}

/** Letters in places where only digits belong: the check digit always, every character of a date. */
function forcedChanges(text: string, guarded: GuardedField): Change[] {
  const changes: Change[] = [];
  const consider = (offset: number): void => {
    const from = text.charAt(offset);
    const to = DIGIT_FOR_LETTER.get(from);
    if (to !== undefined) changes.push({ offset, from, to });
  };
  if (guarded.numericOnly) {
    for (const segment of guarded.segments) {
      for (let i = segment.start; i < segment.end; i++) consider(i);
    }
  }
  consider(guarded.check);
  return changes;
}

/** Readings of an alphanumeric field that validate with one character swapped for its look-alike. */
function swapCandidates(base: string, forced: readonly Change[], guarded: GuardedField, today: ReferenceDay): Change[][] {
  const candidates: Change[][] = [];
  for (const segment of guarded.segments) {
    for (let offset = segment.start; offset < segment.end; offset++) {
      const from = base.charAt(offset);
      const to = LOOK_ALIKE_OF.get(from);
      if (to === undefined) continue;
      const swap = { offset, from, to };
      if (isAcceptable(withChanges(base, [swap]), guarded, today)) candidates.push([...forced, swap]);
    }
  }
  return candidates;
}

interface OpenField {
  guarded: GuardedField;
  candidates: Change[][];
  /**
   * The rival explanation: the data is right as read and its check digit is
   * the misread character. Never applied (a digit mistaken for another digit
   * is no look-alike), but a swap it cannot be told from is not applied either.
   */
  checkDigitMisread: Change[];
}

interface Applied {
  guarded: GuardedField;
  changes: readonly Change[];
}

/** Beyond this many combinations the zone is too damaged for corrections to mean anything. */
const MAX_COMBINATIONS = 256;

function checkDigitMisread(base: string, forced: readonly Change[], guarded: GuardedField): Change[] {
  const from = base.charAt(guarded.check);
  const to = String(expectedDigit(base, guarded.segments));
  return from === to ? [...forced] : [...forced, { offset: guarded.check, from, to }];
}

export function repairOcrConfusions(text: string, layout: MrzLayout, today: ReferenceDay): OcrRepair {
  let repaired = text;
  const applied: Applied[] = [];
  const open: OpenField[] = [];
  for (const guarded of guardedFields(text, layout)) {
    if (isAcceptable(repaired, guarded, today)) continue;
    const forced = forcedChanges(repaired, guarded);
    const base = withChanges(repaired, forced);
    if (forced.length > 0 && isAcceptable(base, guarded, today)) {
      // A letter where only a digit can stand is surely misread; the check digit picks the digit.
      repaired = base;
      applied.push({ guarded, changes: forced });
    } else if (!guarded.numericOnly) {
      const candidates = swapCandidates(base, forced, guarded, today);
      if (candidates.length > 0) open.push({ guarded, candidates, checkDigitMisread: checkDigitMisread(base, forced, guarded) });
    }
  }
  const settled = settle(repaired, layout, open);
  repaired = settled.text;
  applied.push(...settled.applied);
  const compositeHolds = isCompositeConsistent(repaired, layout);
  const corrections = applied.flatMap(({ guarded, changes }) =>
    changes.map((change) => ({
      field: guarded.field,
      ...lineAndPosition(layout, change.offset),
      from: change.from,
      to: change.to,
      confirmedByComposite: compositeHolds && isIndependentlyWeighed(layout, guarded, change.offset),
    })),
  );
  return { text: repaired, corrections, warnings: settled.warnings };
}

function weightIndexIn(segments: readonly Span[], offset: number): number | null {
  let index = 0;
  for (const segment of segments) {
    if (offset >= segment.start && offset < segment.end) return (index + offset - segment.start) % 3;
    index += segment.end - segment.start;
  }
  return null;
}

/**
 * Whether the composite check digit says anything about a character beyond
 * what its field's check digit said. Where the field sits in the composite at
 * the same weights (TD3 and TD2 document and personal numbers), any change
 * that satisfies the field's digit satisfies the composite too: no evidence.
 */
function isIndependentlyWeighed(layout: MrzLayout, guarded: GuardedField, offset: number): boolean {
  if (layout.composite === null) return false;
  const inComposite = weightIndexIn(layout.composite.parts, offset);
  if (inComposite === null) return false;
  // A check digit is compared, not weighed, in its field: the composite is the only sum it enters.
  if (offset === guarded.check) return true;
  return inComposite !== weightIndexIn(guarded.segments, offset);
}

interface Settlement {
  text: string;
  applied: Applied[];
  warnings: MrzWarning[];
}

/**
 * Swapping a character that is a valid MRZ character either way is a guess the
 * field's check digit alone cannot justify (the check digit itself may be the
 * misread one), so where the format has a composite check digit the swaps are
 * applied only as the one combination that satisfies it, and only when no
 * misread check digit satisfies it as well. Visas have no composite: there a
 * single validating swap is applied, reported as unconfirmed.
 */
function settle(text: string, layout: MrzLayout, open: readonly OpenField[]): Settlement {
  if (open.length === 0) return { text, applied: [], warnings: [] };
  if (layout.composite === null) return settleWithoutComposite(text, open);
  const combinations = combine(open);
  if (combinations === null) {
    return { text, applied: [], warnings: open.map((field) => doubtWarning(text, field, 'AMBIGUOUS_CORRECTION')) };
  }
  const passing = combinations.filter((choice) =>
    isCompositeConsistent(withChanges(text, choice.flatMap((option) => option.changes)), layout),
  );
  const [only] = passing;
  if (passing.length === 1 && only !== undefined && only.every((option) => option.isSwap)) {
    return {
      text: withChanges(text, only.flatMap((option) => option.changes)),
      applied: open.map((field, i) => ({ guarded: field.guarded, changes: only[i]?.changes ?? [] })),
      warnings: [],
    };
  }
  const code = passing.length === 0 ? 'UNCONFIRMED_CORRECTION' : 'AMBIGUOUS_CORRECTION';
  return { text, applied: [], warnings: open.map((field) => doubtWarning(text, field, code)) };
}

function settleWithoutComposite(text: string, open: readonly OpenField[]): Settlement {
  let result = text;
  const applied: Applied[] = [];
  const warnings: MrzWarning[] = [];
  for (const field of open) {
    const [only] = field.candidates;
    if (field.candidates.length === 1 && only !== undefined) {
      result = withChanges(result, only);
      applied.push({ guarded: field.guarded, changes: only });
    } else {
      warnings.push(doubtWarning(result, field, 'AMBIGUOUS_CORRECTION'));
    }
  }
  return { text: result, applied, warnings };
}

interface Option {
  changes: readonly Change[];
  isSwap: boolean;
}

/** Every choice of one reading per open field; null when there are too many to weigh. */
function combine(open: readonly OpenField[]): Option[][] | null {
  let combinations: Option[][] = [[]];
  for (const field of open) {
    const options: Option[] = [
      ...field.candidates.map((changes) => ({ changes, isSwap: true })),
      { changes: field.checkDigitMisread, isSwap: false },
    ];
    if (combinations.length * options.length > MAX_COMBINATIONS) return null;
    combinations = combinations.flatMap((chosen) => options.map((option) => [...chosen, option]));
  }
  return combinations;
}

function doubtWarning(
  text: string,
  { guarded, candidates }: OpenField,
  code: 'AMBIGUOUS_CORRECTION' | 'UNCONFIRMED_CORRECTION',
): MrzWarning {
  const readings = candidates.map((changes) => {
    const candidate = withChanges(text, changes);
    return guarded.segments.map((s) => candidate.slice(s.start, s.end)).join('');
  });
  const why =
    code === 'AMBIGUOUS_CORRECTION'
      ? `it could be corrected in more than one way (${readings.join(', ')}, or its check digit misread)`
      : `correcting a look-alike would satisfy it (${readings.join(', ')}) but the composite check digit confirms none`;
  return {
    code,
    field: guarded.field,
    message: `The ${guarded.field} check digit fails; ${why}, so nothing was applied. Compare with the printed page.`,
  };
}
