import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildMrz } from '../../../domain/mrz';
import { mrzDocumentArbitrary } from '../../../domain/mrz/synthetic.arbitrary';
import { jsonFrame, sohBccFrame, stxEtxFrame } from '../../simulators/mrz-serial-simulator';
import type { FrameEvent, MrzFraming } from '.';
import { MRZ_FRAMINGS, createMrzFrameParser } from '.';

/** The bytes that can start a frame in each framing: left out of the garbage where a property needs a quiet line. */
const FRAME_STARTS: Record<MrzFraming, number[]> = { 'stx-etx': [0x02], 'soh-bcc': [0x01], json: [0x02] };
/** Bytes stx-etx skips between frames by default (start- and end-of-document). */
const WRAPPERS: Record<MrzFraming, number[]> = { 'stx-etx': [0x01, 0x04], 'soh-bcc': [], json: [] };

const zone = mrzDocumentArbitrary().map((input) => {
  const built = buildMrz(input);
  if (!built.ok) throw new Error(built.error.message);
  return built.lines;
});

/** One document framed as a reader might send it, with each framing's options drawn at random. */
function framedZone(framing: MrzFraming): fc.Arbitrary<{ lines: string[]; bytes: Uint8Array }> {
  const options: fc.Arbitrary<(lines: string[]) => Uint8Array> =
    framing === 'stx-etx'
      ? fc
          .record({ documentStart: fc.constantFrom(null, 0x01), documentEnd: fc.constantFrom(null, 0x04), lineEnd: fc.constantFrom('\r' as const, '\r\n' as const) })
          .map((choice) => (lines) => stxEtxFrame(lines, choice))
      : framing === 'soh-bcc'
        ? fc
            .record({ lengthByte: fc.boolean(), flag: fc.constantFrom(null, 0x00, 0x20, 0x2a, 0x7f, 0xff), padTo: fc.constantFrom(0, 44, 50) })
            .map((choice) => (lines) => sohBccFrame(lines, choice))
        : fc.record({ shape: fc.constantFrom('lines' as const, 'text' as const) }).map((choice) => (lines) => jsonFrame(lines, choice));
  return fc.tuple(zone, options).map(([lines, frame]) => ({ lines, bytes: frame(lines) }));
}

/** Bytes with the framings' special bytes much more often than chance would bring them. */
const wireBytes = fc
  .array(fc.oneof(fc.constantFrom(0x01, 0x02, 0x03, 0x04, 0x0a, 0x0d, 0x22, 0x3c, 0x4f, 0x55, 0x5b, 0x5f, 0x7b, 0x7d), fc.integer({ min: 0, max: 255 })), { maxLength: 60 })
  .map((bytes) => Uint8Array.from(bytes));

function join(parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

/** The stream cut at the given points (each taken modulo its length), as a port might deliver it. */
function chunks(stream: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => stream.subarray(start, at[i] ?? stream.length));
}

function feedAll(framing: MrzFraming, pieces: readonly Uint8Array[], maxFrameBytes?: number): FrameEvent[] {
  const parser = createMrzFrameParser(framing, maxFrameBytes === undefined ? {} : { maxFrameBytes });
  const events: FrameEvent[] = [];
  for (const piece of pieces) {
    events.push(...parser.push(piece));
    expect(parser.bufferedBytes).toBeLessThanOrEqual(parser.maxFrameBytes);
  }
  return events;
}

const documentsOf = (events: readonly FrameEvent[]): string[] => events.flatMap((event) => (event.kind === 'document' ? [event.text] : []));

describe.each(MRZ_FRAMINGS)('the %s framing, on any bytes', (framing) => {
  it('never throws, never holds more than its maximum, and reports only whole documents and real stretches', () => {
    fc.assert(
      fc.property(fc.array(wireBytes, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }), fc.integer({ min: 2, max: 300 }), (parts, cuts, maxFrameBytes) => {
        for (const events of [feedAll(framing, chunks(join(parts), cuts), maxFrameBytes), feedAll(framing, chunks(join(parts), cuts))]) {
          for (const event of events) {
            if (event.kind === 'document') expect(event.text).not.toBe('');
            else expect(event.count).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('delivers every framed document whole and in order, whatever garbage lies between and wherever the stream is cut', () => {
    const starts = new Set(FRAME_STARTS[framing]);
    const wrappers = new Set(WRAPPERS[framing]);
    const quietGarbage = wireBytes.map((bytes) => bytes.filter((byte) => !starts.has(byte)));
    fc.assert(
      fc.property(fc.array(fc.tuple(quietGarbage, framedZone(framing)), { minLength: 1, maxLength: 4 }), quietGarbage, fc.array(fc.nat(), { maxLength: 10 }), (sent, trailing, cuts) => {
        const stream = join([...sent.flatMap(([garbage, { bytes }]) => [garbage, bytes]), trailing]);
        const events = feedAll(framing, chunks(stream, cuts));
        expect(documentsOf(events)).toEqual(sent.map(([, { lines }]) => lines.join('\n')));
        // Every garbage byte is reported, once, as what it is (wrapper bytes are skipped in silence).
        const garbage = [...sent.map(([bytes]) => bytes), trailing].flatMap((bytes) => [...bytes]).filter((byte) => !wrappers.has(byte));
        const discarded = events.flatMap((event) => (event.kind === 'discarded' ? [event] : []));
        expect(discarded.every((event) => event.reason === 'no frame start')).toBe(true);
        expect(discarded.reduce((sum, event) => sum + event.count, 0)).toBe(garbage.length);
      }),
    );
  });

  it('still delivers every framed document whole, in order, when the garbage holds frame starts too', () => {
    // A soh-bcc frame is closed by ETX and the byte after it, whatever that byte is: garbage
    // that ends in a frame cut short just before its block check takes the next frame's SOH as
    // that check. No resynchronisation can tell that apart, so that garbage holds no ETX here.
    const garbageBytes = framing === 'soh-bcc' ? wireBytes.map((bytes) => bytes.filter((byte) => byte !== 0x03)) : wireBytes;
    fc.assert(
      fc.property(fc.array(fc.tuple(garbageBytes, framedZone(framing)), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 10 }), (sent, cuts) => {
        const events = feedAll(framing, chunks(join(sent.flatMap(([garbage, { bytes }]) => [garbage, bytes])), cuts));
        const received = documentsOf(events);
        let next = 0;
        for (const text of received) if (text === sent[next]?.[1].lines.join('\n')) next++;
        expect(next).toBe(sent.length);
      }),
    );
  });
});
