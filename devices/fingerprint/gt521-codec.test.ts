import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeEvent } from './decoding';
import {
  GT521_MAX_DATA,
  Gt521Command,
  Gt521Decoder,
  Gt521Nack,
  encodeGt521Command,
  encodeGt521Data,
  encodeGt521Response,
  gt521NackText,
  type Gt521Packet,
} from './gt521-codec';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const show = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();
const packets = (events: DecodeEvent<Gt521Packet>[]): Gt521Packet[] => events.flatMap((event) => (event.kind === 'packet' ? [event.packet] : []));
const discarded = (events: DecodeEvent<Gt521Packet>[]): { count: number; reason: string }[] =>
  events.flatMap((event) => (event.kind === 'discarded' ? [event.discarded] : []));

describe('GT-521 encoding', () => {
  it('encodes Open exactly as the programming guide shows it', () => {
    expect(show(encodeGt521Command(Gt521Command.Open))).toBe('55AA0100000000000100' + '0101');
  });

  it.each([
    ['CmosLed on', encodeGt521Command(Gt521Command.CmosLed, 1), '55AA 0100 01000000 1200 1301'],
    ['CmosLed off', encodeGt521Command(Gt521Command.CmosLed, 0), '55AA 0100 00000000 1200 1201'],
    ['ChangeBaudrate 115200', encodeGt521Command(Gt521Command.ChangeBaudrate, 115200), '55AA 0100 00C20100 0400 C701'],
    ['an ack', encodeGt521Response(true), '55AA 0100 00000000 3000 3001'],
    ['a nack, finger not pressed', encodeGt521Response(false, Gt521Nack.NACK_FINGER_IS_NOT_PRESSED), '55AA 0100 12100000 3100 5301'],
    ['a data packet', encodeGt521Data(Uint8Array.of(1, 2, 3)), '5AA5 0100 010203 0601'],
  ])('encodes %s little-endian with its byte sum', (_name, encoded, expected) => {
    expect(show(encoded)).toBe(expected.replace(/\s+/g, ''));
  });

  it('names nack codes from the programming guide', () => {
    expect(gt521NackText(0x1012)).toBe('NACK_FINGER_IS_NOT_PRESSED (finger not pressed)');
    expect(gt521NackText(0x1001)).toBe('NACK_TIMEOUT (capture timeout)');
    expect(gt521NackText(0x100c)).toBe('NACK_BAD_FINGER (fingerprint too poor)');
    expect(gt521NackText(17)).toBe('duplicate of template 17');
    expect(gt521NackText(0x2000)).toBe('undocumented error 0x2000');
  });
});

