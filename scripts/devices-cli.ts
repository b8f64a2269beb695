import { parseMrz } from '../domain/mrz';
import { discoverDevices, type Discovery } from '../devices/discovery';
import { SERIAL_MRZ_PROTOCOLS } from '../devices/mrz/serial-mrz-reader';
import { DriverRegistry } from '../devices/registry';
import { openPseudoTerminal } from '../devices/serial/pseudo-terminal';
import type { PseudoTerminal } from '../devices/serial/pseudo-terminal';
import type { SerialAddress } from '../devices/serial/serial-line';
import { frameMrzDocument, syntheticZones } from '../devices/simulators/mrz-serial-simulator';
import { runFingerprintSimulator } from '../devices/simulators/fingerprint-simulator';
import { FINGERPRINT_SCENARIOS, isFingerprintScenario } from '../devices/simulators/fingerprint-simulated-module';
import { pseudoTerminalStream } from '../devices/simulators/fingerprint-pty-stream';
import { DeviceError } from '../devices/types';
import type { DeviceAddress, DeviceState, DiscardedBytes, FingerprintScanner, MrzReader, MrzReading } from '../devices/types';

/**
 * `npm run devices -- <command>`: the device tool for IT staff at a station. `list` shows
 * the serial ports and HID devices the computer sees; `read` opens a serial MRZ reader and
 * prints what it sends, one JSON line per event; `simulate` plays a reader on a
 * pseudo-terminal, to try `read` (or the station) without one.
 *
 * Exit codes: 0 done (or stopped with Ctrl-C), 1 a device or library that cannot be used,
 * 2 a wrong command line.
 */

const EXIT_DONE = 0;
const EXIT_UNUSABLE = 1;
const EXIT_USAGE = 2;

const USAGE = `Usage: npm run devices -- <command> [options]

Commands:
  list                             serial ports and HID devices this computer sees
  read --port PATH --protocol NAME [--baud N] [--parity none|even|odd] [--data-bits 7|8] [--stop-bits 1|2]
                                   opens a serial MRZ reader and prints one JSON line per document
                                   (protocol, framing, MRZ fields and check results), per state
                                   change and per discarded stretch; runs until Ctrl-C
                                   (a fingerprint module: one line per capture, per finger on/off)
                                   defaults: --baud 9600 --parity none --data-bits 8 --stop-bits 1
  read --hid VENDOR:PRODUCT --protocol mrz-hid-pos
                                   the same for a HID POS reader, by its ids in hexadecimal
  simulate --protocol NAME [--count N] [--interval MS] [--seed N] [--scenario S]
                                   plays a device on a pseudo-terminal: prints its path on the first
                                   line; a reader then sends N synthetic documents (default 10), one
                                   every MS milliseconds (default 1000); a fingerprint module answers
                                   until Ctrl-C, as the scenario says (default normal)

Serial MRZ protocols: ${Object.keys(SERIAL_MRZ_PROTOCOLS).join(', ')}
Fingerprint modules: zfm (57600 baud), gt521 (9600 baud)
Fingerprint scenarios: ${Object.keys(FINGERPRINT_SCENARIOS).join(', ')}`;

class UsageError extends Error {}

