import { performance } from 'node:perf_hooks';
import { DeviceError, type FingerCapture, type FingerImage } from '../types';
import { concatBytes } from './decoding';
import { imageQuality, QUALITY_METHOD } from './quality';
import { PacketFingerprintScanner, type CaptureContext, type ScannerTiming } from './scanner-base';
import type { TransportOpener } from './transport';
import { ZFM_DEFAULT_ADDRESS, ZfmAckCode, ZfmDecoder, ZfmPacketId, zfmAckText, zfmCommand, type ZfmPacket } from './zfm-codec';

/** The sensor window of the R30x/ZFM/AS608 family, as UpImage sends it: 4 bits a pixel, two pixels a byte. */
export const ZFM_IMAGE = { width: 256, height: 288, dpi: 500 } as const;
export const ZFM_IMAGE_BYTES = (ZFM_IMAGE.width * ZFM_IMAGE.height) / 2;
/** The character file CharBuffer1 holds after Img2Tz, as UpChar sends it. */
export const ZFM_TEMPLATE_FORMAT = 'zfm-char';

export interface ZfmScannerOptions extends Partial<ScannerTiming> {
  /** The module's address (default FF FF FF FF). */
  moduleAddress?: number;
  /** The handshake password (default 0, the factory setting). */
  password?: number;
}

/**
 * A ZhianTec R30x / ZFM / AS608 module (57600 baud by default). After connecting it
 * verifies the password (VfyPwd). A capture:
 *
 *   GenImg, every pollIntervalMs, until the ack is 00 (finger imaged); 02 means no finger
 *   UpImage: ack, then data packets up to the end-of-data packet, 36 864 bytes
 *   Img2Tz into CharBuffer1; UpChar CharBuffer1: ack, then data packets (the template)
 *
 * An Img2Tz refused for a poor image (06, 07, 15) still returns the image, without a
 * template. Quality is the block-contrast measure (quality.ts): the module gives none.
 */
export class ZfmScanner extends PacketFingerprintScanner<ZfmPacket> {
  readonly protocol = 'zfm';
  private readonly moduleAddress: number;
  private readonly password: number;

  constructor(where: string, openTransport: TransportOpener, options: ZfmScannerOptions = {}) {
    const moduleAddress = options.moduleAddress ?? ZFM_DEFAULT_ADDRESS;
    super(where, openTransport, new ZfmDecoder(moduleAddress), options);
    this.moduleAddress = moduleAddress;
    this.password = options.password ?? 0;
  }

  protected async handshake(): Promise<void> {
    const code = await this.command('VfyPwd', zfmCommand.vfyPwd(this.password, this.moduleAddress), undefined);
    if (code === ZfmAckCode.wrongPassword) throw new DeviceError('DEVICE_PERMISSION', 'The fingerprint module refuses the configured password.');
    if (code !== ZfmAckCode.ok) throw refused('VfyPwd', code);
  }

  protected async captureSteps(context: CaptureContext): Promise<FingerCapture> {
    await this.waitForFinger(context);
    this.busy('reading the image');
    const image = await this.readImage(context.signal);
    this.busy('making the template');
    const template = await this.readTemplate(context.signal);
    return { image, template, quality: imageQuality(image), qualityMethod: QUALITY_METHOD };
  }

  private async waitForFinger(context: CaptureContext): Promise<void> {
    for (;;) {
      const code = await this.command('GenImg', zfmCommand.genImg(this.moduleAddress), context.signal, true);
      if (code === ZfmAckCode.ok) {
        this.finger(true);
        return;
      }
      // 03: the module saw something but could not image it; ask again like for no finger.
      if (code !== ZfmAckCode.noFinger && code !== ZfmAckCode.imageFailed) throw refused('GenImg', code);
      if (code === ZfmAckCode.noFinger) this.finger(false);
      if (performance.now() + this.timing.pollIntervalMs >= context.deadline) throw this.noFingerError(context);
      await this.link.sleep(this.timing.pollIntervalMs, context.signal);
    }
  }

