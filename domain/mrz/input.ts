import { isMrzCharacterCode } from './checkDigit';
import { LAYOUTS } from './layouts';
import type { MrzLayout } from './layouts';
import type { MrzError } from './types';

/**
 * Turns whatever a reader, a keyboard wedge or an officer produced into the
 * zone's lines joined without separators, and picks the format from its shape.
 *
 * Tolerated: spaces and tabs anywhere (readers and copy-paste insert them),
 * CR, LF or CRLF between lines, blank lines, one long line holding the whole
 * zone, lower case (Caps Lock state on a wedge reader), and the characters some
 * keyboard layouts type for `<` (see FILLER_LOOKALIKES). Anything else outside
 * `A-Z 0-9 <` is refused rather than guessed.
 */

interface ZoneText {
  /** The lines joined without separators. */
  text: string;
  layout: MrzLayout;
  /** The line breaks were in the wrong places and the zone was re-split by its length. */
  rejoined: boolean;
}

type InputReading = { ok: true; zone: ZoneText } | { ok: false; error: MrzError };

/** Far above any zone with generous whitespace; bounds the work done on garbage. */
const MAX_INPUT_LENGTH = 4096;

/**
 * Characters that stand for `<` when a wedge reader types on a layout other
 * than the one it was set up for, or when text went through a word processor:
 * `«` and `‹` (French and typographic quotes that autocorrect makes of `<<`),
 * fullwidth `＜` (East Asian input methods), and `;`, which is what the US `<`
 * keystroke (Shift + comma) produces on the QWERTZ layouts used in Bosnia and
 * Herzegovina and its neighbours. None of them is otherwise an MRZ character,
 * so the mapping cannot turn one valid zone into another.
 */
const FILLER_LOOKALIKES = new Set([0x00ab, 0x2039, 0xff1c, 0x3b]);

const LINE_BREAKS = new Set([0x0a, 0x0d, 0x0b, 0x0c, 0x85, 0x2028, 0x2029]);

const SPACES = new Set([0x20, 0x09, 0xa0, 0x1680, 0x202f, 0x205f, 0x3000, 0xfeff]);

function isSpace(code: number): boolean {
  return SPACES.has(code) || (code >= 0x2000 && code <= 0x200b);
}

interface Shape {
  lineLength: number;
  lineCount: number;
}

const SHAPES: readonly Shape[] = [
  { lineLength: 30, lineCount: 3 },
  { lineLength: 36, lineCount: 2 },
  { lineLength: 44, lineCount: 2 },
];

export function readInput(input: unknown): InputReading {
  const raw = readAsText(input);
  if (typeof raw !== 'string' && raw !== null) return { ok: false, error: raw };
  if (raw === null) {
    return failure('NOT_TEXT', 'The MRZ must be given as text or as a list of lines of text.');
  }
  if (raw.length > MAX_INPUT_LENGTH) {
    return failure('TOO_LONG', `The input has ${raw.length} characters; an MRZ has at most 90.`);
  }
  const split = isAlreadyClean(raw) ? splitCleanLines(raw) : cleanLines(raw);
  if (!Array.isArray(split)) return { ok: false, error: split };
  if (split.length === 0) {
    return failure('EMPTY', 'The input holds no MRZ characters.');
  }
  return shapeOf(split);
}

/**
 * Objects from outside (a proxy, an array with a throwing getter) can throw on
 * mere reading; that is reported as unreadable input instead of escaping.
 */
function readAsText(input: unknown): string | null | MrzError {
  try {
    return asText(input);
  } catch (error) {
    // What was thrown is as untrusted as the input; only its kind is reported.
    const kind = typeof error === 'object' && error !== null ? 'an exception' : `a thrown ${typeof error}`;
    return { code: 'NOT_TEXT', message: `The input could not be read as text (reading it raised ${kind}).` };
  }
}

