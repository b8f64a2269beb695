import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeEvent } from './decoding';
import { ZFM_MAX_PACKET, ZfmDecoder, ZfmPacketId, encodeZfmPacket, zfmAckText, zfmCommand, type ZfmPacket } from './zfm-codec';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const packets = (events: DecodeEvent<ZfmPacket>[]): ZfmPacket[] => events.flatMap((event) => (event.kind === 'packet' ? [event.packet] : []));
const discarded = (events: DecodeEvent<ZfmPacket>[]): { count: number; reason: string }[] =>
  events.flatMap((event) => (event.kind === 'discarded' ? [event.discarded] : []));

describe('ZFM command encoding', () => {
  it.each([
    ['GenImg', zfmCommand.genImg(), 'EF01 FFFFFFFF 01 0003 01 0005'],
    ['Img2Tz buffer 1', zfmCommand.img2Tz(1), 'EF01 FFFFFFFF 01 0004 02 01 0008'],
    ['Search buffer 1, pages 0–999', zfmCommand.search(1, 0, 1000), 'EF01 FFFFFFFF 01 0008 04 01 0000 03E8 00F9'],
    ['RegModel', zfmCommand.regModel(), 'EF01 FFFFFFFF 01 0003 05 0009'],
    ['Store buffer 1 at page 5', zfmCommand.store(1, 5), 'EF01 FFFFFFFF 01 0006 06 01 0005 0013'],
    ['UpChar buffer 1', zfmCommand.upChar(1), 'EF01 FFFFFFFF 01 0004 08 01 000E'],
    ['UpImage', zfmCommand.upImage(), 'EF01 FFFFFFFF 01 0003 0A 000E'],
    ['VfyPwd 0', zfmCommand.vfyPwd(0), 'EF01 FFFFFFFF 01 0007 13 00000000 001B'],
    ['GenImg to address 12345678', zfmCommand.genImg(0x12345678), 'EF01 12345678 01 0003 01 0005'],
  ])('encodes %s byte for byte', (_name, encoded, expected) => {
    expect(Buffer.from(encoded).toString('hex').toUpperCase()).toBe(expected.replace(/\s+/g, ''));
  });

  it('refuses content longer than a packet can carry', () => {
    expect(() => encodeZfmPacket(ZfmPacketId.data, new Uint8Array(257))).toThrow(RangeError);
  });
});

