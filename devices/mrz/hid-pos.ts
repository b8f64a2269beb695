/**
 * Assembles MRZ messages from HID POS input reports: pure and incremental, one report at
 * a time, never throwing on any input.
 *
 * The report is the Scanned Data Report of the HID Point of Sale usage tables (Bar Code
 * Scanner page 0x8C), laid out the way Honeywell-style HID POS devices declare it in their
 * report descriptors (64 bytes, report id included):
 *
 *   byte  0       report id (0x02)
 *   byte  1       byte count: how many of the data bytes below this report carries (0–56)
 *   bytes 2–4     Symbology Identifier 1, 2, 3 (0x8C:0xFB–0xFD): the AIM identifier, e.g. "]o0"
 *   bytes 5–60    Decoded Data (0x8C:0xFE), 56 bytes, zero padded after the byte count
 *   bytes 61–62   vendor bytes (Honeywell's Code ID and a reserved byte): ignored
 *   byte  63      bit 0: Decode Data Continued (0x8C:0xFF), set when the next report
 *                 carries more of the same message
 *
 * A message is the data of consecutive reports up to and including the first one whose
 * "continued" bit is clear. The report id and size are settings (HidPosLayout) because
 * makers number and size reports differently; the other offsets follow from the size: the
 * data capacity is the size minus the 8 bytes around it.
 *
 * What goes wrong on a desk, and what the assembler does:
 * - a report shorter than the layout, with a byte count beyond its data capacity, or with a
 *   report id other than the layout's: discarded with its reason; a message in progress is
 *   dropped too (we no longer know that it is whole), and when the bad report or the
 *   dropped message still had reports to come, those are skipped up to the message's last
 *   report, so that a tail is never taken for a document;
 * - a message in progress whose next report does not come within maxReportGapMs (the
 *   device lost it, or was switched off): dropped; the next report starts a new message.
 *   Reports of one message come back to back (a few ms apart); two documents are at least
 *   a hand movement apart. The gap only ends a message whose last report never came: a
 *   message normally ends with its last report, not with the quiet;
 * - a message longer than maxMessageBytes: dropped, its remaining reports skipped. Memory
 *   held is never more than maxMessageBytes.
 *
 * The text: bytes are read as Latin-1 (an MRZ is ASCII; anything else is left for the MRZ
 * parser to refuse), CR, LF and CRLF all end a line, lines are trimmed of spaces and control
 * characters, empty lines dropped, and the lines joined with '\n'.
 *
 * Written here rather than taken from a library: the libraries that read HID POS
 * (WebHID ones) run in a browser and parse the report descriptor; our reports come through
 * node-hid as raw bytes and the layout is a station setting.
 */

export interface HidPosLayout {
  /** The report id of the Scanned Data Report. */
  reportId: number;
  /** Bytes in a report, report id included. */
  reportSize: number;
}

/** The layout described above: report id 2, 64 bytes, 56 of them data. */
export const DEFAULT_HID_POS_LAYOUT: HidPosLayout = { reportId: 0x02, reportSize: 64 };

/** Report id, byte count, three symbology bytes before the data; two vendor bytes and the flag byte after it. */
const HID_POS_BYTES_AROUND_DATA = 8;
export const HID_POS_DATA_OFFSET = 5;
const SYMBOLOGY_OFFSET = 2;
const CONTINUED_BIT = 0x01;

export interface HidPosAssemblerOptions {
  layout?: HidPosLayout;
  /** Largest message kept; a TD1 or TD3 zone with line ends is under 100 bytes. Default 1024. */
  maxMessageBytes?: number;
  /** Longest wait for the next report of a message before it is dropped. Default 500 ms. */
  maxReportGapMs?: number;
}

export type HidPosOutcome =
  | { kind: 'message'; text: string; symbology: string; reports: number }
  | { kind: 'discarded'; count: number; reason: string };

/** The data capacity of a report in this layout. */
export function hidPosDataCapacity(layout: HidPosLayout): number {
  return Math.max(0, layout.reportSize - HID_POS_BYTES_AROUND_DATA);
}

type Progress =
  | { kind: 'idle' }
  | { kind: 'assembling'; chunks: Uint8Array[]; bytes: number; reports: number; symbology: string }
  /** The rest of a message that was dropped: its reports are skipped until its last one. */
  | { kind: 'skipping' };

interface ReadReport {
  data: Uint8Array;
  symbology: string;
  continued: boolean;
}

export class HidPosAssembler {
  private readonly layout: HidPosLayout;
  private readonly capacity: number;
  private readonly maxMessageBytes: number;
  private readonly maxReportGapMs: number;
  private progress: Progress = { kind: 'idle' };
  private lastReportAt = Number.NEGATIVE_INFINITY;

  constructor(options: HidPosAssemblerOptions = {}) {
    this.layout = options.layout ?? DEFAULT_HID_POS_LAYOUT;
    this.capacity = hidPosDataCapacity(this.layout);
    this.maxMessageBytes = options.maxMessageBytes ?? 1024;
    this.maxReportGapMs = options.maxReportGapMs ?? 500;
  }

