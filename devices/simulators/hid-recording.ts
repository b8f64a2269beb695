/**
 * Recorded HID report sequences as text: one report a line in hex (spaces allowed),
 * `# ...` comments, blank lines ignored, and `pause <ms>` for a quiet spell. Reports
 * otherwise follow each other 1 ms apart, as a reader sends them. Used for the fixture
 * files of the HID POS assembler and to replay a recording through the simulated bus.
 */

export interface RecordedReport {
  bytes: Uint8Array;
  /** Milliseconds since the start of the recording. */
  atMs: number;
}

const REPORT_SPACING_MS = 1;

export function parseHidRecording(text: string): RecordedReport[] {
  const reports: RecordedReport[] = [];
  let clock = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const pause = /^pause\s+(\d+)$/.exec(line);
    if (pause) {
      clock += Number(pause[1]);
      return;
    }
    const hex = line.replace(/\s+/g, '');
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(hex)) throw new SyntaxError(`line ${index + 1}: not a report in hex: ${line.slice(0, 40)}`);
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    reports.push({ bytes, atMs: clock });
    clock += REPORT_SPACING_MS;
  });
  return reports;
}

function hexOfReport(report: Uint8Array): string {
  return Array.from(report, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

export function formatHidRecording(reports: readonly Uint8Array[], comment: string): string {
  const header = comment
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');
  return `${header}\n${reports.map(hexOfReport).join('\n')}\n`;
}