/** `--name value` and `--name=value`, only the names a command takes. */
function readOptions(args: readonly string[], names: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !names.includes(match[1]!)) throw new UsageError(`Unknown argument: ${arg}`);
    const value = match[2] ?? args[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${match[1]} needs a value`);
    options.set(match[1]!, value);
  }
  return options;
}

function integerOption(options: Map<string, string>, name: string, fallback: number, allowed?: readonly number[]): number {
  const text = options.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  const fits = Number.isInteger(value) && value >= 0 && (allowed === undefined || allowed.includes(value));
  if (!fits) throw new UsageError(`--${name} needs ${allowed ? `one of ${allowed.join(', ')}` : 'a whole number'}, got ${text}`);
  return value;
}

function requiredOption(options: Map<string, string>, name: string): string {
  const value = options.get(name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

function printJson(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

// ---- list -----------------------------------------------------------------------------

function hex(id: string | number | undefined): string {
  if (id === undefined || id === '') return '????';
  return (typeof id === 'number' ? id.toString(16) : id).padStart(4, '0');
}

/** What discovery found, as lines for IT staff. */
function printDiscovery({ serial, hid }: Discovery): void {
  console.log('Serial ports:');
  if (serial.problem) console.log(`  ${serial.problem}`);
  if (serial.ports.length === 0 && !serial.problem) console.log('  none (a USB reader shows up here as /dev/ttyUSB… or /dev/ttyACM… once plugged in)');
  for (const port of serial.ports) {
    const byId = port.byId ? `  ${port.byId}` : '';
    console.log(`  ${port.path}  vendor ${hex(port.vendorId ?? undefined)} product ${hex(port.productId ?? undefined)}  ${port.manufacturer ?? 'unknown maker'}${byId}`);
  }
  if (serial.ports.length > 0 && serial.ports.every((port) => port.vendorId === null)) {
    console.log('  (built-in 9-pin ports are /dev/ttyS0, /dev/ttyS1, …: the kernel lists them whether or not anything is connected)');
  }
  console.log('HID devices:');
  if (hid.problem) console.log(`  could not be listed: ${hid.problem}`);
  if (hid.devices.length === 0 && !hid.problem) console.log('  none');
  for (const device of hid.devices) {
    const usage = device.usagePage === null ? '' : `  usage page ${hex(device.usagePage)}`;
    console.log(`  ${device.path ?? '(no path)'}  vendor ${hex(device.vendorId)} product ${hex(device.productId)}  ${device.manufacturer ?? 'unknown maker'}  ${device.product ?? ''}${usage}`);
  }
}

async function list(args: readonly string[]): Promise<number> {
  readOptions(args, []);
  const discovery = await discoverDevices();
  printDiscovery(discovery);
  // udev missing still lists the ports by name; a library that cannot load lists nothing.
  const serialListed = discovery.serial.problem === null || discovery.serial.ports.length > 0 || /udev/.test(discovery.serial.problem);
  return serialListed && discovery.hid.problem === null ? EXIT_DONE : EXIT_UNUSABLE;
}

// ---- read -----------------------------------------------------------------------------

function serialAddress(options: Map<string, string>): SerialAddress {
  const parity = options.get('parity') ?? 'none';
  if (parity !== 'none' && parity !== 'even' && parity !== 'odd') throw new UsageError(`--parity needs none, even or odd, got ${parity}`);
  const baudRate = integerOption(options, 'baud', 9600);
  if (baudRate === 0) throw new UsageError('--baud needs a rate above 0 (readers use 9600 to 256000)');
  return {
    transport: 'serial',
    path: requiredOption(options, 'port'),
    baudRate,
    parity,
    dataBits: integerOption(options, 'data-bits', 8, [7, 8]) as 7 | 8,
    stopBits: integerOption(options, 'stop-bits', 1, [1, 2]) as 1 | 2,
  };
}

/** A HID reader by its ids, `--hid 0c2e:0b61` (hexadecimal, as `list` shows them). */
function hidAddress(options: Map<string, string>): DeviceAddress {
  const text = requiredOption(options, 'hid');
  const match = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(text);
  if (!match) throw new UsageError(`--hid needs VENDOR:PRODUCT in hexadecimal (as list shows them), got ${text}`);
  return { transport: 'hid', vendorId: parseInt(match[1]!, 16), productId: parseInt(match[2]!, 16) };
}

function documentLine(reader: MrzReader, reading: MrzReading): object {
  const parsed = parseMrz(reading.text);
  const where = { event: 'document', protocol: reader.protocol, framing: reading.framing };
  if (!parsed.ok) return { ...where, valid: false, error: parsed.error };
  const { format, valid, fields, checks, corrections, warnings } = parsed.document;
  return { ...where, format, valid, fields, checks, corrections, warnings };
}

async function read(args: readonly string[]): Promise<number> {
  const options = readOptions(args, ['port', 'hid', 'protocol', 'baud', 'parity', 'data-bits', 'stop-bits']);
  const protocol = requiredOption(options, 'protocol');
  const factory = new DriverRegistry().lookup(protocol);
  if (factory?.transports.includes('hid')) return readDocuments(factory.create(hidAddress(options)) as MrzReader);
  const address = serialAddress(options);
  if (!factory || !factory.transports.includes('serial')) {
    throw new UsageError(`${protocol} is not a serial device protocol; read knows ${[...Object.keys(SERIAL_MRZ_PROTOCOLS), ...FINGERPRINT_PROTOCOLS].join(', ')}`);
  }
  if (factory.kind === 'fingerprint-scanner') return readFingers(factory.create(address) as FingerprintScanner);
  return readDocuments(factory.create(address) as MrzReader);
}

/**
 * Runs a device until Ctrl-C (exit 0) or until it cannot be used at all (exit 1), printing
 * its states and discarded stretches; `watch` adds the device's own events and returns
 * what else to stop. Resolves with the exit code once the device is closed.
 */
interface ReportingDevice {
  on(event: 'state', listener: (state: DeviceState) => void): unknown;
  on(event: 'discarded', listener: (discarded: DiscardedBytes) => void): unknown;
  close(): Promise<void>;
}

function runDevice(device: ReportingDevice, watch: (stopping: () => boolean) => () => void): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    let stopWatching = (): void => undefined;
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      stopWatching();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      void device.close().then(() => resolve(code));
    };
    const onSignal = (): void => stop(EXIT_DONE);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    device.on('state', (state: DeviceState) => {
      printJson({ event: 'state', ...state });
      if (state.kind === 'error' && !state.retrying) stop(EXIT_UNUSABLE);
    });
    device.on('discarded', ({ count, reason }) => printJson({ event: 'discarded', count, reason }));
    stopWatching = watch(() => stopping);
  });
}

/** Prints the reader's documents, states and discarded stretches until Ctrl-C, or until it cannot be used at all. */
function readDocuments(reader: MrzReader): Promise<number> {
  return runDevice(reader, () => {
    reader.on('document', (reading) => printJson(documentLine(reader, reading)));
    void reader.open();
    return () => undefined;
  });
}

const FINGERPRINT_PROTOCOLS = ['zfm', 'gt521'] as const;

/**
 * Captures fingers one after the other until Ctrl-C: one JSON line per capture (size,
 * quality, template), per finger put on or taken off, per state. The image itself is not
 * printed: it is a person's fingerprint.
 */
function readFingers(scanner: FingerprintScanner): Promise<number> {
  return runDevice(scanner, (stopping) => {
    const abort = new AbortController();
    scanner.on('finger', (present) => printJson({ event: 'finger', present }));
    const captureLoop = async (): Promise<void> => {
      await scanner.open();
      while (!stopping()) {
        try {
          const { image, quality, qualityMethod, template } = await scanner.capture({ timeoutMs: 30_000, signal: abort.signal });
          printJson({ event: 'capture', protocol: scanner.protocol, width: image.width, height: image.height, quality, qualityMethod, template: template ? { format: template.format, bytes: template.data.length } : null });
        } catch (error) {
          if (stopping()) return;
          printJson({ event: 'capture-failed', code: error instanceof DeviceError ? error.code : 'INTERNAL', message: (error as Error).message });
          await pause(500);
        }
      }
    };
    void captureLoop();
    return () => abort.abort();
  });
}

// ---- simulate -------------------------------------------------------------------------

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function simulate(args: readonly string[]): Promise<number> {
  const options = readOptions(args, ['protocol', 'count', 'interval', 'seed', 'scenario']);
  const protocol = requiredOption(options, 'protocol');
  if ((FINGERPRINT_PROTOCOLS as readonly string[]).includes(protocol)) return simulateFingerprintModule(protocol as (typeof FINGERPRINT_PROTOCOLS)[number], options.get('scenario') ?? 'normal');
  const framing = SERIAL_MRZ_PROTOCOLS[protocol];
  if (!framing) throw new UsageError(`simulate plays ${[...Object.keys(SERIAL_MRZ_PROTOCOLS), ...FINGERPRINT_PROTOCOLS].join(', ')}; not ${protocol}`);
  const count = integerOption(options, 'count', 10);
  if (count === 0) throw new UsageError('--count needs at least 1');
  const interval = integerOption(options, 'interval', 1000);
  const seed = integerOption(options, 'seed', Math.floor(Math.random() * 2 ** 31));

  let pty: PseudoTerminal;
  try {
    pty = await openPseudoTerminal();
  } catch (error) {
    console.error(`Could not open a pseudo-terminal: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_UNUSABLE;
  }
  let stopped = false;
  const onSignal = (): void => {
    stopped = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  console.log(pty.path);
  console.log(`Playing an ${protocol} reader at the path above; try: npm run devices -- read --port ${pty.path} --protocol ${protocol}`);
  const zones = syntheticZones(count, seed);
  for (const [index, lines] of zones.entries()) {
    await pause(interval);
    if (stopped) break;
    const frame = frameMrzDocument(framing, lines);
    await pty.write(frame);
    const parsed = parseMrz(lines.join('\n'));
    console.log(`sent document ${index + 1} of ${count}: ${parsed.ok ? parsed.document.format : 'MRZ'}, ${frame.length} bytes`);
  }
  // Time for a reader to take the last frame before the line hangs up.
  if (!stopped) await pause(Math.min(interval, 500));
  await pty.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return EXIT_DONE;
}