  /** Takes one input report, received at `atMs` (a monotonic clock in ms). */
  push(report: Uint8Array, atMs: number): HidPosOutcome[] {
    const outcomes = this.expire(atMs);
    this.lastReportAt = atMs;

    const problem = this.problemWith(report);
    if (problem !== null) {
      const wasSkipping = this.progress.kind === 'skipping';
      const dropped = this.drop('partial message dropped: a bad report came in the middle of it');
      outcomes.push(...dropped, { kind: 'discarded', count: report.length, reason: problem.reason });
      // What is left of the dropped message, or of the bad report's own message, is no document.
      const messageGoesOn = wasSkipping || dropped.length > 0 || (problem.flagReadable && this.continuedFlag(report));
      if (messageGoesOn) this.progress = { kind: 'skipping' };
      return outcomes;
    }

    const read = this.read(report);
    if (this.progress.kind === 'skipping') {
      outcomes.push({ kind: 'discarded', count: read.data.length, reason: 'rest of a dropped message' });
      if (!read.continued) this.progress = { kind: 'idle' };
      return outcomes;
    }

    const progress =
      this.progress.kind === 'assembling'
        ? this.progress
        : { kind: 'assembling' as const, chunks: [], bytes: 0, reports: 0, symbology: read.symbology };
    if (progress.bytes + read.data.length > this.maxMessageBytes) {
      this.progress = progress;
      outcomes.push(...this.drop(`message longer than ${this.maxMessageBytes} bytes`, read.data.length));
      if (read.continued) this.progress = { kind: 'skipping' };
      return outcomes;
    }
    progress.chunks.push(read.data);
    progress.bytes += read.data.length;
    progress.reports += 1;
    this.progress = progress;
    if (read.continued) return outcomes;

    this.progress = { kind: 'idle' };
    const text = mrzTextOf(concatenate(progress.chunks, progress.bytes));
    if (text === '') outcomes.push({ kind: 'discarded', count: progress.bytes, reason: 'message without text' });
    else outcomes.push({ kind: 'message', text, symbology: progress.symbology, reports: progress.reports });
    return outcomes;
  }

  /** Drops a message whose next report is overdue at `atMs`. Call it when the device is quiet. */
  expire(atMs: number): HidPosOutcome[] {
    if (this.progress.kind === 'idle' || !(atMs - this.lastReportAt > this.maxReportGapMs)) return [];
    return this.drop('partial message dropped: its last report never came');
  }

  /** Drops a message in progress, e.g. because the device closed or was unplugged. */
  reset(reason: string): HidPosOutcome[] {
    return this.drop(reason);
  }

  /** Bytes held for a message in progress; never more than maxMessageBytes. */
  pendingBytes(): number {
    return this.progress.kind === 'assembling' ? this.progress.bytes : 0;
  }

  private drop(reason: string, extraBytes = 0): HidPosOutcome[] {
    const progress = this.progress;
    this.progress = { kind: 'idle' };
    if (progress.kind !== 'assembling') return [];
    return [{ kind: 'discarded', count: progress.bytes + extraBytes, reason }];
  }

  /** Why a report cannot be used, and whether its "continued" flag can still be believed. */
  private problemWith(report: Uint8Array): { reason: string; flagReadable: boolean } | null {
    if (report.length === 0) return { reason: 'empty report', flagReadable: false };
    const id = report[0] ?? 0;
    if (id !== this.layout.reportId) {
      return { reason: `unexpected report id ${hexByte(id)} (expected ${hexByte(this.layout.reportId)})`, flagReadable: false };
    }
    if (report.length < this.layout.reportSize) {
      return { reason: `short report: ${report.length} bytes, the layout has ${this.layout.reportSize}`, flagReadable: false };
    }
    const count = report[1] ?? 0;
    if (count > this.capacity) return { reason: `byte count ${count} beyond the report's ${this.capacity} data bytes`, flagReadable: true };
    return null;
  }

  private continuedFlag(report: Uint8Array): boolean {
    return ((report[this.layout.reportSize - 1] ?? 0) & CONTINUED_BIT) !== 0;
  }

  private read(report: Uint8Array): ReadReport {
    const count = report[1] ?? 0;
    return {
      // A copy: node-hid may reuse its buffers, and a held chunk must not change under us.
      data: report.slice(HID_POS_DATA_OFFSET, HID_POS_DATA_OFFSET + count),
      symbology: symbologyOf(report.subarray(SYMBOLOGY_OFFSET, SYMBOLOGY_OFFSET + 3)),
      continued: this.continuedFlag(report),
    };
  }
}

function concatenate(chunks: readonly Uint8Array[], bytes: number): Uint8Array {
  const whole = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.length;
  }
  return whole;
}

function symbologyOf(bytes: Uint8Array): string {
  let symbology = '';
  for (const byte of bytes) if (byte >= 0x21 && byte <= 0x7e) symbology += String.fromCharCode(byte);
  return symbology;
}

/** The message's lines, as described at the top of the file. */
function mrzTextOf(bytes: Uint8Array): string {
  let latin1 = '';
  for (const byte of bytes) latin1 += String.fromCharCode(byte);
  return latin1
    .split(/\r\n|\r|\n/)
    .map(trimLine)
    .filter((line) => line !== '')
    .join('\n');
}

/** Spaces and control characters (STX, ETX, NUL padding) are not part of a zone's line. */
function isBlank(code: number): boolean {
  return code <= 0x20 || code === 0x7f;
}

function trimLine(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && isBlank(line.charCodeAt(start))) start++;
  while (end > start && isBlank(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

function hexByte(value: number): string {
  return `0x${value.toString(16).padStart(2, '0')}`;
}
