import { BAD_CHECKSUM, DecodeEvents, NO_PACKET_START, byteSum16, joinBytes, type DecodeEvent, type PacketDecoder } from './decoding';

/**
 * The packet protocol of the ADH-Tech GT-521Fxx modules (GT-521F32, GT-521F52; the older
 * GT-511C1R/C3 speak the same), from the GT-521F programming guide. Everything is
 * little-endian.
 *
 *   command / response:  55 AA | device id (2) | parameter (4) | command or ack (2) | checksum (2)   (12 bytes)
 *   data:                5A A5 | device id (2) | data (N) | checksum (2)
 *
 * The checksum is the sum of all the bytes before it, modulo 65536. A response's code is
 * 0x30 (ack: parameter is the result) or 0x31 (nack: parameter is an error code,
 * GT521_NACK). A data packet has no length field: its length is fixed by the command
 * that announced it, so the decoder is told what to expect (expectData).
 */

export const GT521_DEFAULT_DEVICE_ID = 0x0001;
export const GT521_PACKET_SIZE = 12;
export const GT521_ACK = 0x30;
export const GT521_NACK_CODE = 0x31;

export const Gt521Command = {
  Open: 0x01,
  Close: 0x02,
  ChangeBaudrate: 0x04,
  CmosLed: 0x12,
  IsPressFinger: 0x26,
  CaptureFinger: 0x60,
  MakeTemplate: 0x61,
  GetImage: 0x62,
  GetRawImage: 0x63,
} as const;

export const Gt521Nack = {
  NACK_TIMEOUT: 0x1001,
  NACK_INVALID_BAUDRATE: 0x1002,
  NACK_INVALID_POS: 0x1003,
  NACK_IS_NOT_USED: 0x1004,
  NACK_IS_ALREADY_USED: 0x1005,
  NACK_COMM_ERR: 0x1006,
  NACK_VERIFY_FAILED: 0x1007,
  NACK_IDENTIFY_FAILED: 0x1008,
  NACK_DB_IS_FULL: 0x1009,
  NACK_DB_IS_EMPTY: 0x100a,
  NACK_TURN_ERR: 0x100b,
  NACK_BAD_FINGER: 0x100c,
  NACK_ENROLL_FAILED: 0x100d,
  NACK_IS_NOT_SUPPORTED: 0x100e,
  NACK_DEV_ERR: 0x100f,
  NACK_CAPTURE_CANCELED: 0x1010,
  NACK_INVALID_PARAM: 0x1011,
  NACK_FINGER_IS_NOT_PRESSED: 0x1012,
} as const;

const NACK_TEXT: Readonly<Record<number, string>> = {
  [Gt521Nack.NACK_TIMEOUT]: 'capture timeout',
  [Gt521Nack.NACK_INVALID_BAUDRATE]: 'invalid baud rate',
  [Gt521Nack.NACK_INVALID_POS]: 'template id out of range',
  [Gt521Nack.NACK_IS_NOT_USED]: 'template id not used',
  [Gt521Nack.NACK_IS_ALREADY_USED]: 'template id already used',
  [Gt521Nack.NACK_COMM_ERR]: 'communication error',
  [Gt521Nack.NACK_VERIFY_FAILED]: '1:1 verification failed',
  [Gt521Nack.NACK_IDENTIFY_FAILED]: '1:N identification failed',
  [Gt521Nack.NACK_DB_IS_FULL]: 'template database full',
  [Gt521Nack.NACK_DB_IS_EMPTY]: 'template database empty',
  [Gt521Nack.NACK_TURN_ERR]: 'enrolment steps out of order',
  [Gt521Nack.NACK_BAD_FINGER]: 'fingerprint too poor',
  [Gt521Nack.NACK_ENROLL_FAILED]: 'enrolment failed',
  [Gt521Nack.NACK_IS_NOT_SUPPORTED]: 'command not supported',
  [Gt521Nack.NACK_DEV_ERR]: 'device error',
  [Gt521Nack.NACK_CAPTURE_CANCELED]: 'capture cancelled',
  [Gt521Nack.NACK_INVALID_PARAM]: 'invalid parameter',
  [Gt521Nack.NACK_FINGER_IS_NOT_PRESSED]: 'finger not pressed',
};

/** 'NACK_BAD_FINGER (fingerprint too poor)'; below 0x1000 the nack parameter is a duplicate template id. */
export function gt521NackText(code: number): string {
  const name = Object.entries(Gt521Nack).find(([, value]) => value === code)?.[0];
  if (name) return `${name} (${NACK_TEXT[code]})`;
  if (code < 0x1000) return `duplicate of template ${code}`;
  return `undocumented error 0x${code.toString(16).padStart(4, '0')}`;
}

/** Both directions share the layout: a command from the host, a response (ack/nack) from the module. */
export interface Gt521CommandPacket {
  kind: 'command';
  deviceId: number;
  parameter: number;
  /** The command code, or GT521_ACK / GT521_NACK_CODE in a response. */
  code: number;
  size: number;
}

