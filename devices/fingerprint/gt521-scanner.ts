import { performance } from 'node:perf_hooks';
import { DeviceError, type FingerCapture, type FingerImage } from '../types';
import {
  GT521_ACK,
  GT521_DEFAULT_DEVICE_ID,
  GT521_NACK_CODE,
  Gt521Command,
  Gt521Decoder,
  Gt521Nack,
  encodeGt521Command,
  gt521NackText,
  type Gt521Packet,
} from './gt521-codec';
import { imageQuality, QUALITY_METHOD } from './quality';
import { PacketFingerprintScanner, type CaptureContext, type ScannerTiming } from './scanner-base';
import type { TransportOpener } from './transport';

/**
 * GetImage on the GT-521F32/F52: 258 lines of 202 bytes, 8 bits a pixel. The vendor's
 * demo transposes it to 258 wide × 202 high for display; the driver keeps the module's
 * order (202 wide, 258 high), as a PNG viewer shows it upright.
 */
export const GT521_IMAGE = { width: 202, height: 258 } as const;
/** GetRawImage: the sensor's QVGA frame subsampled to 160×120, without the module's processing. */
export const GT521_RAW_IMAGE = { width: 160, height: 120 } as const;
/** MakeTemplate's data packet on the GT-521F series. */
export const GT521_TEMPLATE_BYTES = 498;
export const GT521_TEMPLATE_FORMAT = 'gt521-template';

export interface Gt521ScannerOptions extends Partial<ScannerTiming> {
  deviceId?: number;
  /** The speed the port opens at, which the module starts at after power-on (9600). */
  lineBaudRate?: number;
  /**
   * The speed to switch to after Open (ChangeBaudrate), null to stay: at 9600 baud a
   * 52 kB image takes about a minute, at 115200 about five seconds.
   */
  transferBaudRate?: number | null;
  /** 'processed' (GetImage, default) or 'raw' (GetRawImage, 160×120). */
  image?: 'processed' | 'raw';
  /** GetImage's size on models that differ from the GT-521F's 202×258. */
  imageSize?: { width: number; height: number };
}

/**
 * An ADH-Tech GT-521Fxx module. After connecting: Open (and ChangeBaudrate when
 * transferBaudRate differs from the line speed; a module still at the transfer speed from
 * an earlier session is found there). A capture:
 *
 *   CmosLed on; IsPressFinger every pollIntervalMs until it answers 0 (pressed);
 *   CaptureFinger (best image; a finger lifted meanwhile goes back to waiting);
 *   GetImage (or GetRawImage): ack, then one data packet;
 *   MakeTemplate: ack, then one 498-byte data packet (a nack for a poor finger: no template);
 *   CmosLed off, whatever happened.
 */
export class Gt521Scanner extends PacketFingerprintScanner<Gt521Packet> {
  readonly protocol = 'gt521';
  private readonly decoder: Gt521Decoder;
  private readonly deviceId: number;
  private readonly lineBaudRate: number;
  private readonly transferBaudRate: number | null;
  private readonly imageCommand: number;
  private readonly imageSize: { width: number; height: number };

  constructor(where: string, openTransport: TransportOpener, options: Gt521ScannerOptions = {}) {
    const deviceId = options.deviceId ?? GT521_DEFAULT_DEVICE_ID;
    const decoder = new Gt521Decoder(deviceId);
    super(where, openTransport, decoder, options);
    this.decoder = decoder;
    this.deviceId = deviceId;
    this.lineBaudRate = options.lineBaudRate ?? 9600;
    this.transferBaudRate = options.transferBaudRate === undefined ? 115_200 : options.transferBaudRate;
    const raw = options.image === 'raw';
    this.imageCommand = raw ? Gt521Command.GetRawImage : Gt521Command.GetImage;
    this.imageSize = raw ? GT521_RAW_IMAGE : (options.imageSize ?? GT521_IMAGE);
  }

  protected async handshake(): Promise<void> {
    const switching = this.transferBaudRate !== null && this.transferBaudRate !== this.lineBaudRate;
    try {
      await this.acknowledged('Open', Gt521Command.Open, 0, undefined);
    } catch (error) {
      // Silence, or bytes at the wrong speed that decode as damaged packets.
      if (!switching || !(error instanceof DeviceError) || (error.code !== 'DEVICE_TIMEOUT' && error.code !== 'DEVICE_PROTOCOL')) throw error;
      // No answer at the line speed: the module may still run at the transfer speed of an earlier session.
      await this.link.setBaudRate(this.transferBaudRate!);
      await this.acknowledged('Open', Gt521Command.Open, 0, undefined);
      return;
    }
    if (!switching) return;
    await this.acknowledged('ChangeBaudrate', Gt521Command.ChangeBaudrate, this.transferBaudRate!, undefined);
    await this.link.setBaudRate(this.transferBaudRate!);
  }

