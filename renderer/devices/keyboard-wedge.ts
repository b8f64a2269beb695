import { DEFAULT_WEDGE_LAYOUT, mrzCharacterFor } from './wedge-layouts';
import type { WedgeLayoutTable } from './wedge-layouts';

/**
 * Tells a keyboard-wedge MRZ reader's burst of keystrokes from a person typing, from the
 * keys and their times alone (pure: the DOM side is keyboard-wedge-listener.ts).
 *
 * A reader types a zone's lines, each ended by Enter: 30, 36 or 44 MRZ characters a
 * few ms apart. A person is slower and irregular: even a very fast typist leaves 60 ms or
 * more between most keys. So:
 *
 * - every MRZ character (after the layout table) is held from the first one on: it does not
 *   reach the focused field while a burst is possible;
 * - a gap of more than maxKeyGapMs (50 ms) inside a line, or of more than maxLineGapMs
 *   (100 ms) after an Enter, ends the burst;
 * - at an Enter, the line must be 30, 36 or 44 characters (the same as the lines before
 *   it), and the median gap between keys so far at most maxMedianGapMs (20 ms); a whole
 *   zone typed as one line (72, 88 or 90 characters) is split into its lines;
 * - two lines of 36 or 44, or three of 30, are a reading: handed over at once, and an
 *   extra Enter the reader sends right after it is swallowed;
 * - anything else (a slow key, a key that is not an MRZ character, a modifier shortcut, a
 *   line of the wrong length, the zone left unfinished) means it was not a reader, or not
 *   an MRZ: every held key is replayed, in order, before the key that decided it.
 *
 * Nothing a person types is lost; it reaches the field up to maxKeyGapMs late.
 */

export interface WedgeThresholds {
  /** Longest gap between two keys of one line. */
  maxKeyGapMs: number;
  /** Longest median gap between the keys of a burst. */
  maxMedianGapMs: number;
  /** Longest wait for the next line after an Enter. */
  maxLineGapMs: number;
}

export const DEFAULT_WEDGE_THRESHOLDS: WedgeThresholds = { maxKeyGapMs: 50, maxMedianGapMs: 20, maxLineGapMs: 100 };

/** A keydown, as much of it as the detector needs. */
export interface WedgeKey {
  /** KeyboardEvent.key. */
  key: string;
  /** KeyboardEvent.timeStamp, ms. */
  timeMs: number;
  /** Ctrl, Alt or Meta held (AltGr excluded): a shortcut, never a reader's key. */
  command?: boolean;
  /** Auto-repeat or an input method composing: never a reader's key. */
  repeat?: boolean;
}

/** A key kept from the page, as it was pressed. */
export interface HeldKey {
  key: string;
  timeMs: number;
}

export type WedgeEffect =
  /** Give these keys to the page after all, in order. */
  | { kind: 'replay'; keys: HeldKey[] }
  /** A reader's zone: lines joined by '\n'. */
  | { kind: 'reading'; text: string };

export interface WedgeDecision {
  /** What to do first: replay held keys, hand over a reading. */
  effects: WedgeEffect[];
  /** What to do with this key: keep it from the page, or let it through. */
  key: 'hold' | 'pass';
}

/** Keys that come and go around a reader's characters (Shift for capitals) and decide nothing. */
const MODIFIER_KEYS = new Set(['Shift', 'CapsLock', 'Control', 'Alt', 'AltGraph', 'Meta', 'NumLock', 'OS']);

/** One line can be a whole zone typed without line breaks. */
const LINE_WIDTHS = new Set([30, 36, 44]);
const WHOLE_ZONE_WIDTHS: ReadonlyMap<number, number> = new Map([
  [72, 36],
  [88, 44],
  [90, 30],
]);
const LONGEST_LINE = 90;

