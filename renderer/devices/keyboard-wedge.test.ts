import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMrz } from '../../domain/mrz';
import { mrzDocumentArbitrary } from '../../domain/mrz/synthetic.arbitrary';
import { KeyboardWedgeDetector, replaySteps } from './keyboard-wedge';
import type { WedgeKey } from './keyboard-wedge';
import { DEFAULT_WEDGE_LAYOUT, QWERTZ_LATIN_LAYOUT, SERBIAN_CYRILLIC_LAYOUT } from './wedge-layouts';
import type { WedgeLayoutTable } from './wedge-layouts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

const MODIFIERS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta']);

/** Keys at the given gaps: gaps[i] is the time before key i (the first from 1000 ms). */
function timedKeys(keys: readonly string[], gap: (index: number) => number, startMs = 1000): WedgeKey[] {
  let clock = startMs;
  return keys.map((key, index) => {
    if (index > 0) clock += gap(index);
    return { key, timeMs: clock };
  });
}

/** What a reader types: each line's characters, then Enter. */
function readerKeys(lines: readonly string[], typed: (character: string) => string = (character) => character): string[] {
  return lines.flatMap((line) => [...[...line].map(typed), 'Enter']);
}

/**
 * Runs keys through a detector as the listener would, calling expire() at each deadline
 * the keys leave quiet. Returns what reached the page, in order, and the readings.
 */
function run(keys: readonly WedgeKey[], table: WedgeLayoutTable = DEFAULT_WEDGE_LAYOUT) {
  const detector = new KeyboardWedgeDetector(table);
  const page: string[] = [];
  const readings: string[] = [];
  const decisions: ('hold' | 'pass')[] = [];
  const apply = (effects: ReturnType<KeyboardWedgeDetector['expire']>) => {
    for (const effect of effects) {
      if (effect.kind === 'replay') page.push(...effect.keys.map((held) => held.key));
      else readings.push(effect.text);
    }
  };
  for (const key of keys) {
    const deadline = detector.deadline();
    if (deadline !== null && key.timeMs > deadline) apply(detector.expire(deadline + 1));
    const decision = detector.feed(key);
    apply(decision.effects);
    decisions.push(decision.key);
    if (decision.key === 'pass') page.push(key.key);
  }
  apply(detector.expire(Number.POSITIVE_INFINITY));
  return { page: page.filter((key) => !MODIFIERS.has(key)), readings, decisions };
}

/** A deterministic jitter so the timings are irregular the way real ones are. */
function jitter(seed: number, min: number, max: number): (index: number) => number {
  return (index) => min + ((index * 7919 + seed * 104729) % (max - min + 1));
}

const LATIN_FOR_CYRILLIC = Object.fromEntries(
  Object.entries(SERBIAN_CYRILLIC_LAYOUT.map)
    .filter(([cyrillic]) => /\p{Script=Cyrillic}/u.test(cyrillic))
    .map(([cyrillic, latin]) => [latin, cyrillic]),
);

/** What a reader set to US types on the Serbian (Cyrillic) layout. */
const onSerbianCyrillic = (character: string) => (character === '<' ? ';' : (LATIN_FOR_CYRILLIC[character] ?? character));
/** What a reader set to US types on a QWERTZ Latin layout. */
const onQwertz = (character: string) => ({ '<': ';', Y: 'Z', Z: 'Y' })[character] ?? character;

