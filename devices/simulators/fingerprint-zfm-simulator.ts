import {
  ZFM_DEFAULT_ADDRESS,
  ZfmAckCode,
  ZfmDecoder,
  ZfmInstruction,
  ZfmPacketId,
  encodeZfmPacket,
  type ZfmPacket,
} from '../fingerprint/zfm-codec';
import { ZFM_IMAGE, expandNibbles } from '../fingerprint/zfm-scanner';
import { SimulatedWire, damage, withDefaults, type FingerprintSimulator, type FingerprintSimulatorOptions, type SimulatorStream } from './fingerprint-simulated-module';
import { syntheticFingerprint, syntheticTemplate } from './fingerprint-synthetic';

/** Data packets of 128 bytes: the family's factory setting. */
const PACKET_SIZE = 128;
/** What UpChar sends for a character buffer. */
const CHAR_FILE_BYTES = 512;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(ZfmInstruction).map(([name, code]) => [code, name]));

/**
 * The module side of a ZhianTec R30x / ZFM / AS608, byte for byte: VfyPwd (password 0),
 * GenImg (no finger for `fingerAfterPolls` polls, then a finger), UpImage (the synthetic
 * finger at 4 bits a pixel, 128-byte data packets), Img2Tz, UpChar (512-byte character
 * file), Search (never found), RegModel, Store. Unknown instructions get 01.
 */
export function runZfmSimulator(stream: SimulatorStream, options: Partial<FingerprintSimulatorOptions> = {}): FingerprintSimulator {
  const settings = withDefaults(options);
  const packed = packNibbles(syntheticFingerprint(ZFM_IMAGE.width, ZFM_IMAGE.height, settings.seed));
  const template = syntheticTemplate(CHAR_FILE_BYTES, settings.seed);
  const commands: string[] = [];
  const decoder = new ZfmDecoder(ZFM_DEFAULT_ADDRESS);
  let polls = 0;
  let imaged = false;
  const charBuffers = new Map<number, Uint8Array>();
  let damagedUploads = settings.damagedUploads;
  let unplugs = settings.unplugsMidUpload;

  const wire: SimulatedWire = new SimulatedWire(
    stream,
    settings,
    (bytes) =>
      decoder
        .push(bytes)
        .flatMap((event) => (event.kind === 'packet' && event.packet.packetId === ZfmPacketId.command ? [() => handle(event.packet)] : [])),
    () => {
      decoder.reset();
      polls = 0;
      imaged = false;
      charBuffers.clear();
    },
  );

  const ack = (code: number, extra: readonly number[] = []): Promise<void> => wire.answer(encodeZfmPacket(ZfmPacketId.ack, [code, ...extra]));

  async function upload(bytes: Uint8Array, unplugHalfWay: boolean): Promise<void> {
    const count = Math.ceil(bytes.length / PACKET_SIZE);
    // A damaged upload loses one data packet a third of the way through.
    const damagedPacket = damagedUploads > 0 ? Math.floor(count / 3) : -1;
    if (damagedUploads > 0) damagedUploads--;
    await ack(ZfmAckCode.ok);
    for (let i = 0; i < count; i++) {
      if (unplugHalfWay && i === Math.floor(count / 2)) await wire.unplug();
      const last = i === count - 1;
      const packet = encodeZfmPacket(last ? ZfmPacketId.endOfData : ZfmPacketId.data, bytes.subarray(i * PACKET_SIZE, (i + 1) * PACKET_SIZE));
      await wire.data(i === damagedPacket ? damage(packet) : packet);
    }
  }

  async function handle(packet: ZfmPacket): Promise<void> {
    const instruction = packet.content[0] ?? -1;
    commands.push(NAMES[instruction] ?? `0x${instruction.toString(16)}`);
    switch (instruction) {
      case ZfmInstruction.VfyPwd:
        return ack(packet.content.subarray(1).every((byte) => byte === 0) ? ZfmAckCode.ok : ZfmAckCode.wrongPassword);
      case ZfmInstruction.GenImg:
        polls++;
        if (polls <= settings.fingerAfterPolls) return ack(ZfmAckCode.noFinger);
        polls = 0;
        imaged = true;
        charBuffers.clear();
        return ack(ZfmAckCode.ok);
      case ZfmInstruction.UpImage: {
        if (!imaged) return ack(ZfmAckCode.uploadImageFailed);
        const unplugHalfWay = unplugs > 0;
        if (unplugHalfWay) unplugs--;
        return upload(packed, unplugHalfWay);
      }
      case ZfmInstruction.Img2Tz:
        if (!imaged) return ack(ZfmAckCode.noValidImage);
        if (settings.poorFinger) return ack(ZfmAckCode.tooFewFeatures);
        charBuffers.set(packet.content[1] === 1 ? 1 : 2, template);
        return ack(ZfmAckCode.ok);
      case ZfmInstruction.UpChar: {
        const file = charBuffers.get(packet.content[1] === 1 ? 1 : 2);
        return file ? upload(file, false) : ack(ZfmAckCode.uploadTemplateFailed);
      }
      case ZfmInstruction.Search:
        return ack(ZfmAckCode.notFound, [0, 0, 0, 0]);
      case ZfmInstruction.RegModel:
        return ack(charBuffers.has(1) && charBuffers.has(2) ? ZfmAckCode.ok : 0x0a);
      case ZfmInstruction.Store:
        return ack(charBuffers.size > 0 ? ZfmAckCode.ok : 0x0c);
      default:
        return ack(ZfmAckCode.receiveError);
    }
  }

  return {
    protocol: 'zfm',
    image: { width: ZFM_IMAGE.width, height: ZFM_IMAGE.height, pixels: expandNibbles(packed), dpi: ZFM_IMAGE.dpi },
    template,
    commands,
    stop: () => wire.stop(),
  };
}

/** 8-bit grey to the module's 4 bits a pixel, two a byte, the left one high. */
function packNibbles(pixels: Uint8Array): Uint8Array {
  const packed = new Uint8Array(pixels.length / 2);
  for (let i = 0; i < packed.length; i++) packed[i] = (pixels[2 * i]! & 0xf0) | (pixels[2 * i + 1]! >> 4);
  return packed;
}