function linesInZone(width: number): number {
  return width === 30 ? 3 : 2;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

type Phase =
  | { kind: 'idle' }
  /** Inside a line of a possible burst. */
  | { kind: 'line' }
  /** A line ended with Enter; the next may follow. */
  | { kind: 'between-lines' }
  /** A reading was just handed over; a trailing Enter is the reader's. */
  | { kind: 'after-reading' };

export class KeyboardWedgeDetector {
  private phase: Phase = { kind: 'idle' };
  private held: HeldKey[] = [];
  private lines: string[] = [];
  private line = '';
  private gaps: number[] = [];
  private lastTimeMs = 0;

  constructor(
    private table: WedgeLayoutTable = DEFAULT_WEDGE_LAYOUT,
    private readonly thresholds: WedgeThresholds = DEFAULT_WEDGE_THRESHOLDS,
  ) {}

  /** Changes the layout table (e.g. once the browser has told the station's layout). */
  setLayout(table: WedgeLayoutTable): void {
    this.table = table;
  }

  /** How many keys are held now: 1 when this key started a new batch. */
  holding(): number {
    return this.held.length;
  }

  /**
   * Gives every held key back at once: text reached the page without a key press the
   * detector saw (an input method, a character picker), so what was held must go in
   * first, before it, and no reader types that way.
   */
  release(): WedgeEffect[] {
    return this.giveBack();
  }

  /** When expire() must be called if no key comes first; null when nothing is pending. */
  deadline(): number | null {
    switch (this.phase.kind) {
      case 'idle':
        return null;
      case 'line':
        return this.lastTimeMs + this.thresholds.maxKeyGapMs;
      case 'between-lines':
      case 'after-reading':
        return this.lastTimeMs + this.thresholds.maxLineGapMs;
    }
  }

  /** The quiet after the last key has lasted past the deadline: decide on what is held. */
  expire(nowMs: number): WedgeEffect[] {
    const deadline = this.deadline();
    if (deadline === null || nowMs <= deadline) return [];
    if (this.phase.kind === 'after-reading') {
      this.phase = { kind: 'idle' };
      return [];
    }
    return this.giveBack();
  }

  feed(key: WedgeKey): WedgeDecision {
    const effects = this.expire(key.timeMs);
    if (MODIFIER_KEYS.has(key.key)) return { effects, key: 'pass' };

    const isEnter = key.key === 'Enter' && !key.command && !key.repeat;
    const character = key.command || key.repeat || [...key.key].length !== 1 ? null : mrzCharacterFor(key.key, this.table);

    if (this.phase.kind === 'after-reading') {
      if (isEnter) {
        this.phase = { kind: 'idle' };
        return { effects, key: 'hold' };
      }
      this.phase = { kind: 'idle' };
    }

    if (this.phase.kind === 'idle') {
      if (character === null) return { effects, key: 'pass' };
      this.held = [{ key: key.key, timeMs: key.timeMs }];
      this.line = character;
      this.phase = { kind: 'line' };
      this.lastTimeMs = key.timeMs;
      return { effects, key: 'hold' };
    }

    if (character !== null && (this.phase.kind === 'between-lines' || this.line.length < LONGEST_LINE)) {
      if (this.phase.kind === 'line') this.gaps.push(key.timeMs - this.lastTimeMs);
      this.held.push({ key: key.key, timeMs: key.timeMs });
      this.line += character;
      this.phase = { kind: 'line' };
      this.lastTimeMs = key.timeMs;
      return { effects, key: 'hold' };
    }

    if (isEnter && this.phase.kind === 'line') {
      this.gaps.push(key.timeMs - this.lastTimeMs);
      const ended = this.endLine();
      if (ended !== null) {
        this.lastTimeMs = key.timeMs;
        if (ended.length > 0) effects.push({ kind: 'reading', text: ended.join('\n') });
        else this.held.push({ key: key.key, timeMs: key.timeMs });
        return { effects, key: 'hold' };
      }
    }

    effects.push(...this.giveBack());
    return { effects, key: 'pass' };
  }

  /**
   * The line just ended by Enter: null when it cannot be a reader's; otherwise the zone's
   * lines when it is complete (the detector then waits for a trailing Enter), or [] when
   * more lines are to come.
   */
  private endLine(): string[] | null {
    if (median(this.gaps) > this.thresholds.maxMedianGapMs) return null;
    const zoneWidth = WHOLE_ZONE_WIDTHS.get(this.line.length);
    let lines: string[];
    if (this.lines.length === 0 && zoneWidth !== undefined) {
      lines = this.line.match(new RegExp(`.{${zoneWidth}}`, 'g')) ?? [];
    } else {
      const width = this.lines[0]?.length ?? this.line.length;
      if (!LINE_WIDTHS.has(this.line.length) || this.line.length !== width) return null;
      lines = [...this.lines, this.line];
    }
    const width = lines[0]?.length ?? 0;
    if (lines.length < linesInZone(width)) {
      this.lines = lines;
      this.line = '';
      this.phase = { kind: 'between-lines' };
      return [];
    }
    this.reset();
    this.phase = { kind: 'after-reading' };
    return lines;
  }

  private giveBack(): WedgeEffect[] {
    const keys = this.held;
    this.reset();
    return keys.length === 0 ? [] : [{ kind: 'replay', keys }];
  }

  private reset(): void {
    this.phase = { kind: 'idle' };
    this.held = [];
    this.lines = [];
    this.line = '';
    this.gaps = [];
  }
}

/** How held keys go back to the page: runs of text to insert, and Enters. */
export type ReplayStep = { kind: 'text'; text: string } | { kind: 'enter' };

export function replaySteps(keys: readonly HeldKey[]): ReplayStep[] {
  const steps: ReplayStep[] = [];
  for (const { key } of keys) {
    const last = steps.at(-1);
    if (key === 'Enter') steps.push({ kind: 'enter' });
    else if (last?.kind === 'text') last.text += key;
    else steps.push({ kind: 'text', text: key });
  }
  return steps;
}
