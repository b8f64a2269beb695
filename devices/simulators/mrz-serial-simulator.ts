import { buildMrz, syntheticMrzDocuments } from '../../domain/mrz';
import type { MrzFormat } from '../../domain/mrz';
import type { MrzFraming } from '../mrz/framing';
import { SOH, blockCheck } from '../mrz/framing/soh-bcc';

/**
 * The bytes a serial MRZ reader sends for a document, in each framing, as docs/devices.md
 * describes them: what tests, the benchmark and `npm run devices -- simulate` put on the wire.
 * Documents are synthetic (domain/mrz), never anyone's.
 */

const STX = 0x02;
const ETX = 0x03;

export interface StxEtxFrameOptions {
  /** A byte sent before STX, as some readers do; none by default. */
  documentStart?: number | null;
  /** A byte sent after ETX; none by default. */
  documentEnd?: number | null;
  lineEnd?: '\r' | '\r\n';
}

export interface SohBccFrameOptions {
  /** Send the length byte (bytes from "OU" through ETX). Default true. */
  lengthByte?: boolean;
  /** A status byte after STX (never one that can begin the text); none by default. */
  flag?: number | null;
  /** Pad every line with `_` to this width, as fixed-width readers do. Default 44. */
  padTo?: number;
}

export interface JsonFrameOptions {
  /** `lines`: {"mrz": [...]}; `text`: {"mrz": "line\nline"}. Default `lines`. */
  shape?: 'lines' | 'text';
}

export function stxEtxFrame(lines: readonly string[], options: StxEtxFrameOptions = {}): Buffer {
  const lineEnd = options.lineEnd ?? '\r';
  const parts: Buffer[] = [];
  if (options.documentStart != null) parts.push(Buffer.of(options.documentStart));
  parts.push(Buffer.of(STX), Buffer.from(lines.map((line) => line + lineEnd).join(''), 'latin1'), Buffer.of(ETX));
  if (options.documentEnd != null) parts.push(Buffer.of(options.documentEnd));
  return Buffer.concat(parts);
}

export function sohBccFrame(lines: readonly string[], options: SohBccFrameOptions = {}): Buffer {
  const padTo = options.padTo ?? 44;
  const text = lines.map((line) => line.padEnd(padTo, '_')).join('\r');
  const flag = options.flag == null ? [] : [options.flag];
  // From "OU" through ETX: what the length byte counts and, with it, what the block check covers.
  const body = Buffer.concat([Buffer.from('OU', 'latin1'), Buffer.of(STX, ...flag), Buffer.from(text, 'latin1'), Buffer.of(ETX)]);
  if (body.length > 0xff && options.lengthByte !== false) throw new RangeError(`A soh-bcc frame of ${body.length} bytes does not fit a length byte.`);
  const checked = options.lengthByte === false ? body : Buffer.concat([Buffer.of(body.length), body]);
  return Buffer.concat([Buffer.of(SOH), checked, Buffer.of(blockCheck(checked))]);
}

export function jsonFrame(lines: readonly string[], options: JsonFrameOptions = {}): Buffer {
  const mrz = options.shape === 'text' ? lines.join('\n') : lines;
  return Buffer.concat([Buffer.of(STX), Buffer.from(JSON.stringify({ mrz }), 'utf8'), Buffer.of(ETX)]);
}

/** A document's frame with the framing's default choices. */
export function frameMrzDocument(framing: MrzFraming, lines: readonly string[]): Buffer {
  switch (framing) {
    case 'stx-etx':
      return stxEtxFrame(lines);
    case 'soh-bcc':
      return sohBccFrame(lines);
    case 'json':
      return jsonFrame(lines);
  }
}

/** `count` synthetic zones (their lines), the same ones for the same seed and day. */
export function syntheticZones(count: number, seed: number, options: { today?: Date; formats?: readonly MrzFormat[] } = {}): string[][] {
  const zones: string[][] = [];
  for (const document of syntheticMrzDocuments(count, seed, options)) {
    const built = buildMrz(document);
    // Every synthetic document lays out (domain/mrz/synthetic.ts promises it); one that did not would be a bug there.
    if (!built.ok) throw new Error(`A synthetic document did not lay out: ${built.error.message}`);
    zones.push(built.lines);
  }
  return zones;
}