describe('ZFM packet decoding', () => {
  it("decodes the module's 'no finger' acknowledgement", () => {
    const events = new ZfmDecoder().push(hex('EF01 FFFFFFFF 07 0003 02 000C'));
    expect(events).toEqual([{ kind: 'packet', packet: { address: 0xffffffff, packetId: ZfmPacketId.ack, content: Uint8Array.of(0x02), size: 12 } }]);
    expect(zfmAckText(0x02)).toBe('no finger on the sensor');
  });

  it('names the common confirmation codes, and says when one is undocumented', () => {
    expect(zfmAckText(0x06)).toMatch(/too messy/);
    expect(zfmAckText(0x07)).toMatch(/too few features/);
    expect(zfmAckText(0x0f)).toMatch(/uploading the image/);
    expect(zfmAckText(0x77)).toBe('undocumented confirmation code 0x77');
  });

  it('decodes a response split at every byte boundary', () => {
    const ack = hex('EF01 FFFFFFFF 07 0003 02 000C');
    const data = encodeZfmPacket(ZfmPacketId.data, Uint8Array.from({ length: 128 }, (_, i) => (i * 37) & 0xff));
    const stream = Buffer.concat([ack, data]);
    for (let split = 1; split < stream.length; split++) {
      const decoder = new ZfmDecoder();
      const decoded = [...packets(decoder.push(stream.subarray(0, split))), ...packets(decoder.push(stream.subarray(split)))];
      expect(decoded.map((packet) => packet.size), `split at ${split}`).toEqual([12, 139]);
      expect(decoder.buffered()).toBe(0);
    }
    const decoder = new ZfmDecoder();
    const oneByteAtATime = [...stream].flatMap((byte) => packets(decoder.push(Uint8Array.of(byte))));
    expect(oneByteAtATime.map((packet) => packet.content.length)).toEqual([1, 128]);
  });

  it('discards noise before a packet and says how much', () => {
    const events = new ZfmDecoder().push(hex('00 13 EF 42 FF EF01 FFFFFFFF 07 0003 00 000A'));
    expect(discarded(events)).toEqual([{ count: 5, reason: 'no packet start' }]);
    expect(packets(events)).toHaveLength(1);
  });

  it('discards a packet with a bad checksum and decodes the next one', () => {
    const events = new ZfmDecoder().push(hex('EF01 FFFFFFFF 07 0003 02 000D   EF01 FFFFFFFF 07 0003 00 000A'));
    expect(discarded(events)).toEqual([{ count: 12, reason: 'bad checksum' }]);
    expect(packets(events).map((packet) => packet.content[0])).toEqual([0x00]);
  });

  it('finds a packet that starts inside a truncated one (a module cut off mid-packet)', () => {
    // A data packet announcing 130 bytes is cut after 3; the next acknowledgement sits inside its claimed length.
    const truncated = encodeZfmPacket(ZfmPacketId.data, new Uint8Array(128)).subarray(0, 12);
    const ack = hex('EF01 FFFFFFFF 07 0003 00 000A');
    const filler = encodeZfmPacket(ZfmPacketId.data, new Uint8Array(128));
    const events = new ZfmDecoder().push(Buffer.concat([truncated, ack, filler]));
    expect(packets(events).map((packet) => packet.packetId)).toEqual([ZfmPacketId.ack, ZfmPacketId.data]);
    expect(discarded(events)).toEqual([{ count: 12, reason: 'bad checksum' }]);
  });

  it('ignores packets for another address and unknown packet ids', () => {
    const events = new ZfmDecoder().push(Buffer.concat([hex('EF01 12345678 07 0003 00 000A'), hex('EF01 FFFFFFFF 05 0003 00 0008'), hex('EF01 FFFFFFFF 07 0003 00 000A')]));
    expect(packets(events)).toHaveLength(1);
    expect(discarded(events).reduce((total, stretch) => total + stretch.count, 0)).toBe(24);
  });

  it('never throws on random bytes, keeps its buffer within one packet, and accounts for every byte', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 12 }), (chunks) => {
        const decoder = new ZfmDecoder();
        let accounted = 0;
        let pushed = 0;
        for (const chunk of chunks) {
          pushed += chunk.length;
          for (const event of decoder.push(chunk)) accounted += event.kind === 'packet' ? event.packet.size : event.discarded.count;
          expect(decoder.buffered()).toBeLessThanOrEqual(ZFM_MAX_PACKET);
        }
        expect(accounted + decoder.buffered()).toBe(pushed);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes random packets whole, through random noise and at random split points', () => {
    const packetArbitrary = fc.record({
      packetId: fc.constantFrom(ZfmPacketId.command, ZfmPacketId.data, ZfmPacketId.ack, ZfmPacketId.endOfData),
      content: fc.uint8Array({ maxLength: 256 }),
    });
    // Noise without 0xEF: resynchronisation is promised on the next header, not through noise that forges one.
    const noise = fc.uint8Array({ maxLength: 40 }).map((bytes) => bytes.map((byte) => (byte === 0xef ? 0x00 : byte)));
    fc.assert(
      fc.property(fc.array(fc.tuple(noise, packetArbitrary), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (items, splits) => {
        const stream = Buffer.concat(items.flatMap(([garbage, packet]) => [garbage, encodeZfmPacket(packet.packetId, packet.content)]));
        const cuts = [...new Set(splits.map((split) => split % (stream.length + 1)))].sort((a, b) => a - b);
        const decoder = new ZfmDecoder();
        const decoded: ZfmPacket[] = [];
        let from = 0;
        for (const cut of [...cuts, stream.length]) {
          decoded.push(...packets(decoder.push(stream.subarray(from, cut))));
          from = cut;
        }
        expect(decoded.map((packet) => [packet.packetId, Buffer.from(packet.content).toString('hex')])).toEqual(
          items.map(([, packet]) => [packet.packetId, Buffer.from(packet.content).toString('hex')]),
        );
        expect(decoder.buffered()).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