  private readImage(signal: AbortSignal | undefined): Promise<FingerImage> {
    return this.step('UpImage', async () => {
      const { code, data } = await this.upload(zfmCommand.upImage(this.moduleAddress), signal);
      if (code !== ZfmAckCode.ok) throw refused('UpImage', code);
      if (data.length !== ZFM_IMAGE_BYTES) {
        throw new DeviceError('DEVICE_PROTOCOL', `The fingerprint module sent an image of ${data.length} bytes, not the ${ZFM_IMAGE_BYTES} of a ${ZFM_IMAGE.width}×${ZFM_IMAGE.height} sensor.`);
      }
      return { width: ZFM_IMAGE.width, height: ZFM_IMAGE.height, pixels: expandNibbles(data), dpi: ZFM_IMAGE.dpi };
    });
  }

  private async readTemplate(signal: AbortSignal | undefined): Promise<FingerCapture['template']> {
    const code = await this.command('Img2Tz', zfmCommand.img2Tz(1, this.moduleAddress), signal, true);
    if (code === ZfmAckCode.imageTooMessy || code === ZfmAckCode.tooFewFeatures || code === ZfmAckCode.noValidImage) return null;
    if (code !== ZfmAckCode.ok) throw refused('Img2Tz', code);
    return this.step('UpChar', async () => {
      const upload = await this.upload(zfmCommand.upChar(1, this.moduleAddress), signal);
      if (upload.code !== ZfmAckCode.ok) throw refused('UpChar', upload.code);
      return { format: ZFM_TEMPLATE_FORMAT, data: upload.data };
    });
  }

  /** Sends a command, returns the confirmation code of its acknowledgement; `slow` for one the module works on first. */
  private command(what: string, packet: Uint8Array, signal: AbortSignal | undefined, slow = false): Promise<number> {
    return this.step(what, async () => {
      await this.link.send(packet);
      const { packet: ack } = await this.receive(isAck, signal, slow);
      return confirmation(what, ack);
    });
  }

  /**
   * Sends an upload command; after an OK acknowledgement, collects data packets up to
   * the end-of-data packet. A damaged packet among them leaves a hole, so the upload
   * fails (and step asks again once the module is quiet).
   */
  private async upload(packet: Uint8Array, signal: AbortSignal | undefined): Promise<{ code: number; data: Uint8Array }> {
    await this.link.send(packet);
    const ack = await this.receive(isAck, signal);
    const code = confirmation('the upload', ack.packet);
    if (code !== ZfmAckCode.ok) return { code, data: new Uint8Array(0) };
    const parts: Uint8Array[] = [];
    for (;;) {
      const part = await this.receive(isData, signal);
      parts.push(part.packet.content);
      if (part.packet.packetId !== ZfmPacketId.endOfData) continue;
      if (part.damagedSoFar > ack.damagedSoFar) throw new DeviceError('DEVICE_PROTOCOL', 'A data packet of the upload arrived damaged.');
      return { code, data: concatBytes(parts) };
    }
  }
}

const isAck = (packet: ZfmPacket): boolean => packet.packetId === ZfmPacketId.ack;
const isData = (packet: ZfmPacket): boolean => packet.packetId === ZfmPacketId.data || packet.packetId === ZfmPacketId.endOfData;

function confirmation(what: string, ack: ZfmPacket): number {
  const code = ack.content[0];
  if (code === undefined) throw new DeviceError('DEVICE_PROTOCOL', `The fingerprint module acknowledged ${what} without a confirmation code.`);
  return code;
}

function refused(what: string, code: number): DeviceError {
  return new DeviceError('DEVICE_PROTOCOL', `The fingerprint module refused ${what}: ${zfmAckText(code)} (0x${code.toString(16).padStart(2, '0')}).`);
}

/** Two pixels a byte, the left one in the high nibble; 0–15 spread over 0–255 (×17). */
export function expandNibbles(packed: Uint8Array): Uint8Array {
  const pixels = new Uint8Array(packed.length * 2);
  for (let i = 0; i < packed.length; i++) {
    pixels[2 * i] = (packed[i]! >> 4) * 17;
    pixels[2 * i + 1] = (packed[i]! & 0x0f) * 17;
  }
  return pixels;
}
