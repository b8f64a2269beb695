import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMrz } from '../../domain/mrz';
import specimens from '../../domain/mrz/fixtures/specimens.json';
import { mrzDocumentArbitrary } from '../../domain/mrz/synthetic.arbitrary';
import { hidPosReport, hidPosReportsForLines, hidPosReportsForText } from '../simulators/hid-pos-simulator';
import { formatHidRecording, parseHidRecording } from '../simulators/hid-recording';
import { DEFAULT_HID_POS_LAYOUT, HidPosAssembler } from './hid-pos';
import type { HidPosOutcome } from './hid-pos';

const FIXTURES = join(import.meta.dirname, 'hid-pos-fixtures');

function specimenLines(name: string): string[] {
  const specimen = specimens.specimens.find((candidate) => candidate.name.startsWith(name));
  if (specimen === undefined) throw new Error(`no specimen ${name}`);
  return specimen.lines;
}

const TD3 = specimenLines('TD3 passport, ICAO');
const TD1 = specimenLines('TD1 identity card');
const TD2 = specimenLines('TD2');

function assemble(reports: readonly { bytes: Uint8Array; atMs: number }[], assembler = new HidPosAssembler()): HidPosOutcome[] {
  return reports.flatMap((report) => assembler.push(report.bytes, report.atMs));
}

function recording(file: string) {
  return parseHidRecording(readFileSync(join(FIXTURES, file), 'utf8'));
}

/** Back-to-back reports, 1 ms apart, as a reader sends them. */
function timed(reports: readonly Uint8Array[], startMs = 0) {
  return reports.map((bytes, index) => ({ bytes, atMs: startMs + index }));
}

describe('HID report assembly from recorded report sequences', () => {
  const cases: { file: string; reports: number; expected: HidPosOutcome[] }[] = [
    {
      file: 'one-report.hex',
      reports: 1,
      expected: [{ kind: 'message', text: TD3[1] ?? '', symbology: ']o0', reports: 1 }],
    },
    {
      file: 'two-reports.hex',
      reports: 2,
      expected: [{ kind: 'message', text: TD3.join('\n'), symbology: ']o0', reports: 2 }],
    },
    {
      file: 'five-reports.hex',
      reports: 5,
      expected: [{ kind: 'message', text: TD1.join('\n'), symbology: ']o0', reports: 5 }],
    },
    {
      file: 'length-beyond-report.hex',
      reports: 4,
      expected: [
        { kind: 'discarded', count: 64, reason: "byte count 200 beyond the report's 56 data bytes" },
        { kind: 'discarded', count: 18, reason: 'rest of a dropped message' },
        { kind: 'message', text: TD3.join('\n'), symbology: ']o0', reports: 2 },
      ],
    },
    {
      file: 'stray-report-mid-message.hex',
      reports: 5,
      expected: [
        { kind: 'discarded', count: 56, reason: 'partial message dropped: a bad report came in the middle of it' },
        { kind: 'discarded', count: 2, reason: 'unexpected report id 0x04 (expected 0x02)' },
        { kind: 'discarded', count: 34, reason: 'rest of a dropped message' },
        { kind: 'message', text: TD1.join('\n'), symbology: ']o0', reports: 2 },
      ],
    },
    {
      file: 'missing-final-report.hex',
      reports: 6,
      expected: [
        { kind: 'discarded', count: 80, reason: 'partial message dropped: its last report never came' },
        { kind: 'message', text: TD2.join('\n'), symbology: ']o0', reports: 2 },
      ],
    },
  ];

  for (const { file, reports, expected } of cases) {
    it(`assembles ${file} as recorded`, () => {
      const recorded = recording(file);
      expect(recorded).toHaveLength(reports);
      expect(assemble(recorded)).toEqual(expected);
    });
  }

  it('reads back what it writes: reports, comments and pauses', () => {
    const reports = hidPosReportsForLines(TD2);
    const text = `${formatHidRecording(reports, 'two reports\nof the TD2 specimen')}pause 700\n${formatHidRecording(reports.slice(0, 1), 'again')}`;
    expect(text.startsWith('# two reports\n# of the TD2 specimen\n02 38 5d 6f 30 49 3c')).toBe(true);
    expect(parseHidRecording(text).map(({ bytes, atMs }) => ({ bytes: Array.from(bytes), atMs }))).toEqual([
      { bytes: Array.from(reports[0] ?? []), atMs: 0 },
      { bytes: Array.from(reports[1] ?? []), atMs: 1 },
      { bytes: Array.from(reports[0] ?? []), atMs: 702 },
    ]);
    expect(() => parseHidRecording('02 3')).toThrow(SyntaxError);
  });

  it('the simulator still produces the recorded sequences byte for byte', () => {
    const bytes = (file: string) => recording(file).map((report) => Array.from(report.bytes));
    expect(bytes('one-report.hex')).toEqual(hidPosReportsForLines([TD3[1] ?? '']).map((report) => Array.from(report)));
    expect(bytes('two-reports.hex')).toEqual(hidPosReportsForLines(TD3).map((report) => Array.from(report)));
    expect(bytes('five-reports.hex')).toEqual(
      hidPosReportsForLines(TD1, { bytesPerReport: 20, lineEnd: '\r\n' }).map((report) => Array.from(report)),
    );
  });
});

