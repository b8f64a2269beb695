import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';

/** One line of the log: pino's JSON as an object, or the text of a line that is not JSON. */
export type LogLine = Record<string, unknown> | string;

export interface LogTail {
  /** The files read, newest first. */
  files: string[];
  /** The last lines, oldest first. */
  lines: LogLine[];
  /** The last warnings and errors (pino level 40 and above) in what was read, oldest first. */
  recentErrors: LogLine[];
  /** Why there is no tail, when there is none. */
  problem: string | null;
}

function lastBytes(file: string, count: number): string {
  const descriptor = openSync(file, 'r');
  try {
    const size = fstatSync(descriptor).size;
    const length = Math.min(size, count);
    const buffer = Buffer.alloc(length);
    readSync(descriptor, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // The first line may have been cut in two; it is dropped unless the whole file was read.
    return length < size ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    closeSync(descriptor);
  }
}

function parse(line: string): LogLine {
  if (!line.startsWith('{')) return line;
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : line;
  } catch (error) {
    if (error instanceof SyntaxError) return line;
    throw error;
  }
}

const isWarningOrWorse = (line: LogLine): boolean => typeof line === 'object' && typeof line.level === 'number' && line.level >= 40;

/**
 * The end of the station's log: the last `lineCount` lines of the log file (and of the
 * file before it, when the current one was just started), and the last warnings and errors
 * within the last `searchBytes` of the log. Read from the end, whatever the file's size.
 */
export function readLogTail(logFile: string, options: { lineCount?: number; errorCount?: number; searchBytes?: number } = {}): LogTail {
  const { lineCount = 200, errorCount = 50, searchBytes = 1024 * 1024 } = options;
  const files = [logFile, `${logFile}.1`].filter((file) => existsSync(file));
  if (files.length === 0) return { files, lines: [], recentErrors: [], problem: `There is no log file at ${logFile} (the station has not run with a log file yet).` };
  let text = '';
  for (const file of files) {
    text = lastBytes(file, searchBytes - text.length) + text;
    if (text.length >= searchBytes) break;
  }
  const lines = text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map(parse);
  return { files, lines: lines.slice(-lineCount), recentErrors: lines.filter(isWarningOrWorse).slice(-errorCount), problem: null };
}
