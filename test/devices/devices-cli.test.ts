import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { frameMrzDocument } from '../../devices/simulators/mrz-serial-simulator';
import { openPseudoTerminal, type PseudoTerminal } from '../support/pty';

/**
 * `npm run devices` as IT staff run it: a child process on a real pseudo-terminal, the other
 * side written by this test (as a reader would) or by the tool's own `simulate` command.
 */

const specimens = (
  JSON.parse(readFileSync('domain/mrz/fixtures/specimens.json', 'utf8')) as { specimens: { format: string; lines: string[]; expect: Record<string, string> }[] }
).specimens;
const td3 = specimens.find((specimen) => specimen.format === 'TD3')!;
const td1 = specimens.find((specimen) => specimen.format === 'TD1')!;

const cli = ['--import', 'tsx', 'scripts/devices-cli.ts'];

interface Running {
  child: ChildProcess;
  lines: string[];
  /** Waits for a line of output that matches, or throws with all the output so far. */
  line(matches: (line: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Sends Ctrl-C (SIGINT) and returns the exit code. */
  interrupt(): Promise<number | null>;
  /** Waits for the process to end by itself and returns the exit code. */
  exit(): Promise<number | null>;
}

function run(...args: string[]): Running {
  const child = spawn(process.execPath, [...cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  const wakers = new Set<() => void>();
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop()!;
    lines.push(...complete);
    wakers.forEach((wake) => wake());
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit');
  return {
    child,
    lines,
    line(matches, what, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          wakers.delete(check);
          reject(new Error(`No ${what} within ${timeoutMs} ms. stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`));
        }, timeoutMs);
        function check(): void {
          const found = lines.find(matches);
          if (found === undefined) return;
          clearTimeout(timer);
          wakers.delete(check);
          resolve(found);
        }
        wakers.add(check);
        check();
      });
    },
    async interrupt() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      return code;
    },
    async exit() {
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

const events = (running: Running, event: string): Record<string, unknown>[] =>
  running.lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === event);

describe('npm run devices (the device tool for IT staff)', () => {
  let pty: PseudoTerminal | undefined;
  const children: Running[] = [];
  afterEach(async () => {
    for (const running of children.splice(0)) await running.interrupt();
    await pty?.close();
    pty = undefined;
  });

  it.each([
    ['mrz-stx-etx', 'stx-etx'],
    ['mrz-soh-bcc', 'soh-bcc'],
    ['mrz-json', 'json'],
  ] as const)('`read --protocol %s` parses the documents a reader sends on the other side of a pseudo-terminal', async (protocol, framing) => {
    pty = await openPseudoTerminal();
    const reader = run('read', '--port', pty.path, '--protocol', protocol, '--baud', '115200', '--parity', 'even');
    children.push(reader);
    await reader.line((line) => line.includes('"kind":"ready"'), 'ready state');
    await pty.write(Buffer.concat([Buffer.from('\xff\xfe', 'latin1'), frameMrzDocument(framing, td3.lines), frameMrzDocument(framing, td1.lines)]));
    await reader.line((line) => line.includes('"format":"TD1"'), 'second document');
    expect(await reader.interrupt()).toBe(0);

    const documents = events(reader, 'document');
    expect(documents).toHaveLength(2);
    for (const [document, specimen] of [
      [documents[0]!, td3],
      [documents[1]!, td1],
    ] as const) {
      expect(document).toMatchObject({ protocol, framing, format: specimen.format, valid: true, fields: specimen.expect });
      expect(document.checks).toContainEqual(expect.objectContaining({ name: 'documentNumberCheckDigit', ok: true }));
    }
    expect(events(reader, 'discarded')).toEqual([{ event: 'discarded', count: 2, reason: 'no frame start' }]);
    expect(events(reader, 'state').map((state) => state.kind)).toEqual(['connecting', 'ready', 'closed']);
  });

  it('`read` prints the documents `simulate` sends', async () => {
    const simulator = run('simulate', '--protocol', 'mrz-soh-bcc', '--count', '6', '--interval', '1000', '--seed', '42');
    children.push(simulator);
    const path = await simulator.line(() => true, 'the pseudo-terminal path');
    const reader = run('read', '--port', path, '--protocol', 'mrz-soh-bcc');
    children.push(reader);
    await reader.line((line) => line.includes('"event":"document"'), 'a simulated document');
    // The simulator closes its pseudo-terminal when done: the reader sees its device go away.
    await reader.line((line) => line.includes('"code":"DEVICE_CLOSED"'), 'the device gone', 30_000);
    expect(await simulator.exit()).toBe(0);
    expect(await reader.interrupt()).toBe(0);
    expect(simulator.lines.filter((line) => line.startsWith('sent document'))).toHaveLength(6);
    const documents = events(reader, 'document');
    expect(documents.length).toBeGreaterThanOrEqual(1);
    for (const document of documents) expect(document).toMatchObject({ protocol: 'mrz-soh-bcc', framing: 'soh-bcc', valid: true });
  });

  it.each(['zfm', 'gt521'])('`read` captures the fingers a simulated %s module gives, without printing the image', async (protocol) => {
    const simulator = run('simulate', '--protocol', protocol);
    children.push(simulator);
    const path = await simulator.line(() => true, 'the pseudo-terminal path');
    const reader = run('read', '--port', path, '--protocol', protocol, '--baud', protocol === 'zfm' ? '57600' : '9600');
    children.push(reader);
    await reader.line((line) => line.includes('"event":"capture"'), 'a capture', 30_000);
    expect(await reader.interrupt()).toBe(0);
    expect(await simulator.interrupt()).toBe(0);
    const [capture] = events(reader, 'capture');
    expect(capture).toMatchObject({ protocol, quality: expect.any(Number), template: { bytes: expect.any(Number) } });
    expect((capture!.width as number) * (capture!.height as number)).toBeGreaterThan(10_000);
    expect(events(reader, 'finger')).toContainEqual({ event: 'finger', present: true });
    expect(reader.lines.every((line) => line.length < 400)).toBe(true);
  });

  it('`read --hid` says plainly why a HID reader cannot be read here', async () => {
    const reader = run('read', '--hid', '0c2e:0b61', '--protocol', 'mrz-hid-pos');
    children.push(reader);
    // Without libusb (this machine) the library cannot load; with it, no such reader is plugged in.
    const line = await reader.line((text) => text.includes('"kind":"error"'), 'an error state');
    const state = JSON.parse(line) as { code: string; reason: string; retrying: boolean };
    if (state.code === 'DEVICE_LIBRARY_MISSING') {
      expect(state).toMatchObject({ retrying: false, reason: expect.stringContaining('libusb-1.0') });
      expect(await reader.exit()).toBe(1);
    } else {
      expect(state).toMatchObject({ retrying: true });
      expect(await reader.interrupt()).toBe(0);
    }
  });

  it('lists serial ports and HID devices, saying what it could not list', () => {
    const result = spawnSync(process.execPath, [...cli, 'list'], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/^Serial ports:$/m);
    expect(result.stdout).toMatch(/^HID devices:$/m);
    expect(result.status).toBe(result.stdout.includes('could not be listed') ? 1 : 0);
  });

  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['read without a port', ['read', '--protocol', 'mrz-json']],
    ['read --hid with ids that are not hexadecimal', ['read', '--hid', 'reader', '--protocol', 'mrz-hid-pos']],
    ['read with an unknown protocol', ['read', '--port', '/dev/ttyUSB0', '--protocol', 'mrz-telepathy']],
    ['read with a parity no port has', ['read', '--port', '/dev/ttyUSB0', '--protocol', 'mrz-json', '--parity', 'mark']],
    ['simulate with a protocol it does not play', ['simulate', '--protocol', 'mrz-telepathy']],
    ['simulate with a scenario no module has', ['simulate', '--protocol', 'zfm', '--scenario', 'melted']],
  ])('exits 2 with the usage on %s', (_name, args) => {
    const result = spawnSync(process.execPath, [...cli, ...args], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout + result.stderr).toContain('Usage: npm run devices');
  });
});