describe('HID POS assembler', () => {
  it('reads a report longer than the layout at the layout offsets (Windows pads input reports)', () => {
    const [report] = hidPosReportsForLines([TD3[1] ?? '']);
    const padded = new Uint8Array(80);
    padded.set(report ?? new Uint8Array());
    expect(assemble(timed([padded]))).toEqual([{ kind: 'message', text: TD3[1], symbology: ']o0', reports: 1 }]);
  });

  it('discards a report shorter than the layout, with its size in the reason', () => {
    const report = hidPosReportsForLines([TD3[1] ?? ''])[0]?.subarray(0, 40) ?? new Uint8Array();
    expect(assemble(timed([report]))).toEqual([{ kind: 'discarded', count: 40, reason: 'short report: 40 bytes, the layout has 64' }]);
  });

  it('drops a message longer than its bound and skips the rest of it, then reads the next one', () => {
    const assembler = new HidPosAssembler({ maxMessageBytes: 100 });
    const long = hidPosReportsForText('A'.repeat(150));
    const outcomes = assemble([...timed(long), ...timed(hidPosReportsForLines(TD3), 10)], assembler);
    expect(outcomes).toEqual([
      { kind: 'discarded', count: 112, reason: 'message longer than 100 bytes' },
      { kind: 'discarded', count: 38, reason: 'rest of a dropped message' },
      { kind: 'message', text: TD3.join('\n'), symbology: ']o0', reports: 2 },
    ]);
  });

  it('keeps assembling across a slow but timely report, and drops only past maxReportGapMs', () => {
    const reports = hidPosReportsForLines(TD3);
    const assembler = new HidPosAssembler({ maxReportGapMs: 500 });
    expect(assemble([{ bytes: reports[0]!, atMs: 0 }, { bytes: reports[1]!, atMs: 500 }], assembler)).toEqual([
      { kind: 'message', text: TD3.join('\n'), symbology: ']o0', reports: 2 },
    ]);
    expect(assembler.push(reports[0]!, 1000)).toEqual([]);
    expect(assembler.expire(1500)).toEqual([]);
    expect(assembler.expire(1501)).toEqual([{ kind: 'discarded', count: 56, reason: 'partial message dropped: its last report never came' }]);
    expect(assembler.pendingBytes()).toBe(0);
  });

  it('drops the message in progress on reset, with the reason given', () => {
    const assembler = new HidPosAssembler();
    assembler.push(hidPosReportsForLines(TD3)[0]!, 0);
    expect(assembler.reset('device unplugged mid-message')).toEqual([{ kind: 'discarded', count: 56, reason: 'device unplugged mid-message' }]);
    expect(assembler.reset('again')).toEqual([]);
  });

  it('normalises CR, LF and CRLF line ends, trims padding and control bytes, and drops empty lines', () => {
    const text = `\x02${TD2[0]}  \r\n\r\n${TD2[1]}\n\x03`;
    expect(assemble(timed(hidPosReportsForText(text)))).toEqual([{ kind: 'message', text: TD2.join('\n'), symbology: ']o0', reports: 2 }]);
  });

  it('discards a message without text', () => {
    expect(assemble(timed([hidPosReport(new Uint8Array([0x0d, 0x0d]), false)]))).toEqual([
      { kind: 'discarded', count: 2, reason: 'message without text' },
    ]);
  });

  it('uses the report id and size of its layout', () => {
    const layout = { reportId: 0x07, reportSize: 40 };
    const assembler = new HidPosAssembler({ layout });
    const outcomes = assemble(timed(hidPosReportsForLines(TD1, { layout })), assembler);
    expect(outcomes).toEqual([{ kind: 'message', text: TD1.join('\n'), symbology: ']o0', reports: 3 }]);
    expect(assembler.push(hidPosReportsForLines(TD1)[0]!, 100)).toEqual([
      { kind: 'discarded', count: 64, reason: 'unexpected report id 0x02 (expected 0x07)' },
    ]);
  });
});

