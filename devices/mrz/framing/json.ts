import { z } from 'zod';
import { CR, DEFAULT_MAX_FRAME_BYTES, ETX, LF, STX, createFrameScanner, joinLines } from './frame-scanner';
import type { FrameGrammar, FrameVerdict, MrzFrameParser } from './frame-scanner';

/**
 * The json framing: `STX json ETX`, the JSON text in UTF-8 (JSON escapes control characters
 * inside strings, so a raw STX or ETX never belongs to the text). Accepted shapes, other
 * members ignored (readers add a device name, a timestamp, a checksum of their own):
 *
 *   {"mrz": ["line 1", "line 2"]}          one string per line
 *   {"mrz": "line 1\nline 2"}              lines separated by \n, \r\n or \r
 *
 * Blank lines are dropped; how many lines an MRZ has (2 or 3) is for the MRZ engine to judge.
 *
 * An STX inside a frame starts the next one; any other control byte but TAB, CR and LF
 * breaks the frame. Text that is not JSON is 'bad JSON'; JSON of another shape (or with no
 * line) is 'no MRZ in JSON'.
 */

const TAB = 0x09;

export interface JsonFramingOptions {
  maxFrameBytes?: number;
}

const mrzLines = z.array(z.string()).min(1);
const jsonDocument = z.object({ mrz: z.union([mrzLines, z.string()]) });

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const jsonGrammar: FrameGrammar = {
  isFrameStart: (byte) => byte === STX,
  isWrapper: () => false,
  examine: examineJson,
};

function examineJson(frame: Uint8Array): FrameVerdict {
  for (let at = 1; at < frame.length; at++) {
    const byte = frame[at]!;
    if (byte === ETX) return { length: at + 1, ...readJson(frame.subarray(1, at)) };
    if (byte === STX) return { kind: 'rejected', length: at, reason: 'broken frame' };
    if (byte < 0x20 && byte !== TAB && byte !== CR && byte !== LF) return { kind: 'rejected', length: at + 1, reason: 'broken frame' };
  }
  return { kind: 'incomplete' };
}

type JsonReading = { kind: 'frame'; text: string } | { kind: 'rejected'; reason: 'bad JSON' | 'no MRZ in JSON' | 'empty frame' };

function readJson(body: Uint8Array): JsonReading {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch {
    // A TypeError from the decoder (not UTF-8) or a SyntaxError from JSON.parse: the frame is
    // unusable either way, and a parser never throws on what a device sends.
    return { kind: 'rejected', reason: 'bad JSON' };
  }
  const document = jsonDocument.safeParse(value);
  if (!document.success) return { kind: 'rejected', reason: 'no MRZ in JSON' };
  const { mrz } = document.data;
  const text = joinLines(typeof mrz === 'string' ? mrz : mrz.join('\n'));
  return text === '' ? { kind: 'rejected', reason: 'empty frame' } : { kind: 'frame', text };
}

export function createJsonParser(options: JsonFramingOptions = {}): MrzFrameParser {
  return createFrameScanner(jsonGrammar, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
}
