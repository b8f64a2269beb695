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
import os, pty, select, sys, tty
master, slave = pty.openpty()
tty.setraw(slave)
sys.stdout.write(os.ttyname(slave) + "\\n")
sys.stdout.flush()
out = sys.stdout.fileno()
while True:
    ready, _, _ = select.select([0, master], [], [])
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            break
        os.write(master, data)
    if master in ready:
        try:
            data = os.read(master, 65536)
        except OSError:
            data = b""
        if data:
            os.write(out, data)
`;

export interface PseudoTerminal {
  /** What the code under test opens: stays the same across replug(). */
  readonly path: string;
  /** Bytes onto the wire, as the device sends them. */
  write(bytes: Uint8Array | string): Promise<void>;
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

export async function openPseudoTerminal(): Promise<PseudoTerminal> {
  const directory = mkdtempSync(join(tmpdir(), 'mis-pty-'));
  const path = join(directory, 'ttyDEVICE');
  let received = Buffer.alloc(0);
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    received = Buffer.concat([received, chunk]);
    for (const wake of [...waiters]) wake();
  };
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
      const stdin = pair.child.stdin!;
      if (!stdin.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)) await once(stdin, 'drain');
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
      pointAt(pair.slavePath);
    },
    async close() {
      if (pair) await closePair(pair);
      pair = null;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
