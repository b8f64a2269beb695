import { describe, expect, it } from 'vitest';
import { buildMrz } from './build';
import { parseMrz } from './parse';
import { expectedFieldsOf, seededRandom, syntheticMrzDocuments } from './synthetic';
import type { RandomSource } from './synthetic';
import type { MrzFields } from './types';

/**
 * The acceptance run: 100,000 generated documents round-trip and 1,000,000
 * random inputs parse without a throw. `npm test` runs a fiftieth of it;
 * MRZ_FULL=1 runs it all (15-25 s) and prints the figures.
 */
const FULL = process.env.MRZ_FULL === '1';
const ROUND_TRIPS = FULL ? 100_000 : 2_000;
const RANDOM_INPUTS = FULL ? 1_000_000 : 20_000;
const today = new Date(2025, 5, 1);

const ZONE_SHAPES: ReadonlyArray<readonly [lineLength: number, lineCount: number]> = [
  [30, 3],
  [36, 2],
  [44, 2],
];
const MRZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<';
const NOISE = `${MRZ_ALPHABET}<<<<<<<<OIZSBG  \n\r\t«;abcxyzÖČ€\u0000\uD800`;

function sameFields(actual: MrzFields, expected: MrzFields): boolean {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const key of keys) {
    if (actual[key as keyof MrzFields] !== expected[key as keyof MrzFields]) return false;
  }
  return true;
}

function textOf(random: RandomSource, alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet.charAt(random.integer(0, alphabet.length - 1));
  return text;
}

function unicodeText(random: RandomSource, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    // Whole range of UTF-16 units, lone surrogates included.
    text += String.fromCharCode(random.integer(0, 0xffff));
  }
  return text;
}

/** Valid zones with a few random edits: substitutions, insertions, deletions. */
function damagedZone(random: RandomSource, zone: string): string {
  let text = zone;
  const edits = random.integer(1, 4);
  for (let i = 0; i < edits; i++) {
    const at = random.integer(0, text.length);
    const kind = random.integer(0, 2);
    const character = NOISE.charAt(random.integer(0, NOISE.length - 1));
    if (kind === 0) text = text.slice(0, at) + character + text.slice(at + 1);
    else if (kind === 1) text = text.slice(0, at) + character + text.slice(at);
    else text = text.slice(0, at) + text.slice(at + 1);
  }
  return text;
}

function randomValue(random: RandomSource, depth: number): unknown {
  switch (random.integer(0, 8)) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return random.integer(-1e9, 1e9) / 7;
    case 3:
      return random.integer(0, 1) === 1;
    case 4:
      return { lines: textOf(random, MRZ_ALPHABET, 44) };
    case 5:
      return depth > 2 ? [] : Array.from({ length: random.integer(0, 4) }, () => randomValue(random, depth + 1));
    case 6:
      return Symbol('mrz');
    case 7:
      return new Date(random.integer(0, 2e12));
    default:
      return unicodeText(random, random.integer(0, 10));
  }
}

describe(`acceptance run (${FULL ? 'full' : 'reduced; MRZ_FULL=1 for the full counts'})`, () => {
  it(`round-trips ${ROUND_TRIPS.toLocaleString('en')} generated documents`, { timeout: 600_000 }, () => {
    let failures = 0;
    for (const input of syntheticMrzDocuments(ROUND_TRIPS, 9303, { today })) {
      const built = buildMrz(input);
      const result = built.ok ? parseMrz(built.lines.join('\n'), { today }) : null;
      const good = result?.ok === true && result.document.valid && sameFields(result.document.fields, expectedFieldsOf(input));
      if (!good) failures++;
    }
    console.log(`mrz acceptance: ${ROUND_TRIPS - failures}/${ROUND_TRIPS} generated documents round-tripped`);
    expect(failures).toBe(0);
  });

  it(`parses ${RANDOM_INPUTS.toLocaleString('en')} random inputs without a throw`, { timeout: 600_000 }, () => {
    const random = seededRandom(1974);
    const zones = syntheticMrzDocuments(1_000, 2012, { today }).flatMap((input) => {
      const built = buildMrz(input);
      return built.ok ? [built.lines.join(random.integer(0, 1) === 0 ? '\n' : '\r\n')] : [];
    });
    const outcomes = new Map<string, number>();
    let throws = 0;
    for (let i = 0; i < RANDOM_INPUTS; i++) {
      let input: unknown;
      switch (i % 5) {
        case 0:
          input = unicodeText(random, random.integer(0, 120));
          break;
        case 1: {
          const [length, count] = ZONE_SHAPES[random.integer(0, ZONE_SHAPES.length - 1)] ?? [44, 2];
          input = Array.from({ length: count }, () => textOf(random, `${MRZ_ALPHABET}<<<<<<OIZSBG`, length));
          break;
        }
        case 2:
          input = damagedZone(random, zones[random.integer(0, zones.length - 1)] ?? '');
          break;
        case 3:
          input = Array.from({ length: random.integer(0, 4) }, () => textOf(random, NOISE, random.integer(0, 50)));
          break;
        default:
          input = randomValue(random, 0);
      }
      try {
        const result = parseMrz(input, { today });
        const outcome = result.ok ? (result.document.valid ? 'valid' : 'invalid') : result.error.code;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      } catch (error) {
        throws++;
        if (throws <= 3) console.log('mrz acceptance: threw on', JSON.stringify(String(input)), error);
      }
    }
    const summary = [...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', ');
    console.log(`mrz acceptance: ${RANDOM_INPUTS - throws}/${RANDOM_INPUTS} random inputs without a throw (${summary})`);
    expect(throws).toBe(0);
  });
});
