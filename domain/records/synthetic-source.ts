import { createIdGenerator } from '../ids';
import { latinToSerbianCyrillic } from '../names';

/**
 * The seeded randomness synthetic records are drawn from: the same seed gives the
 * same records, ids included, so a failing test or a benchmark can be replayed. Names
 * are random syllables, never anyone's, drawn from pools (as real names repeat, and
 * so that their search keys are computed once: a million records take seconds).
 */
export interface SyntheticSource {
  /** Uniform in [0, 1). */
  random(): number;
  /** An integer in [min, max], both included. */
  integer(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** A UUIDv7 for a record made at `at`, from this source's randomness. */
  id(at: number): string;
  /** The synthetic station clock: each call moves it on by 1 s to 2 min. */
  nextInstant(): number;
  readonly stationId: string;
  readonly officerIds: readonly string[];
  /** One of a few thousand random surnames, some double-barrelled, one in twenty in Cyrillic. */
  surname(): string;
  /** Given names; some have two. */
  givenNames(): string;
  /** A word of random syllables, capitalised: street, place and provider names. */
  word(): string;
}

export interface SyntheticOptions {
  /** Where the synthetic clock starts. Default 2024-01-01T00:00:00Z. */
  from?: number;
  stationId?: string;
  officerIds?: readonly string[];
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): fast, 128 bits of state. */
function sfc32(seed: number): () => number {
  // splitmix32 spreads a small seed over the whole state.
  let mixer = seed >>> 0;
  const nextSeedWord = () => {
    mixer = (mixer + 0x9e3779b9) | 0;
    let z = mixer;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = nextSeedWord();
  let b = nextSeedWord();
  let c = nextSeedWord();
  let d = nextSeedWord();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
}

const SYLLABLES = [
  'ka', 'ro', 'vi', 'mi', 'lo', 'na', 'bo', 'de', 'si', 'ta', 'ne', 'ju', 'ra', 'ko', 'le', 'pa', 'zu', 'me',
  'ša', 'če', 'ći', 'đu', 'ža', 'šo', 'ču', 'ljo', 'nje', 'dža', 'vo', 'ha', 'ze', 'fi', 'gu', 'tre', 'bra', 'sta',
];
const SURNAME_ENDINGS = ['', '', 'ić', 'ović', 'ević', 'ski', 'ov', 'ova', 'escu', 'oğlu', 'sen', 'er', 'ani'];
const SURNAME_POOL_SIZE = 5_000;
const GIVEN_NAMES_POOL_SIZE = 1_500;
const CYRILLIC_SHARE = 0.05;

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function syntheticSource(seed: number, options: SyntheticOptions = {}): SyntheticSource {
  const random = sfc32(seed);
  const integer = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  };
  const syllables = (min: number, max: number) => {
    let text = '';
    for (let count = integer(min, max); count > 0; count--) text += pick(SYLLABLES);
    return text;
  };
  const pooled = (name: string) => (random() < CYRILLIC_SHARE ? latinToSerbianCyrillic(name) : name);
  const surname = () => capitalised(syllables(2, 3) + pick(SURNAME_ENDINGS));
  const surnames = Array.from({ length: SURNAME_POOL_SIZE }, () => pooled(random() < 0.1 ? `${surname()}-${surname()}` : surname()));
  const givenNames = Array.from({ length: GIVEN_NAMES_POOL_SIZE }, () =>
    pooled(random() < 0.15 ? `${capitalised(syllables(1, 3))} ${capitalised(syllables(1, 2))}` : capitalised(syllables(1, 3))),
  );
  const idBytes = (bytes: Uint8Array) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  };
  let clock = options.from ?? Date.UTC(2024, 0, 1);

  return {
    random,
    integer,
    pick,
    chance: (probability) => random() < probability,
    id: createIdGenerator(idBytes),
    nextInstant: () => (clock += integer(1_000, 120_000)),
    stationId: options.stationId ?? 'synthetic-station-1',
    officerIds: options.officerIds ?? ['synthetic-officer-1', 'synthetic-officer-2', 'synthetic-officer-3'],
    surname: () => pick(surnames),
    givenNames: () => pick(givenNames),
    word: () => capitalised(syllables(2, 4)),
  };
}
