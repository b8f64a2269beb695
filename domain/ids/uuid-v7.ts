/**
 * Record ids made on the station, offline: RFC 9562 UUID version 7.
 *
 *   48 bits  Unix time in milliseconds
 *    4 bits  version (0111)
 *   12 bits  counter, high part   (rand_a)
 *    2 bits  variant (10)
 *   62 bits  30 more counter bits, then 32 random bits (rand_b)
 *
 * The 42-bit counter is RFC 9562 method 1 ("fixed bit-length dedicated counter"): it
 * starts at a random value below 2^41 each new millisecond and counts up within it,
 * so ids made by one process sort in the order they were made, and the 2^41 of
 * headroom cannot run out in a millisecond. The random start and the 32 random bits
 * keep ids made on different stations apart.
 */

/** Raised for text read as an id that is not one of ours. */
export class IdError extends Error {
  readonly code = 'NOT_A_UUID_V7';

  constructor(message: string) {
    super(message);
    this.name = 'IdError';
  }
}

/** Lower case only: one id has one spelling, so it can never be two primary keys. */
export const UUID_V7_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';
const UUID_V7 = new RegExp(UUID_V7_PATTERN);

const MAX_TIMESTAMP = 2 ** 48 - 1;
const COUNTER_LIMIT = 2 ** 42;

/**
 * A clock stepped back by at most this much (NTP corrections, leap-second smearing)
 * keeps the previous timestamp, so ids stay in order. A larger step is a deliberate
 * correction of a wrong clock: later ids carry the corrected time rather than a wrong
 * one for hours.
 */
const CLOCK_STEP_BACK_TOLERANCE_MS = 10_000;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Fills the array with random bytes; crypto.getRandomValues unless a test or benchmark seeds its own. */
export type RandomFill = (bytes: Uint8Array) => void;

// getRandomValues is called for a pool of bytes at a time: one call per id costs more
// than the rest of the id put together.
function pooledCryptoRandom(): (count: number) => Uint8Array {
  const pool = new Uint8Array(4096);
  let used = pool.length;
  return (count) => {
    if (used + count > pool.length) {
      globalThis.crypto.getRandomValues(pool);
      used = 0;
    }
    used += count;
    return pool.subarray(used - count, used);
  };
}

function randomFrom(fill: RandomFill): (count: number) => Uint8Array {
  const bytes = new Uint8Array(8);
  return (count) => {
    const view = bytes.subarray(0, count);
    fill(view);
    return view;
  };
}

function checkedTimestamp(now: number): number {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIMESTAMP) {
    throw new RangeError(`A UUIDv7 timestamp is a whole number of milliseconds from 0 to 2^48-1, not ${now}`);
  }
  return now;
}

/**
 * A generator of ids with its own ordering state. The station uses the one behind
 * `newId`; seeded generators make synthetic data reproducible.
 */
export function createIdGenerator(fill?: RandomFill): (now?: number) => string {
  const random = fill ? randomFrom(fill) : pooledCryptoRandom();
  let lastTimestamp = -1;
  let counter = 0;

  return (now = Date.now()) => {
    let timestamp = checkedTimestamp(now);
    const steppedBack = timestamp < lastTimestamp && lastTimestamp - timestamp <= CLOCK_STEP_BACK_TOLERANCE_MS;
    if (timestamp === lastTimestamp || steppedBack) {
      timestamp = lastTimestamp;
      counter += 1;
      // RFC 9562 6.2: on counter overflow, move the timestamp on by one millisecond.
      if (counter >= COUNTER_LIMIT && timestamp < MAX_TIMESTAMP) {
        timestamp += 1;
        counter = 0;
      }
    } else {
      counter = counterSeed(random(6));
    }
    lastTimestamp = timestamp;
    return format(timestamp, counter, random(4));
  };
}

/** 41 random bits (six bytes, the first one's top seven bits dropped). */
function counterSeed(bytes: Uint8Array): number {
  let seed = bytes[0]! & 0x01;
  for (let i = 1; i < 6; i++) seed = seed * 256 + bytes[i]!;
  return seed;
}

function format(timestamp: number, counter: number, tail: Uint8Array): string {
  const timeHigh = Math.floor(timestamp / 2 ** 32); // 16 bits
  const timeLow = timestamp >>> 0; // 32 bits
  const counterHigh = Math.floor(counter / 2 ** 30); // 12 bits: rand_a
  const counterLow = counter % 2 ** 30; // 30 bits: the top of rand_b
  return (
    HEX[timeHigh >>> 8]! +
    HEX[timeHigh & 0xff]! +
    HEX[timeLow >>> 24]! +
    HEX[(timeLow >>> 16) & 0xff]! +
    '-' +
    HEX[(timeLow >>> 8) & 0xff]! +
    HEX[timeLow & 0xff]! +
    '-' +
    HEX[0x70 | (counterHigh >>> 8)]! +
    HEX[counterHigh & 0xff]! +
    '-' +
    HEX[0x80 | (counterLow >>> 24)]! +
    HEX[(counterLow >>> 16) & 0xff]! +
    '-' +
    HEX[(counterLow >>> 8) & 0xff]! +
    HEX[counterLow & 0xff]! +
    HEX[tail[0]!]! +
    HEX[tail[1]!]! +
    HEX[tail[2]!]! +
    HEX[tail[3]!]!
  );
}

/** A new record id for a record made at `now` (the station clock, ms since the epoch). */
export const newId: (now?: number) => string = createIdGenerator();

export function isUuidV7(text: string): boolean {
  return UUID_V7.test(text);
}

/** When the id was made, in ms since the epoch, by the clock of the station that made it. */
export function timestampOfUuidV7(id: string): number {
  if (!isUuidV7(id)) throw new IdError(`"${id}" is not a UUID version 7`);
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