describe('HID POS assembler properties', () => {
  /** Reports that are often nearly right: the expected id and size, a plausible count and flag. */
  const reportArbitrary = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    fc
      .record({
        count: fc.integer({ min: 0, max: 255 }),
        continued: fc.boolean(),
        data: fc.uint8Array({ minLength: 56, maxLength: 56 }),
        id: fc.constantFrom(0x02, 0x02, 0x02, 0x04, 0x00),
      })
      .map(({ count, continued, data, id }) => {
        const report = hidPosReport(data, continued);
        report[0] = id;
        report[1] = count;
        return report;
      }),
  );
  const gapArbitrary = fc.integer({ min: 0, max: 800 });

  it('never throws on any sequence of reports and never holds more than maxMessageBytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(reportArbitrary, gapArbitrary), { maxLength: 60 }), fc.integer({ min: 1, max: 400 }), (reports, maxMessageBytes) => {
        const assembler = new HidPosAssembler({ maxMessageBytes });
        let clock = 0;
        for (const [report, gap] of reports) {
          clock += gap;
          const outcomes = assembler.push(report, clock);
          expect(assembler.pendingBytes()).toBeLessThanOrEqual(maxMessageBytes);
          for (const outcome of outcomes) {
            if (outcome.kind === 'message') expect(outcome.text.length).toBeLessThanOrEqual(maxMessageBytes);
            else expect(outcome.count).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('assembles any document split into reports of any size whole, whatever the line ends', () => {
    fc.assert(
      fc.property(
        mrzDocumentArbitrary(),
        fc.integer({ min: 1, max: DEFAULT_HID_POS_LAYOUT.reportSize - 8 }),
        fc.constantFrom('\r' as const, '\n' as const, '\r\n' as const),
        (document, bytesPerReport, lineEnd) => {
          const built = buildMrz(document);
          if (!built.ok) throw new Error(built.error.message);
          const reports = hidPosReportsForLines(built.lines, { bytesPerReport, lineEnd });
          expect(assemble(timed(reports))).toEqual([{ kind: 'message', text: built.lines.join('\n'), symbology: ']o0', reports: reports.length }]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads a document whole after any garbage once a reader-sized pause has passed', () => {
    fc.assert(
      fc.property(fc.array(reportArbitrary, { maxLength: 20 }), mrzDocumentArbitrary(), (garbage, document) => {
        const built = buildMrz(document);
        if (!built.ok) throw new Error(built.error.message);
        const assembler = new HidPosAssembler();
        assemble(timed(garbage), assembler);
        const outcomes = assemble(timed(hidPosReportsForLines(built.lines), garbage.length + 501), assembler);
        expect(outcomes.at(-1)).toEqual({ kind: 'message', text: built.lines.join('\n'), symbology: ']o0', reports: expect.any(Number) });
      }),
      { numRuns: 200 },
    );
  });
});
