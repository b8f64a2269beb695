import { CR, DEFAULT_MAX_FRAME_BYTES, ETX, LF, STX, asciiText, createFrameScanner, isPrintable, joinLines } from './frame-scanner';
import type { FrameGrammar, FrameVerdict, MrzFrameParser } from './frame-scanner';

/**
 * The soh-bcc framing: `SOH [len] 'O' 'U' STX [flag] text ETX BCC`.
 *
 * - `len` (optional, one byte) is recognised by where "OU" stands (right after SOH, or one
 *   byte later) and is otherwise not relied upon: readers differ in what they count, and the
 *   block check already guards the frame. It is never SOH, STX or ETX.
 * - `flag` (optional, one byte right after STX) is the reader's status byte: any byte that
 *   cannot begin the text (not A–Z, 0–9, `<`, `_`, CR, LF, and not SOH, STX, ETX).
 * - `text`: lines separated by CR (CR LF and LF tolerated), `_` as padding anywhere
 *   (stripped: it is no MRZ character), printable ASCII only.
 * - `BCC` = XOR of every byte after SOH up to and including ETX (len, "OU", STX, flag, text,
 *   ETX). A frame whose BCC does not match is dropped whole ('bad block check').
 * - An SOH inside a frame starts the next one (the reader restarted mid-message).
 */

export const SOH = 0x01;
const LETTER_O = 0x4f;
const LETTER_U = 0x55;
const PADDING = 0x5f;

export interface SohBccOptions {
  maxFrameBytes?: number;
}

/** The block check of a frame: XOR of the bytes given (those after SOH up to and including ETX). */
export function blockCheck(bytes: Uint8Array): number {
  let check = 0;
  for (const byte of bytes) check ^= byte;
  return check;
}

export const sohBccGrammar: FrameGrammar = {
  isFrameStart: (byte) => byte === SOH,
  isWrapper: () => false,
  examine: examineSohBcc,
};

function isControl(byte: number): boolean {
  return byte === SOH || byte === STX || byte === ETX;
}

/** Where STX should stand (after SOH, the optional len and "OU"), or why the header is not one. */
function headerEnd(frame: Uint8Array): number | 'incomplete' | 'rejected' {
  const ouAt = (from: number): boolean | 'incomplete' => {
    if (frame.length <= from) return 'incomplete';
    if (frame[from] !== LETTER_O) return false;
    if (frame.length <= from + 1) return 'incomplete';
    return frame[from + 1] === LETTER_U;
  };
  const withoutLength = ouAt(1);
  if (withoutLength === 'incomplete') return 'incomplete';
  if (withoutLength) return 3;
  if (isControl(frame[1]!)) return 'rejected';
  const withLength = ouAt(2);
  if (withLength === 'incomplete') return 'incomplete';
  return withLength ? 4 : 'rejected';
}

function isFlag(byte: number): boolean {
  const canBeginText = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte === 0x3c || byte === PADDING || byte === CR || byte === LF;
  return !canBeginText && !isControl(byte);
}

function examineSohBcc(frame: Uint8Array): FrameVerdict {
  const stxAt = headerEnd(frame);
  if (stxAt === 'incomplete') return { kind: 'incomplete' };
  if (stxAt === 'rejected') return { kind: 'rejected', length: 1, reason: 'broken frame' };
  if (frame.length <= stxAt) return { kind: 'incomplete' };
  if (frame[stxAt] !== STX) return { kind: 'rejected', length: 1, reason: 'broken frame' };
  if (frame.length <= stxAt + 1) return { kind: 'incomplete' };
  const textAt = isFlag(frame[stxAt + 1]!) ? stxAt + 2 : stxAt + 1;
  for (let at = textAt; at < frame.length; at++) {
    const byte = frame[at]!;
    if (byte === ETX) return closedFrame(frame, textAt, at);
    if (byte === SOH) return { kind: 'rejected', length: at, reason: 'broken frame' };
    if (!isPrintable(byte) && byte !== CR && byte !== LF) return { kind: 'rejected', length: at + 1, reason: 'broken frame' };
  }
  return { kind: 'incomplete' };
}

function closedFrame(frame: Uint8Array, textAt: number, etxAt: number): FrameVerdict {
  if (frame.length <= etxAt + 1) return { kind: 'incomplete' };
  const length = etxAt + 2;
  if (blockCheck(frame.subarray(1, etxAt + 1)) !== frame[etxAt + 1]) return { kind: 'rejected', length, reason: 'bad block check' };
  const text = joinLines(asciiText(frame.subarray(textAt, etxAt)).replaceAll('_', ''));
  return text === '' ? { kind: 'rejected', length, reason: 'empty frame' } : { kind: 'frame', length, text };
}

export function createSohBccParser(options: SohBccOptions = {}): MrzFrameParser {
  return createFrameScanner(sohBccGrammar, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
}