function asText(input: unknown): string | null {
  if (typeof input === 'string') return input;
  if (!Array.isArray(input)) return null;
  // Indexing rather than iterating: an array-like from outside may carry its own iterator.
  const count = Math.min(input.length, MAX_INPUT_LENGTH + 1);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const line: unknown = input[i];
    if (typeof line !== 'string') return null;
    lines.push(line);
  }
  return lines.join('\n');
}

function failure(code: MrzError['code'], message: string): InputReading {
  return { ok: false, error: { code, message } };
}

/** The common case (a reader's clean output) skips the per-character rewrite. */
function isAlreadyClean(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code !== 0x0a && !isMrzCharacterCode(code)) return false;
  }
  return true;
}

function splitCleanLines(raw: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const end = raw.indexOf('\n', start);
    const stop = end === -1 ? raw.length : end;
    if (stop > start) lines.push(raw.slice(start, stop));
    if (end === -1) return lines;
    start = end + 1;
  }
}

interface BadCharacter {
  character: string;
  line: number;
  position: number;
}

function cleanLines(raw: string): string[] | MrzError {
  const lines: string[] = [];
  const bad: BadCharacter[] = [];
  let line = '';
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (LINE_BREAKS.has(code)) {
      if (line !== '') lines.push(line);
      line = '';
    } else if (isSpace(code)) {
      continue;
    } else if (code >= 0x61 && code <= 0x7a) {
      line += String.fromCharCode(code - 0x20);
    } else if (FILLER_LOOKALIKES.has(code)) {
      line += '<';
    } else if (isMrzCharacterCode(code)) {
      line += raw.charAt(i);
    } else {
      const codePoint = raw.codePointAt(i) ?? code;
      bad.push({ character: String.fromCodePoint(codePoint), line: lines.length + 1, position: line.length + 1 });
      line += '?';
      if (codePoint > 0xffff) i++;
    }
  }
  if (line !== '') lines.push(line);
  if (bad.length > 0) return badCharacters(bad);
  return lines;
}

function badCharacters(bad: readonly BadCharacter[]): MrzError {
  const shown = bad.slice(0, 3).map((b) => {
    const hex = (b.character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return `U+${hex} ${JSON.stringify(b.character)} at line ${b.line}, position ${b.position}`;
  });
  const more = bad.length > 3 ? ` and ${bad.length - 3} more` : '';
  return {
    code: 'BAD_CHARACTERS',
    message: `An MRZ holds only A-Z, 0-9 and <; found ${shown.join('; ')}${more}.`,
  };
}

function shapeOf(lines: readonly string[]): InputReading {
  const first = lines[0] ?? '';
  for (const shape of SHAPES) {
    if (lines.length === shape.lineCount && lines.every((l) => l.length === shape.lineLength)) {
      return zone(lines.join(''), shape, false);
    }
  }
  const text = lines.join('');
  for (const shape of SHAPES) {
    if (text.length === shape.lineLength * shape.lineCount) {
      // One long line is a documented way in (some readers send it so); misplaced breaks are worth telling.
      return zone(text, shape, lines.length > 1);
    }
  }
  const lengths = lines.map((l) => l.length).join(', ');
  return failure(
    'UNKNOWN_FORMAT',
    `Found ${lines.length} line(s) of ${lengths} characters (first starts ${JSON.stringify(first.slice(0, 5))}); ` +
      'expected 3 lines of 30 (TD1), 2 of 36 (TD2, MRV-B) or 2 of 44 (TD3, MRV-A).',
  );
}

function zone(text: string, shape: Shape, rejoined: boolean): InputReading {
  const isVisa = text.charCodeAt(0) === 0x56; // 'V': ICAO reserves it for visas.
  let layout: MrzLayout;
  if (shape.lineLength === 30) layout = LAYOUTS.TD1;
  else if (shape.lineLength === 36) layout = isVisa ? LAYOUTS['MRV-B'] : LAYOUTS.TD2;
  else layout = isVisa ? LAYOUTS['MRV-A'] : LAYOUTS.TD3;
  return { ok: true, zone: { text, layout, rejoined } };
}