  protected async captureSteps(context: CaptureContext): Promise<FingerCapture> {
    await this.acknowledged('CmosLed on', Gt521Command.CmosLed, 1, context.signal);
    try {
      await this.imageFinger(context);
      this.busy('reading the image');
      const image = await this.readImage(context.signal);
      this.busy('making the template');
      const template = await this.makeTemplate(context.signal);
      return { image, template, quality: imageQuality(image), qualityMethod: QUALITY_METHOD };
    } finally {
      await this.lightOff();
    }
  }

  /** Waits for a finger and images it; a finger lifted before CaptureFinger means waiting again. */
  private async imageFinger(context: CaptureContext): Promise<void> {
    for (;;) {
      await this.waitForFinger(context);
      this.busy('imaging the finger');
      const captured = await this.answer('CaptureFinger', Gt521Command.CaptureFinger, 1, context.signal, true);
      if (captured.ack) return;
      if (captured.parameter !== Gt521Nack.NACK_FINGER_IS_NOT_PRESSED) throw refused('CaptureFinger', captured.parameter);
      this.finger(false);
      this.busy('waiting for a finger');
    }
  }

  private async waitForFinger(context: CaptureContext): Promise<void> {
    for (;;) {
      // IsPressFinger acknowledges with 0 when a finger is pressed, with a non-zero value when not.
      const pressed = (await this.acknowledged('IsPressFinger', Gt521Command.IsPressFinger, 0, context.signal)) === 0;
      this.finger(pressed);
      if (pressed) return;
      if (performance.now() + this.timing.pollIntervalMs >= context.deadline) throw this.noFingerError(context);
      await this.link.sleep(this.timing.pollIntervalMs, context.signal);
    }
  }

  private async readImage(signal: AbortSignal | undefined): Promise<FingerImage> {
    const { width, height } = this.imageSize;
    const pixels = await this.download('the image', this.imageCommand, width * height, signal, false);
    if (!pixels) throw new DeviceError('DEVICE_PROTOCOL', 'The fingerprint module has no image to send.');
    return { width, height, pixels, dpi: null };
  }

  private async makeTemplate(signal: AbortSignal | undefined): Promise<FingerCapture['template']> {
    const data = await this.download('the template', Gt521Command.MakeTemplate, GT521_TEMPLATE_BYTES, signal, true, [Gt521Nack.NACK_BAD_FINGER]);
    return data ? { format: GT521_TEMPLATE_FORMAT, data } : null;
  }

  /** A command acknowledged, then one data packet of `length` bytes; null when nacked with one of `acceptedNacks`. */
  private download(what: string, command: number, length: number, signal: AbortSignal | undefined, slow: boolean, acceptedNacks: number[] = []): Promise<Uint8Array | null> {
    return this.step(what, async () => {
      this.decoder.expectData(length);
      await this.link.send(encodeGt521Command(command, 0, this.deviceId));
      const response = await this.receive(isResponse, signal, slow);
      if (response.packet.kind !== 'command' || response.packet.code !== GT521_ACK) {
        const parameter = response.packet.kind === 'command' ? response.packet.parameter : 0;
        if (acceptedNacks.includes(parameter)) return null;
        throw refused(what, parameter);
      }
      const data = await this.receive((packet) => packet.kind === 'data', signal);
      return data.packet.kind === 'data' ? data.packet.data : null;
    });
  }

  /** The parameter of the ack; a nack fails the step. */
  private async acknowledged(what: string, command: number, parameter: number, signal: AbortSignal | undefined): Promise<number> {
    const response = await this.answer(what, command, parameter, signal);
    if (!response.ack) throw refused(what, response.parameter);
    return response.parameter;
  }

  private answer(what: string, command: number, parameter: number, signal: AbortSignal | undefined, slow = false): Promise<{ ack: boolean; parameter: number }> {
    return this.step(what, async () => {
      await this.link.send(encodeGt521Command(command, parameter, this.deviceId));
      const { packet } = await this.receive(isResponse, signal, slow);
      return { ack: packet.kind === 'command' && packet.code === GT521_ACK, parameter: packet.kind === 'command' ? packet.parameter : 0 };
    });
  }

  private async lightOff(): Promise<void> {
    if (this.link.state().kind !== 'busy') return; // the module went away: nothing to switch off
    try {
      await this.acknowledged('CmosLed off', Gt521Command.CmosLed, 0, undefined);
    } catch (error) {
      // The LED left on is cosmetic: it must neither fail a finished capture nor hide why
      // one failed. A module that stopped answering, though, is news for the state.
      if (error instanceof DeviceError && error.code === 'DEVICE_TIMEOUT') this.link.restart('the module stopped answering');
    }
  }
}

const isResponse = (packet: Gt521Packet): boolean => packet.kind === 'command' && (packet.code === GT521_ACK || packet.code === GT521_NACK_CODE);

function refused(what: string, parameter: number): DeviceError {
  return new DeviceError('DEVICE_PROTOCOL', `The fingerprint module refused ${what}: ${gt521NackText(parameter)}.`);
}
