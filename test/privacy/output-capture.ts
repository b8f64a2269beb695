import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CapturedText } from './leak-search';

/**
 * Everything the processes of a test printed, stream by stream, kept whole (not the
 * last few kilobytes), so that a search sees every line they wrote.
 */
export class OutputCapture {
  private readonly streams = new Map<string, { chunks: Buffer[]; shownOnPurpose: readonly string[] }>();
  private readonly texts: CapturedText[] = [];

  /** A sink for one stream; `shownOnPurpose` lists the needles this stream prints by design. */
  sink(where: string, shownOnPurpose: readonly string[] = []): (chunk: Buffer) => void {
    const stream = { chunks: [] as Buffer[], shownOnPurpose };
    this.streams.set(where, stream);
    return (chunk) => stream.chunks.push(chunk);
  }

  /** Both output streams of a child process, from its first byte. */
  follow(child: ChildProcess, name: string, shownOnPurpose: { stdout?: readonly string[]; stderr?: readonly string[] } = {}): void {
    child.stdout?.on('data', this.sink(`${name} stdout`, shownOnPurpose.stdout));
    child.stderr?.on('data', this.sink(`${name} stderr`, shownOnPurpose.stderr));
  }

  /** Text captured some other way (a browser console, a file). */
  add(text: CapturedText): void {
    this.texts.push(text);
  }

  text(where: string): string {
    const stream = this.streams.get(where);
    if (stream) return Buffer.concat(stream.chunks).toString('utf8');
    return this.texts.find((text) => text.where === where)?.text ?? '';
  }

  all(): CapturedText[] {
    const streams = [...this.streams].map(([where, { shownOnPurpose }]) => ({ where, text: this.text(where), shownOnPurpose }));
    return [...streams, ...this.texts];
  }
}

export interface CommandRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command line program of the repository (`node --import tsx <script> ...args`,
 * what its npm script runs) with its output captured under `name`.
 */
export async function runScript(
  capture: OutputCapture,
  name: string,
  script: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string; stdoutShownOnPurpose?: readonly string[] },
): Promise<CommandRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  capture.follow(child, name, { stdout: options.stdoutShownOnPurpose ?? [] });
  child.stdin.end(options.input ?? '');
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout: capture.text(`${name} stdout`), stderr: capture.text(`${name} stderr`) };
}

/** Fails with the command's own words when it did not exit with `expected`. */
export function expectStatus(run: CommandRun, name: string, expected = 0): CommandRun {
  if (run.status !== expected) throw new Error(`${name} exited with ${run.status}, not ${expected}:\n${run.stdout}\n${run.stderr}`);
  return run;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0');

/**
 * A file a person could read as a log: named *.log, or plain text (no NUL byte, not a
 * SQLite database). Databases hold records by design (the station's is encrypted).
 */
function isLogOrText(path: string, content: Buffer): boolean {
  if (path.endsWith('.log')) return true;
  if (content.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) return false;
  return !content.includes(0);
}

/** Every log or plain text file under `dir`; symbolic links are not followed (a shared cache may be linked in). */
export function textFilesUnder(dir: string, shownOnPurpose: (path: string) => readonly string[] = () => []): CapturedText[] {
  const found: CapturedText[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = lstatSync(path);
    if (stat.isDirectory()) found.push(...textFilesUnder(path, shownOnPurpose));
    else if (stat.isFile()) {
      const content = readFileSync(path);
      if (isLogOrText(path, content)) found.push({ where: path, text: content.toString('utf8'), shownOnPurpose: shownOnPurpose(path) });
    }
  }
  return found;
}
