import { BAD_CHECKSUM, DecodeEvents, NO_PACKET_START, byteSum16, joinBytes, type DecodeEvent, type PacketDecoder } from './decoding';

/**
 * The packet protocol of the ZhianTec ZFM family (R30x, ZFM-20/60/70, AS608 and their
 * clones), from the ZFM-70 and R307 user manuals:
 *
 *   EF 01 | address (4, big-endian) | packet id (1) | length (2, big-endian) | content | checksum (2, big-endian)
 *
 * `length` counts the content and the checksum; the checksum is the sum of the packet id,
 * both length bytes and the content, modulo 65536. Packet ids: 01 command, 02 data (more
 * follows), 07 acknowledgement, 08 end of data. An acknowledgement's first content byte is
 * the confirmation code (ZFM_ACK).
 */

export const ZFM_DEFAULT_ADDRESS = 0xffffffff;

export const ZfmPacketId = {
  command: 0x01,
  data: 0x02,
  ack: 0x07,
  endOfData: 0x08,
} as const;

export const ZfmInstruction = {
  GenImg: 0x01,
  Img2Tz: 0x02,
  Search: 0x04,
  RegModel: 0x05,
  Store: 0x06,
  UpChar: 0x08,
  UpImage: 0x0a,
  VfyPwd: 0x13,
} as const;

/** Confirmation codes (ZFM-70 manual, table 0.5; R307/R503 manuals for the later ones). */
export const ZFM_ACK: Readonly<Record<number, string>> = {
  0x00: 'done',
  0x01: 'error receiving the command packet',
  0x02: 'no finger on the sensor',
  0x03: 'failed to image the finger',
  0x06: 'image too messy to extract features',
  0x07: 'too few features (or too small a print) in the image',
  0x08: 'finger does not match',
  0x09: 'no matching finger found',
  0x0a: 'failed to combine the character files',
  0x0b: 'page id beyond the finger library',
  0x0c: 'error reading the template from the library, or template invalid',
  0x0d: 'error uploading the template',
  0x0e: 'module cannot receive the following data packets',
  0x0f: 'error uploading the image',
  0x10: 'failed to delete the template',
  0x11: 'failed to clear the finger library',
  0x13: 'wrong password',
  0x15: 'no valid primary image to work on',
  0x18: 'error writing flash',
  0x1a: 'invalid register number',
  0x20: 'wrong module address',
  0x21: 'the password must be verified first',
};

export const ZfmAckCode = {
  ok: 0x00,
  receiveError: 0x01,
  noFinger: 0x02,
  imageFailed: 0x03,
  imageTooMessy: 0x06,
  tooFewFeatures: 0x07,
  noMatch: 0x08,
  notFound: 0x09,
  uploadTemplateFailed: 0x0d,
  uploadImageFailed: 0x0f,
  wrongPassword: 0x13,
  noValidImage: 0x15,
} as const;

export function zfmAckText(code: number): string {
  return ZFM_ACK[code] ?? `undocumented confirmation code 0x${code.toString(16).padStart(2, '0')}`;
}

/** Header (2) + address (4) + packet id (1) + length (2). */
const PREAMBLE = 9;
/** The longest content any family member sends: 256-byte data packets (packet size setting 3). */
export const ZFM_MAX_CONTENT = 256;
/** The longest packet on the wire: the decoder never holds back more. */
export const ZFM_MAX_PACKET = PREAMBLE + ZFM_MAX_CONTENT + 2;

export interface ZfmPacket {
  address: number;
  packetId: number;
  content: Uint8Array;
  /** Bytes it took on the wire. */
  size: number;
}

export function encodeZfmPacket(packetId: number, content: Uint8Array | readonly number[], address = ZFM_DEFAULT_ADDRESS): Uint8Array {
  const length = content.length + 2;
  if (content.length > ZFM_MAX_CONTENT) throw new RangeError(`A ZFM packet carries at most ${ZFM_MAX_CONTENT} bytes, not ${content.length}.`);
  const packet = new Uint8Array(PREAMBLE + length);
  packet[0] = 0xef;
  packet[1] = 0x01;
  new DataView(packet.buffer).setUint32(2, address >>> 0);
  packet[6] = packetId;
  packet[7] = length >> 8;
  packet[8] = length & 0xff;
  packet.set(content, PREAMBLE);
  const checksum = byteSum16(packet, 6, PREAMBLE + content.length);
  packet[packet.length - 2] = checksum >> 8;
  packet[packet.length - 1] = checksum & 0xff;
  return packet;
}