describe('GT-521 decoding', () => {
  it('decodes an ack and a nack with their parameters', () => {
    const events = new Gt521Decoder().push(Buffer.concat([hex('55AA 0100 00000000 3000 3001'), encodeGt521Response(false, 0x1012)]));
    expect(packets(events)).toEqual([
      { kind: 'command', deviceId: 1, parameter: 0, code: 0x30, size: 12 },
      { kind: 'command', deviceId: 1, parameter: 0x1012, code: 0x31, size: 12 },
    ]);
  });

  it('decodes a data packet only when told its length, and ignores one it was not told of', () => {
    const data = encodeGt521Data(Uint8Array.from({ length: 498 }, (_, i) => i & 0xff));
    expect(packets(new Gt521Decoder().push(data))).toEqual([]);
    const decoder = new Gt521Decoder();
    decoder.expectData(498);
    const [packet] = packets(decoder.push(data));
    expect(packet).toMatchObject({ kind: 'data', size: 504 });
    expect(packet?.kind === 'data' && packet.data).toEqual(Uint8Array.from({ length: 498 }, (_, i) => i & 0xff));
    // The expectation is used up: the same bytes again are noise.
    expect(packets(decoder.push(data))).toEqual([]);
  });

  it('decodes a response and a data packet split at every byte boundary', () => {
    const stream = Buffer.concat([encodeGt521Response(true), encodeGt521Data(Uint8Array.from({ length: 40 }, (_, i) => 0x55 + i))]);
    for (let split = 1; split < stream.length; split++) {
      const decoder = new Gt521Decoder();
      decoder.expectData(40);
      const decoded = [...packets(decoder.push(stream.subarray(0, split))), ...packets(decoder.push(stream.subarray(split)))];
      expect(decoded.map((packet) => packet.kind), `split at ${split}`).toEqual(['command', 'data']);
      expect(decoder.buffered()).toBe(0);
    }
  });

  it('discards noise and a damaged response, then decodes the good one', () => {
    const damaged = encodeGt521Response(true);
    damaged[11]! ^= 0xff;
    const events = new Gt521Decoder().push(Buffer.concat([hex('00 55 13 AA'), damaged, encodeGt521Response(true, 7)]));
    expect(discarded(events)).toEqual([
      { count: 4, reason: 'no packet start' },
      { count: 12, reason: 'bad checksum' },
    ]);
    expect(packets(events)).toEqual([{ kind: 'command', deviceId: 1, parameter: 7, code: 0x30, size: 12 }]);
  });

  it('finds a response that starts inside a data packet cut off mid-way', () => {
    const decoder = new Gt521Decoder();
    decoder.expectData(20);
    const cut = encodeGt521Data(new Uint8Array(20)).subarray(0, 8);
    const events = decoder.push(Buffer.concat([cut, encodeGt521Response(false, Gt521Nack.NACK_DEV_ERR), new Uint8Array(10)]));
    expect(packets(events)).toEqual([{ kind: 'command', deviceId: 1, parameter: Gt521Nack.NACK_DEV_ERR, code: 0x31, size: 12 }]);
  });

  it('ignores packets for another device id', () => {
    const other = encodeGt521Response(true, 0, 2);
    expect(packets(new Gt521Decoder().push(Buffer.concat([other, encodeGt521Response(true, 5)])))).toHaveLength(1);
  });

  it('refuses to expect a data packet larger than any model sends', () => {
    expect(() => new Gt521Decoder().expectData(GT521_MAX_DATA + 1)).toThrow(RangeError);
  });

  it('never throws on random bytes, stays within the expected packet, and accounts for every byte', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), fc.option(fc.integer({ min: 0, max: 600 })), (chunks, expected) => {
        const decoder = new Gt521Decoder();
        if (expected !== null) decoder.expectData(expected);
        const bound = Math.max(12, expected === null ? 0 : expected + 6);
        let accounted = 0;
        let pushed = 0;
        for (const chunk of chunks) {
          pushed += chunk.length;
          for (const event of decoder.push(chunk)) accounted += event.kind === 'packet' ? event.packet.size : event.discarded.count;
          expect(decoder.buffered()).toBeLessThanOrEqual(bound);
        }
        expect(accounted + decoder.buffered()).toBe(pushed);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes random responses and data packets whole, through random noise and at random split points', () => {
    const item = fc.oneof(
      fc.record({ kind: fc.constant('command' as const), parameter: fc.nat(), code: fc.integer({ min: 0, max: 0xffff }) }),
      fc.record({ kind: fc.constant('data' as const), data: fc.uint8Array({ maxLength: 300 }) }),
    );
    // Noise without 0x55 or 0x5A: resynchronisation is promised on the next header, not through noise that forges one.
    const noise = fc.uint8Array({ maxLength: 30 }).map((bytes) => bytes.map((byte) => (byte === 0x55 || byte === 0x5a ? 0x00 : byte)));
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, item), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (items, splits) => {
        const encoded = items.map(([, packet]) => (packet.kind === 'command' ? encodeGt521Command(packet.code, packet.parameter) : encodeGt521Data(packet.data)));
        const stream = Buffer.concat(items.flatMap(([garbage], i) => [garbage, encoded[i]!]));
        // The driver tells the decoder a data packet's length when it asks for one; here, by where each one starts.
        const dataStarts = new Map<number, number>();
        let offset = 0;
        items.forEach(([garbage, packet], i) => {
          offset += garbage.length;
          if (packet.kind === 'data') dataStarts.set(offset, packet.data.length);
          offset += encoded[i]!.length;
        });
        const cuts = new Set(splits.map((split) => split % (stream.length + 1)));
        for (const start of dataStarts.keys()) cuts.add(start);
        const decoder = new Gt521Decoder();
        const decoded: Gt521Packet[] = [];
        let from = 0;
        for (const cut of [...[...cuts].sort((a, b) => a - b), stream.length]) {
          decoded.push(...packets(decoder.push(stream.subarray(from, cut))));
          const length = dataStarts.get(cut);
          if (length !== undefined) decoder.expectData(length);
          from = cut;
        }
        expect(decoded.map((packet) => (packet.kind === 'data' ? ['data', show(packet.data)] : ['command', packet.code, packet.parameter]))).toEqual(
          items.map(([, packet]) => (packet.kind === 'data' ? ['data', show(packet.data)] : ['command', packet.code, packet.parameter >>> 0])),
        );
        expect(decoder.buffered()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