/** Plays a fingerprint module on a pseudo-terminal until Ctrl-C: a finger is always there (scenario 'normal'), or as the scenario says. */
async function simulateFingerprintModule(protocol: (typeof FINGERPRINT_PROTOCOLS)[number], scenario: string): Promise<number> {
  if (!isFingerprintScenario(scenario)) throw new UsageError(`--scenario is one of ${Object.keys(FINGERPRINT_SCENARIOS).join(', ')}`);
  let pty: PseudoTerminal;
  try {
    pty = await openPseudoTerminal();
  } catch (error) {
    console.error(`Could not open a pseudo-terminal: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_UNUSABLE;
  }
  const stream = pseudoTerminalStream(pty);
  runFingerprintSimulator(protocol, stream, scenario);
  console.log(pty.path);
  console.log(`Playing a ${protocol} fingerprint module (${scenario}) at the path above; try: npm run devices -- read --port ${pty.path} --protocol ${protocol}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stream.stop();
  await pty.close();
  return EXIT_DONE;
}

// ---- main -----------------------------------------------------------------------------

const commands: Record<string, (args: readonly string[]) => Promise<number>> = { list, read, simulate };

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h' || args.includes('--help')) {
    console.log(USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_DONE;
  }
  const run = commands[command];
  if (!run) {
    console.error(`Unknown command: ${command}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await run(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
}

process.exitCode = await main(process.argv.slice(2));
