import {
  GT521_DEFAULT_DEVICE_ID,
  GT521_ACK,
  GT521_NACK_CODE,
  Gt521Command,
  Gt521Decoder,
  Gt521Nack,
  encodeGt521Data,
  encodeGt521Response,
  type Gt521CommandPacket,
} from '../fingerprint/gt521-codec';
import { GT521_IMAGE, GT521_RAW_IMAGE, GT521_TEMPLATE_BYTES } from '../fingerprint/gt521-scanner';
import { SimulatedWire, damage, withDefaults, type FingerprintSimulator, type FingerprintSimulatorOptions, type SimulatorStream } from './fingerprint-simulated-module';
import { syntheticFingerprint, syntheticTemplate } from './fingerprint-synthetic';

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(Gt521Command).map(([name, code]) => [code, name]));
const BAUD_RATES = new Set([9600, 19200, 38400, 57600, 115200]);
const POWER_ON_BAUD_RATE = 9600;

/**
 * The module side of an ADH-Tech GT-521Fxx, byte for byte: Open, Close, ChangeBaudrate,
 * CmosLed, IsPressFinger (0 once a finger is down, after `fingerAfterPolls` polls; never
 * with the LED off, as the real sensor sees nothing in the dark), CaptureFinger, GetImage
 * (the synthetic finger, 202×258), GetRawImage (160×120), MakeTemplate (498 bytes).
 * Anything else: NACK_IS_NOT_SUPPORTED.
 */
export function runGt521Simulator(stream: SimulatorStream, options: Partial<FingerprintSimulatorOptions> = {}): FingerprintSimulator {
  const settings = withDefaults(options);
  const image = syntheticFingerprint(GT521_IMAGE.width, GT521_IMAGE.height, settings.seed);
  const template = syntheticTemplate(GT521_TEMPLATE_BYTES, settings.seed);
  const commands: string[] = [];
  const decoder = new Gt521Decoder(GT521_DEFAULT_DEVICE_ID);
  let ledOn = false;
  let polls = 0;
  let fingerDown = false;
  let captured = false;
  let damagedUploads = settings.damagedUploads;
  let unplugs = settings.unplugsMidUpload;
  // The module's line speed, which a wire that knows speeds holds the host to.
  const switchTo = (baudRate: number): Promise<unknown> => Promise.resolve(stream.setBaudRate?.(baudRate));
  void switchTo(settings.baudRateAtStart ?? POWER_ON_BAUD_RATE);

  const wire: SimulatedWire = new SimulatedWire(
    stream,
    settings,
    (bytes) =>
      decoder
        .push(bytes)
        .flatMap((event) =>
          event.kind === 'packet' && event.packet.kind === 'command' && event.packet.code !== GT521_ACK && event.packet.code !== GT521_NACK_CODE
            ? [() => handle(event.packet as Gt521CommandPacket)]
            : [],
        ),
    () => {
      decoder.reset();
      ledOn = false;
      polls = 0;
      fingerDown = false;
      captured = false;
      void switchTo(POWER_ON_BAUD_RATE);
    },
  );

  const ack = (parameter = 0): Promise<void> => wire.answer(encodeGt521Response(true, parameter));
  const nack = (error: number): Promise<void> => wire.answer(encodeGt521Response(false, error));

  async function upload(data: Uint8Array, unplugHalfWay: boolean): Promise<void> {
    await ack();
    const packet = encodeGt521Data(data);
    if (unplugHalfWay) {
      await wire.data(packet.subarray(0, packet.length >> 1));
      await wire.unplug();
    }
    const damaged = damagedUploads > 0;
    if (damaged) damagedUploads--;
    await wire.data(damaged ? damage(packet) : packet);
  }

  async function handle(command: Gt521CommandPacket): Promise<void> {
    commands.push(NAMES[command.code] ?? `0x${command.code.toString(16)}`);
    switch (command.code) {
      case Gt521Command.Open:
        await ack();
        // Asked for device information: firmware version, largest ISO area, serial number.
        if (command.parameter !== 0) await wire.data(encodeGt521Data(Uint8Array.from({ length: 24 }, (_, i) => (i < 4 ? [0x20, 0x19, 0x06, 0x10][i]! : i))));
        return;
      case Gt521Command.Close:
        return ack();
      case Gt521Command.ChangeBaudrate:
        if (!BAUD_RATES.has(command.parameter)) return nack(Gt521Nack.NACK_INVALID_PARAM);
        // The answer goes out at the old speed; the module listens at the new one after it.
        await ack();
        await switchTo(command.parameter);
        return;
      case Gt521Command.CmosLed:
        ledOn = command.parameter !== 0;
        return ack();
      case Gt521Command.IsPressFinger:
        if (ledOn && !fingerDown) fingerDown = ++polls > settings.fingerAfterPolls;
        return ack(ledOn && fingerDown ? 0 : Gt521Nack.NACK_FINGER_IS_NOT_PRESSED);
      case Gt521Command.CaptureFinger:
        if (!ledOn || !fingerDown) return nack(Gt521Nack.NACK_FINGER_IS_NOT_PRESSED);
        captured = true;
        // The next capture waits for a finger again.
        fingerDown = false;
        polls = 0;
        return ack();
      case Gt521Command.GetImage: {
        if (!captured) return nack(Gt521Nack.NACK_INVALID_PARAM);
        const unplugHalfWay = unplugs > 0;
        if (unplugHalfWay) unplugs--;
        return upload(image, unplugHalfWay);
      }
      case Gt521Command.GetRawImage:
        return upload(subsample(image, GT521_IMAGE, GT521_RAW_IMAGE), false);
      case Gt521Command.MakeTemplate:
        return captured && !settings.poorFinger ? upload(template, false) : nack(Gt521Nack.NACK_BAD_FINGER);
      default:
        return nack(Gt521Nack.NACK_IS_NOT_SUPPORTED);
    }
  }

  return {
    protocol: 'gt521',
    image: { ...GT521_IMAGE, pixels: image, dpi: null },
    template,
    commands,
    stop: () => wire.stop(),
  };
}

/** Nearest-neighbour resize, standing in for the module's raw frame. */
function subsample(pixels: Uint8Array, from: { width: number; height: number }, to: { width: number; height: number }): Uint8Array {
  const out = new Uint8Array(to.width * to.height);
  for (let y = 0; y < to.height; y++) {
    const sourceRow = Math.floor((y * from.height) / to.height) * from.width;
    for (let x = 0; x < to.width; x++) out[y * to.width + x] = pixels[sourceRow + Math.floor((x * from.width) / to.width)]!;
  }
  return out;
}
