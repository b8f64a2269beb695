import { DEFAULT_HID_POS_LAYOUT, HID_POS_DATA_OFFSET, hidPosDataCapacity } from '../mrz/hid-pos';
import type { HidPosLayout } from '../mrz/hid-pos';

/**
 * The reports a HID POS reader sends for a document, byte for byte in the layout that
 * devices/mrz/hid-pos.ts reads (report id, byte count, symbology identifier, data,
 * two vendor bytes, "continued" flag in the last byte).
 */

export interface HidPosSimulatorOptions {
  layout?: HidPosLayout;
  /** Data bytes per report, at most the layout's capacity (56 by default). Readers vary; some send short reports. */
  bytesPerReport?: number;
  /** What ends each line. Readers send CR; some CRLF or LF. */
  lineEnd?: '\r' | '\n' | '\r\n';
  /** The three symbology identifier bytes. Default ']o0': AIM 'o', OCR. */
  symbology?: string;
}

/** One report carrying `data` (at most the layout's capacity). */
export function hidPosReport(data: Uint8Array, continued: boolean, options: HidPosSimulatorOptions = {}): Uint8Array {
  const layout = options.layout ?? DEFAULT_HID_POS_LAYOUT;
  const symbology = options.symbology ?? ']o0';
  const count = Math.min(data.length, hidPosDataCapacity(layout));
  const report = new Uint8Array(layout.reportSize);
  report[0] = layout.reportId;
  report[1] = count;
  for (let i = 0; i < 3; i++) report[2 + i] = symbology.charCodeAt(i) & 0xff;
  report.set(data.subarray(0, count), HID_POS_DATA_OFFSET);
  report[layout.reportSize - 1] = continued ? 1 : 0;
  return report;
}

/** The reports for one message of raw text (Latin-1), split into reports of bytesPerReport. */
export function hidPosReportsForText(text: string, options: HidPosSimulatorOptions = {}): Uint8Array[] {
  const layout = options.layout ?? DEFAULT_HID_POS_LAYOUT;
  const capacity = hidPosDataCapacity(layout);
  const perReport = Math.max(1, Math.min(options.bytesPerReport ?? capacity, capacity));
  const bytes = Uint8Array.from(text, (character) => character.charCodeAt(0) & 0xff);
  const reports: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length || reports.length === 0; offset += perReport) {
    const chunk = bytes.subarray(offset, offset + perReport);
    reports.push(hidPosReport(chunk, offset + perReport < bytes.length, options));
  }
  return reports;
}

/** The reports for a document's MRZ lines, each line ended the way the reader ends lines. */
export function hidPosReportsForLines(lines: readonly string[], options: HidPosSimulatorOptions = {}): Uint8Array[] {
  const lineEnd = options.lineEnd ?? '\r';
  return hidPosReportsForText(lines.map((line) => `${line}${lineEnd}`).join(''), options);
}