export interface Gt521DataPacket {
  kind: 'data';
  deviceId: number;
  data: Uint8Array;
  size: number;
}

export type Gt521Packet = Gt521CommandPacket | Gt521DataPacket;

export function encodeGt521Command(code: number, parameter = 0, deviceId = GT521_DEFAULT_DEVICE_ID): Uint8Array {
  const packet = new Uint8Array(GT521_PACKET_SIZE);
  const view = new DataView(packet.buffer);
  packet[0] = 0x55;
  packet[1] = 0xaa;
  view.setUint16(2, deviceId, true);
  view.setUint32(4, parameter >>> 0, true);
  view.setUint16(8, code, true);
  view.setUint16(10, byteSum16(packet, 0, 10), true);
  return packet;
}

export function encodeGt521Response(ack: boolean, parameter = 0, deviceId = GT521_DEFAULT_DEVICE_ID): Uint8Array {
  return encodeGt521Command(ack ? GT521_ACK : GT521_NACK_CODE, parameter, deviceId);
}

export function encodeGt521Data(data: Uint8Array, deviceId = GT521_DEFAULT_DEVICE_ID): Uint8Array {
  const packet = new Uint8Array(4 + data.length + 2);
  const view = new DataView(packet.buffer);
  packet[0] = 0x5a;
  packet[1] = 0xa5;
  view.setUint16(2, deviceId, true);
  packet.set(data, 4);
  view.setUint16(packet.length - 2, byteSum16(packet, 0, packet.length - 2), true);
  return packet;
}

/** The largest data packet the decoder will wait for: a 256×256 image, the largest any model sends. */
export const GT521_MAX_DATA = 256 * 256;

/**
 * Turns a byte stream into GT-521 packets. Never throws. A 12-byte packet starts `55 AA`
 * and the device id; a data packet starts `5A A5` and the device id, and is only looked
 * for while one is expected (expectData), as only then is its length known. Resync and
 * discard rules are the ZFM decoder's; the buffer never exceeds the expected data packet.
 */
export class Gt521Decoder implements PacketDecoder<Gt521Packet> {
  private held: Uint8Array = new Uint8Array(0);
  private expectedData: number | null = null;

  constructor(private readonly deviceId = GT521_DEFAULT_DEVICE_ID) {}

  /** The next data packet carries `length` bytes (the command just sent announces it). */
  expectData(length: number): void {
    if (!Number.isInteger(length) || length < 0 || length > GT521_MAX_DATA) throw new RangeError(`A GT-521 data packet of ${length} bytes is not expected from any model.`);
    this.expectedData = length;
  }

  buffered(): number {
    return this.held.length;
  }

  reset(): void {
    this.held = new Uint8Array(0);
    this.expectedData = null;
  }

  push(arriving: Uint8Array): DecodeEvent<Gt521Packet>[] {
    const bytes = joinBytes(this.held, arriving);
    const out = new DecodeEvents<Gt521Packet>();
    let at = 0;
    while (at < bytes.length) {
      const start = this.nextHeader(bytes, at);
      out.discard(start - at, NO_PACKET_START);
      at = start;
      if (at >= bytes.length || bytes.length - at < 4) break; // a header still arriving
      const dataLength = bytes[at] === 0x5a ? this.expectedData : null;
      const isData = dataLength !== null;
      if ((bytes[at] === 0x5a && !isData) || (bytes[at + 2]! | (bytes[at + 3]! << 8)) !== this.deviceId) {
        out.discard(1, NO_PACKET_START);
        at += 1;
        continue;
      }
      const size = isData ? 4 + dataLength + 2 : GT521_PACKET_SIZE;
      if (bytes.length - at < size) break;
      const expected = bytes[at + size - 2]! | (bytes[at + size - 1]! << 8);
      if (byteSum16(bytes, at, at + size - 2) !== expected) {
        const inner = this.nextHeader(bytes, at + 1, at + size);
        out.discard(inner - at, BAD_CHECKSUM);
        at = inner;
        continue;
      }
      const view = new DataView(bytes.buffer, bytes.byteOffset + at, size);
      if (isData) {
        this.expectedData = null;
        out.packet({ kind: 'data', deviceId: this.deviceId, data: bytes.slice(at + 4, at + size - 2), size });
      } else {
        out.packet({ kind: 'command', deviceId: this.deviceId, parameter: view.getUint32(4, true), code: view.getUint16(8, true), size });
      }
      at += size;
    }
    this.held = bytes.slice(at);
    return out.events;
  }

  /** Index of the next `55 AA` (or, while data is expected, `5A A5`), or of a final lone first byte; else `to`. */
  private nextHeader(bytes: Uint8Array, from: number, to = bytes.length): number {
    const dataExpected = this.expectedData !== null;
    for (let i = from; i < to; i++) {
      const second = bytes[i] === 0x55 ? 0xaa : dataExpected && bytes[i] === 0x5a ? 0xa5 : -1;
      if (second < 0) continue;
      if (i + 1 === bytes.length || bytes[i + 1] === second) return i;
    }
    return to;
  }
}
