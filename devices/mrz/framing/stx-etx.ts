import { CR, DEFAULT_MAX_FRAME_BYTES, ETX, LF, STX, asciiText, createFrameScanner, isPrintable, joinLines } from './frame-scanner';
import type { FrameGrammar, FrameVerdict, MrzFrameParser } from './frame-scanner';

/**
 * The stx-etx framing: `[start-of-document] STX line CR line CR [line CR] ETX [end-of-document]`.
 *
 * - Lines end in CR, CR LF or LF; the last line's end may be left out; blank lines are dropped.
 * - Inside a frame only printable ASCII (0x20–0x7E), CR and LF may come; any other byte breaks
 *   the frame ('broken frame'), and an STX inside a frame starts the next one.
 * - The start- and end-of-document bytes some readers wrap a frame in are optional and only
 *   recognised between frames, where they are skipped without being reported as garbage.
 *   Defaults: SOH (0x01) before and EOT (0x04) after; a reader that wraps in other bytes still
 *   works, its wrappers are reported as 1-byte 'no frame start' stretches.
 */

export interface StxEtxOptions {
  maxFrameBytes?: number;
  /** A byte the reader may send before STX; null for none. Default SOH (0x01). */
  documentStart?: number | null;
  /** A byte the reader may send after ETX; null for none. Default EOT (0x04). */
  documentEnd?: number | null;
}

export const DEFAULT_DOCUMENT_START = 0x01;
export const DEFAULT_DOCUMENT_END = 0x04;

export function stxEtxGrammar(options: StxEtxOptions = {}): FrameGrammar {
  const documentStart = options.documentStart === undefined ? DEFAULT_DOCUMENT_START : options.documentStart;
  const documentEnd = options.documentEnd === undefined ? DEFAULT_DOCUMENT_END : options.documentEnd;
  return {
    isFrameStart: (byte) => byte === STX,
    isWrapper: (byte) => byte === documentStart || byte === documentEnd,
    examine: examineStxEtx,
  };
}

function examineStxEtx(frame: Uint8Array): FrameVerdict {
  for (let at = 1; at < frame.length; at++) {
    const byte = frame[at]!;
    if (byte === ETX) {
      const text = joinLines(asciiText(frame.subarray(1, at)));
      return text === '' ? { kind: 'rejected', length: at + 1, reason: 'empty frame' } : { kind: 'frame', length: at + 1, text };
    }
    if (byte === STX) return { kind: 'rejected', length: at, reason: 'broken frame' };
    if (!isPrintable(byte) && byte !== CR && byte !== LF) return { kind: 'rejected', length: at + 1, reason: 'broken frame' };
  }
  return { kind: 'incomplete' };
}

export function createStxEtxParser(options: StxEtxOptions = {}): MrzFrameParser {
  return createFrameScanner(stxEtxGrammar(options), options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
}
