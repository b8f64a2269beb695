import { parseMrz } from '../domain/mrz';
import type { MrzParseResult } from '../domain/mrz';

/**
 * `npm run --silent mrz`: reads MRZ text on stdin, documents separated by blank
 * lines, and prints one JSON object per document on its own line. A zone that
 * cannot be read prints `{"valid":false,"error":{...}}`; that is a result, not
 * a failure, so the exit code is non-zero only for a wrong command line.
 */

const USAGE = `Usage: npm run --silent mrz [-- --today=YYYY-MM-DD] < zones.txt

Reads machine readable zones (TD1, TD2, TD3, MRV-A, MRV-B) from standard input,
documents separated by blank lines, and prints one JSON object per document:
{ format, valid, fields, checks, corrections, warnings }, or { valid: false, error }.

Options:
  --today=YYYY-MM-DD  the day two-digit years are read against (default: today)
  --help              print this help`;

interface CommandLine {
  today: Date | undefined;
}

type CommandLineReading = { ok: true; commandLine: CommandLine } | { ok: false; help: boolean; problem: string };

function readCommandLine(args: readonly string[]): CommandLineReading {
  let today: Date | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return { ok: false, help: true, problem: '' };
    let value: string | undefined;
    if (arg.startsWith('--today=')) value = arg.slice('--today='.length);
    else if (arg === '--today') value = args[++i];
    else return { ok: false, help: false, problem: `Unknown argument: ${arg}` };
    const day = value === undefined ? null : dayFrom(value);
    if (day === null) return { ok: false, help: false, problem: `--today needs a date as YYYY-MM-DD, got ${value ?? 'nothing'}` };
    today = day;
  }
  return { ok: true, commandLine: { today } };
}

function dayFrom(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

/** Blank (or whitespace-only) lines separate documents; a document keeps its lines as typed. */
function splitDocuments(input: string): string[] {
  const documents: string[] = [];
  let current: string[] = [];
  for (const line of input.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') {
      if (current.length > 0) documents.push(current.join('\n'));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) documents.push(current.join('\n'));
  return documents;
}

function report(result: MrzParseResult): object {
  if (!result.ok) return { valid: false, error: result.error };
  const { format, valid, fields, checks, corrections, warnings } = result.document;
  return { format, valid, fields, checks, corrections, warnings };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const reading = readCommandLine(process.argv.slice(2));
  if (!reading.ok) {
    if (reading.help) {
      console.log(USAGE);
      return 0;
    }
    console.error(`${reading.problem}\n\n${USAGE}`);
    return 2;
  }
  const { today } = reading.commandLine;
  for (const document of splitDocuments(await readStdin())) {
    const result = parseMrz(document, today === undefined ? {} : { today });
    process.stdout.write(`${JSON.stringify(report(result))}\n`);
  }
  return 0;
}

process.exitCode = await main();
