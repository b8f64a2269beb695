/**
 * What the three MRZ framings share: gathering a frame's bytes as they arrive in chunks of
 * any size, giving up on a frame that breaks or grows too long, and finding the next frame
 * start after garbage. Each framing only says how a frame starts and what a frame it has
 * gathered holds (a FrameGrammar); this file does the rest, the same way for all of them.
 *
 * Written here rather than taken from serialport's parsers: those split on delimiters and
 * keep no notion of a rejected frame, a block check, or a bounded partial frame.
 */

/** Why bytes were dropped (DiscardedBytes.reason). */
export type DiscardReason =
  /** Bytes between frames that start none (line noise, a reader set to another framing). */
  | 'no frame start'
  /** A frame with a byte it may not hold, or cut short by the start of the next one. */
  | 'broken frame'
  /** A frame longer than the parser's maximum; the bytes up to the next frame start are dropped with it. */
  | 'oversize frame'
  /** soh-bcc: the block check byte does not match the frame. */
  | 'bad block check'
  /** A whole frame with no MRZ line in it. */
  | 'empty frame'
  /** json: the bytes between STX and ETX are not JSON (or not UTF-8). */
  | 'bad JSON'
  /** json: JSON, but not one of the accepted shapes. */
  | 'no MRZ in JSON'
  /** The port went away (or was closed) with part of a frame gathered. */
  | 'device closed mid-message';

export type FrameEvent = { kind: 'document'; text: string } | { kind: 'discarded'; count: number; reason: DiscardReason };

/** What a grammar makes of the bytes gathered so far (which begin with a frame start byte). */
export type FrameVerdict =
  | { kind: 'incomplete' }
  /** A whole frame of `length` bytes holding the MRZ `text` (lines separated by '\n'). */
  | { kind: 'frame'; length: number; text: string }
  /** Drop the first `length` bytes for `reason`, and look for a frame start in what follows. */
  | { kind: 'rejected'; length: number; reason: DiscardReason };

export interface FrameGrammar {
  /** A byte that may begin a frame. */
  isFrameStart(byte: number): boolean;
  /** A byte skipped without a word when it comes between frames (bytes a reader wraps its frames in). */
  isWrapper(byte: number): boolean;
  /** Reads `frame` (its first byte a frame start, never longer than the maximum). */
  examine(frame: Uint8Array): FrameVerdict;
}

/** The largest frame a parser gathers unless told otherwise: three 44-character lines fit many times over. */
export const DEFAULT_MAX_FRAME_BYTES = 1024;

/** An incremental parser for one framing. Never throws on any bytes; never holds more than `maxFrameBytes`. */
export interface MrzFrameParser {
  readonly maxFrameBytes: number;
  /** The bytes of a frame gathered and not yet decided on. */
  readonly bufferedBytes: number;
  /** Takes the next bytes off the wire; returns the documents and discarded stretches they complete, in order. */
  push(bytes: Uint8Array): FrameEvent[];
  /** Forgets any partial frame (the port closed mid-message), reporting it as discarded. */
  reset(): FrameEvent[];
}

export function createFrameScanner(grammar: FrameGrammar, maxFrameBytes: number): MrzFrameParser {
  if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 2) throw new RangeError(`maxFrameBytes must be an integer of at least 2, got ${maxFrameBytes}`);
  const frame = new Uint8Array(maxFrameBytes);
  let gathered = 0;
  // After an oversize frame, everything up to the next frame start belongs to it.
  let skippingOversize = false;
  let events: FrameEvent[] = [];
  let pending: { reason: DiscardReason; count: number } | null = null;

  function discard(reason: DiscardReason, count: number): void {
    if (count === 0) return;
    if (pending?.reason === reason) {
      pending.count += count;
      return;
    }
    flush();
    pending = { reason, count };
  }

  function flush(): void {
    if (pending) events.push({ kind: 'discarded', count: pending.count, reason: pending.reason });
    pending = null;
  }

  /** Between frames: skips to the next frame start; returns where the scan stopped. */
  function seekFrameStart(bytes: Uint8Array, from: number): number {
    let at = from;
    while (at < bytes.length) {
      const byte = bytes[at]!;
      if (grammar.isFrameStart(byte)) {
        skippingOversize = false;
        frame[0] = byte;
        gathered = 1;
        return at + 1;
      }
      if (skippingOversize) discard('oversize frame', 1);
      else if (!grammar.isWrapper(byte)) discard('no frame start', 1);
      at++;
    }
    return at;
  }

  function push(bytes: Uint8Array): FrameEvent[] {
    let input = bytes;
    let at = 0;
    while (at < input.length) {
      if (gathered === 0) {
        at = seekFrameStart(input, at);
        if (gathered === 0) break;
      }
      const taken = Math.min(input.length - at, maxFrameBytes - gathered);
      frame.set(input.subarray(at, at + taken), gathered);
      gathered += taken;
      at += taken;
      const verdict = grammar.examine(frame.subarray(0, gathered));
      if (verdict.kind === 'incomplete') {
        if (gathered < maxFrameBytes) continue;
        discard('oversize frame', gathered);
        gathered = 0;
        skippingOversize = true;
        continue;
      }
      if (verdict.kind === 'frame') {
        flush();
        events.push({ kind: 'document', text: verdict.text });
      } else {
        discard(verdict.reason, decidedLength(verdict.length, gathered));
      }
      // What followed the decided bytes is read again from the start: it may hold the next frame.
      const rest = frame.slice(decidedLength(verdict.length, gathered), gathered);
      gathered = 0;
      input = rest.length === 0 ? input.subarray(at) : concat(rest, input.subarray(at));
      at = 0;
    }
    flush();
    const done = events;
    events = [];
    return done;
  }

  function reset(): FrameEvent[] {
    discard('device closed mid-message', gathered);
    flush();
    gathered = 0;
    skippingOversize = false;
    const done = events;
    events = [];
    return done;
  }

  return {
    maxFrameBytes,
    get bufferedBytes() {
      return gathered;
    },
    push,
    reset,
  };
}

/** A grammar always decides on at least its start byte; kept within the frame so that the scan always moves on. */
function decidedLength(length: number, gathered: number): number {
  return Math.min(gathered, Math.max(1, length));
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

export const STX = 0x02;
export const ETX = 0x03;
export const CR = 0x0d;
export const LF = 0x0a;

/** Printable ASCII: what an MRZ line (and JSON text around it) is made of. */
export function isPrintable(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

/** Bytes already checked to be ASCII, as text. */
export function asciiText(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** Lines of text separated by CR, CR LF or LF, blank ones dropped, joined by '\n'. */
export function joinLines(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .filter((line) => line.length > 0)
    .join('\n');
}
