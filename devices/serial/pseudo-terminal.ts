import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real kernel pseudo-terminal pair standing in for a device on a serial port: the code
 * under test opens `path` (the slave side) with the real serialport binding, and the test
 * plays the device on the master side, which python3 (on every machine here; socat is
 * not) relays to this process: what the test writes goes to the device's wire, what the
 * code under test sends comes back as 'data'. Tests, the device benchmark and
 * `npm run devices -- simulate` all use this one relay (test/support/pty.ts re-exports it).
 *
 * `path` is a stable symlink to the current slave, as udev's by-id links are: unplug()
 * removes it and closes the master (the port hangs up, as when a USB device is pulled, and
 * the path is gone, as udev removes the link), replug() opens a new pair behind the same
 * path. (Were the link left, a driver reconnecting meanwhile could open another program's
 * pseudo-terminal that the kernel gave the old slave's number.)
 */
const relay = `
import os, pty, select, struct, sys, termios, tty
master, slave = pty.openpty()
tty.setraw(slave)
sys.stdout.write(os.ttyname(slave) + "\\n")
sys.stdout.flush()
out = sys.stdout.fileno()
# The device's line speed (a termios constant), or None: bytes pass at any speed.
device_speed = None
def heard():
    return device_speed is None or termios.tcgetattr(slave)[4] == device_speed
pending = b""
while True:
    ready, _, _ = select.select([0, master], [], [])
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            break
        pending += data
        # Frames from Node: kind (0 bytes for the wire, 1 the device's speed), length, payload.
        while len(pending) >= 5:
            kind, size = pending[0], struct.unpack(">I", pending[1:5])[0]
            if len(pending) < 5 + size:
                break
            payload, pending = pending[5:5 + size], pending[5 + size:]
            if kind == 1:
                baud = int(payload)
                device_speed = getattr(termios, "B%d" % baud) if baud else None
            elif heard():
                os.write(master, payload)
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data and heard():
            os.write(out, data)
`;

export interface PseudoTerminal {
  /** What the code under test opens: stays the same across replug(). */
  readonly path: string;
  /** Bytes onto the wire, as the device sends them. */
  write(bytes: Uint8Array | string): Promise<void>;
  /**
   * The device's own line speed. From then on bytes pass, either way, only while the port
   * runs at that speed: a UART at another speed hears noise, here nothing at all. null (the
   * start): bytes pass at any speed. Kept across unplug() and replug().
   */
  setDeviceBaudRate(baudRate: number | null): Promise<void>;
  /** Everything the code under test has sent to the device since the last take. */
  takeReceived(): Buffer;
  /** Waits until the code under test has sent at least `count` bytes (or throws after timeoutMs). */
  received(count: number, timeoutMs?: number): Promise<Buffer>;
  /** The device goes away: the master side closes, the port hangs up, and the path is gone until replug(). */
  unplug(): Promise<void>;
  /** A device appears again at the same path (a new pair). */
  replug(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  child: ChildProcess;
  slavePath: string;
}

async function openPair(onData: (chunk: Buffer) => void): Promise<Pair> {
  const child = spawn('python3', ['-u', '-c', relay], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const slavePath = await new Promise<string>((resolve, reject) => {
    let header = Buffer.alloc(0);
    const onHeader = (chunk: Buffer): void => {
      header = Buffer.concat([header, chunk]);
      const newline = header.indexOf(0x0a);
      if (newline < 0) return;
      child.stdout!.off('data', onHeader);
      child.stdout!.on('data', onData);
      const rest = header.subarray(newline + 1);
      if (rest.length > 0) onData(rest);
      resolve(header.subarray(0, newline).toString());
    };
    child.stdout!.on('data', onHeader);
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? new Error('A pseudo-terminal needs python3, which is not installed (or not on PATH).', { cause: error }) : error),
    );
    child.once('exit', (code) => reject(new Error(`The pseudo-terminal relay (python3) exited (${code}) before opening a pair: ${stderr}`)));
  });
  return { child, slavePath };
}

async function closePair(pair: Pair): Promise<void> {
  if (pair.child.exitCode !== null || pair.child.signalCode !== null) return;
  const exited = once(pair.child, 'exit');
  pair.child.kill('SIGKILL');
  await exited;
}

/** A frame of the relay's input: 0 bytes for the wire, 1 the device's speed. */
function frame(kind: 0 | 1, payload: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header[0] = kind;
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

async function send(pair: Pair, bytes: Buffer): Promise<void> {
  const stdin = pair.child.stdin!;
  if (!stdin.write(bytes)) await once(stdin, 'drain');
}

export async function openPseudoTerminal(): Promise<PseudoTerminal> {
  const directory = mkdtempSync(join(tmpdir(), 'mis-pty-'));
  const path = join(directory, 'ttyDEVICE');
  let received = Buffer.alloc(0);
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    received = Buffer.concat([received, chunk]);
    for (const wake of [...waiters]) wake();
  };
  let deviceBaudRate: number | null = null;
  const speedFrame = (): Buffer => frame(1, Buffer.from(String(deviceBaudRate ?? 0)));
  let pair: Pair | null = await openPair(onData);
  const pointAt = (target: string): void => {
    // Atomically, so that a reconnecting driver never finds the path missing half-way.
    const temporary = `${path}.${process.pid}.${Date.now()}`;
    symlinkSync(target, temporary);
    renameSync(temporary, path);
  };
  pointAt(pair.slavePath);

  return {
    path,
    async write(bytes) {
      if (!pair) throw new Error('The pseudo-terminal is unplugged.');
      await send(pair, frame(0, typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes)));
    },
    async setDeviceBaudRate(baudRate) {
      deviceBaudRate = baudRate;
      if (pair) await send(pair, speedFrame());
    },
    takeReceived() {
      const taken = received;
      received = Buffer.alloc(0);
      return taken;
    },
    async received(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`The device got ${received.length} of ${count} bytes within ${timeoutMs} ms.`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done(): void {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
      const taken = received.subarray(0, count);
      received = received.subarray(count);
      return taken;
    },
    async unplug() {
      if (!pair) return;
      const closing = pair;
      pair = null;
      rmSync(path, { force: true });
      await closePair(closing);
    },
    async replug() {
      if (pair) return;
      pair = await openPair(onData);
      if (deviceBaudRate !== null) await send(pair, speedFrame());
      pointAt(pair.slavePath);
    },
    async close() {
      if (pair) await closePair(pair);
      pair = null;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
