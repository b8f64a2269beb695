import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the station's technical log is kept, inside its data folder. */
export function stationLogFile(dataDir: string): string {
  return join(dataDir, 'logs', 'station.log');
}

export interface RotationSettings {
  /** A file that would grow past this is renamed to `.1` first (default 5 MB). */
  maxBytes: number;
  /** How many earlier files are kept: `.1` (newest) to `.<keep>` (default 3). */
  keep: number;
}

/**
 * The log file as a pino destination: every line is written before the call returns, so
 * a crash leaves the lines that led to it. Before a line would take the file past
 * `maxBytes`, the file becomes `station.log.1` (the older ones shift up, the oldest goes),
 * so the log never takes more than (keep + 1) x maxBytes of the disk.
 * The folder is the owner's only, the files mode 0600: a log is no one else's business.
 * A file that cannot be written (disk full, permissions) is reported once on stderr and
 * then left alone: the station keeps working without it.
 */
export class RotatingLogFile {
  private descriptor: number | null = null;
  private size = 0;
  private failed = false;
  private readonly settings: RotationSettings;

  constructor(
    readonly path: string,
    settings: Partial<RotationSettings> = {},
  ) {
    this.settings = { maxBytes: 5 * 1024 * 1024, keep: 3, ...settings };
  }

  write(line: string): boolean {
    if (this.failed) return true;
    try {
      const bytes = Buffer.byteLength(line);
      if (this.descriptor === null) this.open();
      if (this.size > 0 && this.size + bytes > this.settings.maxBytes) this.rotate();
      writeSync(this.descriptor!, line);
      this.size += bytes;
    } catch (error) {
      this.failed = true;
      process.stderr.write(`The log file ${this.path} cannot be written (${(error as Error).message}); logging to it stops.\n`);
    }
    return true;
  }

  close(): void {
    if (this.descriptor !== null) closeSync(this.descriptor);
    this.descriptor = null;
  }

  private open(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.descriptor = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.descriptor).size;
  }

  private rotate(): void {
    this.close();
    rmSync(`${this.path}.${this.settings.keep}`, { force: true });
    for (let index = this.settings.keep - 1; index >= 1; index--) {
      const older = `${this.path}.${index}`;
      if (existsSync(older)) renameSync(older, `${this.path}.${index + 1}`);
    }
    renameSync(this.path, `${this.path}.1`);
    this.open();
  }
}
