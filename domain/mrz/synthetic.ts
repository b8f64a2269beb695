import type { MrzBuildInput } from './build';
import { listStateCodes } from './stateCodes';
import type { MrzFields, MrzFormat, MrzSex } from './types';

/**
 * Synthetic travel documents for tests, benchmarks and device simulators:
 * random letters for names, random numbers, never anyone's real data. Every
 * generated document is one `buildMrz` lays out without error and `parseMrz`
 * reads back unchanged (given the same `today`): names leave at least one
 * filler, dates fall in the parser's century windows.
 *
 * The choices are written against `RandomSource`, so the same rules drive the
 * seeded generator here and the fast-check arbitrary (synthetic.arbitrary.ts,
 * kept apart so that production code never loads fast-check).
 */

export interface RandomSource {
  /** An integer in [min, max], both included. */
  integer(min: number, max: number): number;
}

export interface SyntheticOptions {
  formats?: readonly MrzFormat[];
  /** The day the documents are generated for; birth dates precede it. Default: now. */
  today?: Date;
}

export const ALL_FORMATS: readonly MrzFormat[] = ['TD1', 'TD2', 'TD3', 'MRV-A', 'MRV-B'];

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = `${LETTERS}0123456789`;
const STATE_CODES = listStateCodes().map((state) => state.code);
const SEXES: readonly MrzSex[] = ['M', 'F', 'X', 'unspecified'];
const DAY_MS = 86_400_000;

/** Characters the name field holds, per format (the zone minus code and state). */
const NAME_CAPACITY: Readonly<Record<MrzFormat, number>> = { TD1: 30, TD2: 31, TD3: 39, 'MRV-A': 39, 'MRV-B': 31 };

/** Optional data capacity; TD1 and TD2 share it with a continued document number. */
const OPTIONAL_CAPACITY: Readonly<Record<MrzFormat, number>> = { TD1: 15, TD2: 7, TD3: 14, 'MRV-A': 16, 'MRV-B': 8 };

function pick<T>(random: RandomSource, items: readonly T[]): T {
  const item = items[random.integer(0, items.length - 1)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function word(random: RandomSource, alphabet: string, min: number, max: number): string {
  let result = '';
  const length = random.integer(min, max);
  for (let i = 0; i < length; i++) result += alphabet.charAt(random.integer(0, alphabet.length - 1));
  return result;
}

/** Up to `capacity` characters of words joined by single spaces (fillers in the zone). */
function spacedWords(random: RandomSource, alphabet: string, capacity: number): string {
  let result = '';
  const words = random.integer(0, 3);
  for (let i = 0; i < words; i++) {
    const room = capacity - result.length - (result === '' ? 0 : 1);
    if (room < 1) break;
    const next = word(random, alphabet, 1, Math.min(room, 8));
    result = result === '' ? next : `${result} ${next}`;
  }
  return result;
}

function names(random: RandomSource, capacity: number): { surname: string; givenNames: string } {
  // One filler stays free at the end, so the name never looks truncated.
  const room = capacity - 1;
  const surname = spacedWords(random, LETTERS, Math.min(room, 20)) || word(random, LETTERS, 1, 8);
  const givenRoom = room - surname.length - 2;
  const givenNames = givenRoom >= 1 ? spacedWords(random, LETTERS, givenRoom) : '';
  return { surname, givenNames };
}

function documentCode(random: RandomSource, format: MrzFormat): string {
  const first = format === 'TD3' ? 'P' : format.startsWith('MRV') ? 'V' : pick(random, ['A', 'C', 'I']);
  if (random.integer(0, 1) === 0) return first;
  // ICAO forbids V as the second character of a card's code (it would read as a visa); passports here avoid it too.
  const seconds = first === 'V' ? LETTERS : LETTERS.replace('V', '');
  return first + seconds.charAt(random.integer(0, seconds.length - 1));
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function birthDate(random: RandomSource, todayMs: number): string {
  const full = isoDay(todayMs - random.integer(0, 99 * 365) * DAY_MS);
  const shape = random.integer(0, 99);
  if (shape === 0) return '';
  if (shape === 1) return full.slice(0, 4);
  if (shape === 2) return full.slice(0, 7);
  return full;
}

function numberAndOptionalData(random: RandomSource, format: MrzFormat) {
  const capacity = OPTIONAL_CAPACITY[format];
  const continues = (format === 'TD1' || format === 'TD2') && random.integer(0, 9) === 0;
  if (!continues) {
    return { documentNumber: word(random, ALPHANUMERIC, 1, 9), optional: spacedWords(random, ALPHANUMERIC, capacity) };
  }
  // The rest of the number, its check digit and a filler come before the optional data.
  const rest = random.integer(1, capacity - 3);
  return {
    documentNumber: word(random, ALPHANUMERIC, 9, 9) + word(random, ALPHANUMERIC, rest, rest),
    optional: spacedWords(random, ALPHANUMERIC, capacity - rest - 2),
  };
}

export function generateDocument(random: RandomSource, formats: readonly MrzFormat[], today: Date): MrzBuildInput {
  const format = pick(random, formats);
  const todayMs = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  const { surname, givenNames } = names(random, NAME_CAPACITY[format]);
  const { documentNumber, optional } = numberAndOptionalData(random, format);
  const document: MrzBuildInput = {
    format,
    documentCode: documentCode(random, format),
    issuingState: pick(random, STATE_CODES),
    surname,
    givenNames,
    documentNumber,
    nationality: pick(random, STATE_CODES),
    birthDate: birthDate(random, todayMs),
    sex: pick(random, SEXES),
    expiryDate: isoDay(todayMs + random.integer(-20 * 365, 15 * 365) * DAY_MS),
  };
  if (format === 'TD3') document.personalNumber = optional;
  else document.optionalData = optional;
  if (format === 'TD1') document.optionalData2 = spacedWords(random, ALPHANUMERIC, 11);
  return document;
}

/** Mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return {
    integer(min: number, max: number): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      return min + Math.floor(unit * (max - min + 1));
    },
  };
}

/** `count` synthetic documents, the same ones for the same seed and options. */
export function syntheticMrzDocuments(count: number, seed: number, options: SyntheticOptions = {}): MrzBuildInput[] {
  const random = seededRandom(seed);
  const formats = options.formats ?? ALL_FORMATS;
  const today = options.today ?? new Date();
  const documents: MrzBuildInput[] = [];
  for (let i = 0; i < count; i++) documents.push(generateDocument(random, formats, today));
  return documents;
}

/** The fields `parseMrz` reads back from the zone `buildMrz` lays out for `input`. */
export function expectedFieldsOf(input: MrzBuildInput): MrzFields {
  const { format: _format, ...fields } = input;
  return {
    ...fields,
    birthDate: input.birthDate === '' ? null : input.birthDate,
    expiryDate: input.expiryDate === '' ? null : input.expiryDate,
  };
}