describe('keyboard-wedge detector', () => {
  it('gives every held key back at once, in order, when text arrives without a key press', () => {
    const detector = new KeyboardWedgeDetector(DEFAULT_WEDGE_LAYOUT);
    for (const [index, key] of [...'PRIMJER'].entries()) expect(detector.feed({ key, timeMs: 1000 + index * 5 }).key).toBe('hold');
    expect(detector.release()).toEqual([{ kind: 'replay', keys: [...'PRIMJER'].map((key, index) => ({ key, timeMs: 1000 + index * 5 })) }]);
    expect(detector.holding()).toBe(0);
    expect(detector.release()).toEqual([]);
  });

  it('takes a reader burst (a TD3 zone, 4 ms a key, Enter after each line) as a reading, and none of it reaches the page', () => {
    const { page, readings, decisions } = run(timedKeys(readerKeys(TD3), () => 4));
    expect(readings).toEqual([TD3.join('\n')]);
    expect(page).toEqual([]);
    expect(decisions.every((decision) => decision === 'hold')).toBe(true);
  });

  it('takes irregular reader timings (2–15 ms, a longer pause after each Enter) for TD1 and TD2 zones', () => {
    for (const zone of [TD1, TD2]) {
      const keys = readerKeys(zone);
      const gaps = jitter(3, 2, 15);
      const timed = timedKeys(keys, (index) => (keys[index - 1] === 'Enter' ? 90 : gaps(index)));
      expect(run(timed).readings).toEqual([zone.join('\n')]);
    }
  });

  it('splits a zone the reader types as one line', () => {
    expect(run(timedKeys([...TD3.join(''), 'Enter'], () => 3)).readings).toEqual([TD3.join('\n')]);
  });

  it('swallows the extra Enter a reader sends after a zone, but not an Enter typed later', () => {
    const keys = timedKeys([...readerKeys(TD3), 'Enter'], () => 5);
    const later = { key: 'Enter', timeMs: (keys.at(-1)?.timeMs ?? 0) + 500 };
    const { page, readings } = run([...keys, later]);
    expect(readings).toEqual([TD3.join('\n')]);
    expect(page).toEqual(['Enter']);
  });

  it('reads a burst on the Serbian Cyrillic layout: Cyrillic letters and ";" map back to the zone', () => {
    const keys = readerKeys(TD3, onSerbianCyrillic);
    expect(keys.slice(0, 6)).toEqual(['П', ';', 'У', 'Т', 'О', 'Е']);
    expect(run(timedKeys(keys, () => 6)).readings).toEqual([TD3.join('\n')]);
  });

  it('reads a burst on a QWERTZ layout with the QWERTZ table (Y and Z swapped back, ";" for "<")', () => {
    const zone = ['P<UTOZYZZYX<<YVONNE<<<<<<<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    const keys = timedKeys(readerKeys(zone, onQwertz), () => 6);
    expect(run(keys, QWERTZ_LATIN_LAYOUT).readings).toEqual([zone.join('\n')]);
  });

  it('gives a fast typist every key back, in order, with Enter after the text', () => {
    const typed = [...'Ovo je brzo kucanje, 120 znakova u minuti', 'Enter'];
    // 60–140 ms between keys, with a few 30 ms rollovers: fast, but a person.
    const gaps = jitter(11, 60, 140);
    const keys = timedKeys(typed, (index) => (index % 9 === 0 ? 30 : gaps(index)));
    const { page, readings } = run(keys);
    expect(readings).toEqual([]);
    expect(page).toEqual(typed);
  });

  it('gives a person typing a passport number every key back in order', () => {
    const typed = ['Shift', 'A', 'Shift', 'B', ...'1234567', 'Enter'];
    const { page, readings, decisions } = run(timedKeys(typed, jitter(5, 120, 260)));
    expect(readings).toEqual([]);
    expect(page).toEqual(['A', 'B', ...'1234567', 'Enter']);
    expect(decisions.at(-1)).toBe('pass');
  });

  it('gives back a fast burst that is not a zone (a barcode scanner typing 13 digits and Enter)', () => {
    const typed = [...'3870000123456', 'Enter'];
    const { page, readings } = run(timedKeys(typed, () => 3));
    expect(readings).toEqual([]);
    expect(page).toEqual(typed);
  });

  it('gives back a burst that stalls mid-line', () => {
    const keys = readerKeys(TD3);
    const { page, readings } = run(timedKeys(keys, (index) => (index === 20 ? 80 : 4)));
    expect(readings).toEqual([]);
    expect(page).toEqual(keys);
  });

  it('gives back lines of different widths, and a line typed at an even 40 ms (under the gap limit, over the median)', () => {
    const mixed = readerKeys([TD3[0] ?? '', TD2[1] ?? '']);
    expect(run(timedKeys(mixed, () => 4))).toMatchObject({ readings: [], page: mixed });
    const even = readerKeys(TD1);
    const evenGaps = (index: number) => (even[index] === 'Enter' ? 5 : 40);
    expect(run(timedKeys(even, evenGaps))).toMatchObject({ readings: [], page: even });
  });

  it('gives back what it holds before a shortcut, which then passes', () => {
    const keys: WedgeKey[] = [
      { key: 'A', timeMs: 0 },
      { key: 'B', timeMs: 10 },
      { key: 'v', timeMs: 20, command: true },
    ];
    const { page, decisions } = run(keys);
    expect(page).toEqual(['A', 'B', 'v']);
    expect(decisions).toEqual(['hold', 'hold', 'pass']);
  });

  it('replays the characters as typed, not as mapped', () => {
    const { page } = run(timedKeys(['Љ', 'Ш', ';'], () => 10));
    expect(page).toEqual(['Љ', 'Ш', ';']);
  });
});

describe('replay steps', () => {
  it('groups held characters into text and keeps Enter as its own step', () => {
    const held = ['A', 'b', 'Љ', 'Enter', '1', 'Enter', 'Enter'].map((key, index) => ({ key, timeMs: index }));
    expect(replaySteps(held)).toEqual([{ kind: 'text', text: 'AbЉ' }, { kind: 'enter' }, { kind: 'text', text: '1' }, { kind: 'enter' }, { kind: 'enter' }]);
  });
});

describe('keyboard-wedge detector properties', () => {
  const keyPool = fc.constantFrom(...'ABCXYZ0189<;abc šćЉЊШ.,'.split(''), 'Enter', 'Backspace', 'Tab', 'Shift', 'Dead', 'ArrowLeft');

  it('gives a person every key back, in order, at any pace slower than a reader', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyPool, fc.integer({ min: 55, max: 600 })), { maxLength: 80 }), (typed) => {
        let clock = 0;
        const keys = typed.map(([key, gap]) => ({ key, timeMs: (clock += gap) }));
        const { page, readings } = run(keys);
        expect(readings).toEqual([]);
        expect(page).toEqual(keys.map((key) => key.key).filter((key) => !MODIFIERS.has(key)));
      }),
      { numRuns: 300 },
    );
  });

  it('at any pace: never invents or reorders a key; when no reading came, every key reached the page', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(keyPool, fc.integer({ min: 0, max: 150 }), fc.boolean()), { maxLength: 150 }), (typed) => {
        let clock = 0;
        const keys = typed.map(([key, gap, command]) => ({ key, timeMs: (clock += gap), command }));
        const { page, readings } = run(keys);
        const sent = keys.map((key) => key.key).filter((key) => !MODIFIERS.has(key));
        let cursor = 0;
        for (const key of page) {
          cursor = sent.indexOf(key, cursor) + 1;
          expect(cursor).toBeGreaterThan(0);
        }
        if (readings.length === 0) expect(page).toEqual(sent);
      }),
      { numRuns: 300 },
    );
  });

  it('reads any document a reader types at 1–15 ms a key', () => {
    fc.assert(
      fc.property(mrzDocumentArbitrary(), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 0, max: 1000 }), (document, maxGap, seed) => {
        const built = buildMrz(document);
        if (!built.ok) throw new Error(built.error.message);
        const keys = timedKeys(readerKeys(built.lines), jitter(seed, 1, maxGap));
        const { page, readings } = run(keys);
        expect(readings).toEqual([built.lines.join('\n')]);
        expect(page).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