/** The commands a host sends, encoded. Buffer ids are the module's CharBuffer1 (1) and CharBuffer2 (2). */
export const zfmCommand = {
  genImg: (address?: number) => encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.GenImg], address),
  img2Tz: (bufferId: number, address?: number) => encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.Img2Tz, bufferId], address),
  search: (bufferId: number, startPage: number, pageCount: number, address?: number) =>
    encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.Search, bufferId, ...u16(startPage), ...u16(pageCount)], address),
  regModel: (address?: number) => encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.RegModel], address),
  store: (bufferId: number, pageId: number, address?: number) =>
    encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.Store, bufferId, ...u16(pageId)], address),
  upChar: (bufferId: number, address?: number) => encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.UpChar, bufferId], address),
  upImage: (address?: number) => encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.UpImage], address),
  vfyPwd: (password: number, address?: number) =>
    encodeZfmPacket(ZfmPacketId.command, [ZfmInstruction.VfyPwd, ...u16(password >>> 16), ...u16(password & 0xffff)], address),
};

function u16(value: number): [number, number] {
  return [(value >> 8) & 0xff, value & 0xff];
}

const KNOWN_PACKET_IDS = new Set<number>(Object.values(ZfmPacketId));

/**
 * Turns a byte stream into ZFM packets. Never throws. Resynchronises on the next
 * `EF 01` whose address, packet id and length are plausible: anything before it is
 * discarded ('no packet start'); a packet whose checksum fails is discarded up to the
 * next header inside it ('bad checksum'), so a real packet hidden behind a damaged one
 * is never lost. Holds back at most one packet (ZFM_MAX_PACKET bytes).
 */
export class ZfmDecoder implements PacketDecoder<ZfmPacket> {
  private held: Uint8Array = new Uint8Array(0);

  constructor(private readonly address = ZFM_DEFAULT_ADDRESS) {}

  buffered(): number {
    return this.held.length;
  }

  reset(): void {
    this.held = new Uint8Array(0);
  }

  push(arriving: Uint8Array): DecodeEvent<ZfmPacket>[] {
    const bytes = joinBytes(this.held, arriving);
    const out = new DecodeEvents<ZfmPacket>();
    let at = 0;
    while (at < bytes.length) {
      const start = this.nextHeader(bytes, at);
      out.discard(start - at, NO_PACKET_START);
      at = start;
      if (at >= bytes.length) break;
      if (bytes.length - at < PREAMBLE) break; // a header still arriving
      if (!this.plausible(bytes, at)) {
        out.discard(1, NO_PACKET_START);
        at += 1;
        continue;
      }
      const length = (bytes[at + 7]! << 8) | bytes[at + 8]!;
      const size = PREAMBLE + length;
      if (bytes.length - at < size) break; // the rest of the packet still arriving
      const expected = (bytes[at + size - 2]! << 8) | bytes[at + size - 1]!;
      if (byteSum16(bytes, at + 6, at + size - 2) !== expected) {
        const inner = this.nextHeader(bytes, at + 1, at + size);
        out.discard(inner - at, BAD_CHECKSUM);
        at = inner;
        continue;
      }
      out.packet({
        address: new DataView(bytes.buffer, bytes.byteOffset + at + 2, 4).getUint32(0),
        packetId: bytes[at + 6]!,
        content: bytes.slice(at + PREAMBLE, at + size - 2),
        size,
      });
      at += size;
    }
    this.held = bytes.slice(at);
    return out.events;
  }

  /** Index of the next `EF 01` (or of a final lone `EF`) from `from`, else `to`. */
  private nextHeader(bytes: Uint8Array, from: number, to = bytes.length): number {
    for (let i = from; i < to; i++) {
      if (bytes[i] !== 0xef) continue;
      if (i + 1 === bytes.length || bytes[i + 1] === 0x01) return i;
    }
    return to;
  }

  /** A header whose fields a module could have sent: the configured address, a known packet id, a length that fits. */
  private plausible(bytes: Uint8Array, at: number): boolean {
    const address = new DataView(bytes.buffer, bytes.byteOffset + at + 2, 4).getUint32(0);
    const length = (bytes[at + 7]! << 8) | bytes[at + 8]!;
    return address === this.address >>> 0 && KNOWN_PACKET_IDS.has(bytes[at + 6]!) && length >= 2 && length <= ZFM_MAX_CONTENT + 2;
  }
}
