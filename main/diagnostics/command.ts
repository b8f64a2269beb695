import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../services/station-config';
import { commandVaults, writeDiagnosticsBundle, type WrittenBundle } from './diagnostics-bundle';

export const diagnosticsUsage = `npm run diagnostics -- [--data-dir DIR] [--out DIR] [--no-probe]

Writes a diagnostics bundle of a station (default data folder: MIS_DATA_DIR, else
${defaultDataDir}) into DIR (default: the current folder), readable by you only: versions,
configuration without secrets, devices, sync, the database's integrity check, the audit
chain and the end of the log, with personal data removed. The station need not be
stopped. --no-probe: do not ask the central server's health check.`;

/** What the command prints about a written bundle. */
export function describeBundle(written: WrittenBundle): string {
  const integrity = written.integrityOk === null ? 'not run (the store could not be read; the bundle says why)' : written.integrityOk ? 'ok' : 'FAILED (details in the bundle)';
  const inUse = written.storeInUseBy === null ? '' : `\n  the station store was in use by MIS Station (pid ${written.storeInUseBy}): it was read through a read-only snapshot`;
  return `Diagnostics bundle written: ${written.file} (${written.bytes} bytes, readable by you only)\n  database integrity check: ${integrity}${inUse}\n`;
}

/** `npm run diagnostics`: returns the exit code (0 written, 2 a wrong command line). */
export async function runDiagnosticsCommand(args: string[], print: (text: string) => void = (text) => process.stdout.write(text)): Promise<number> {
  const { values } = parseArgs({ args, options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, 'no-probe': { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
  if (values.help) {
    print(`${diagnosticsUsage}\n`);
    return 0;
  }
  const dataDir = resolve(values['data-dir'] ?? process.env.MIS_DATA_DIR ?? defaultDataDir);
  const written = await writeDiagnosticsBundle({ dataDir, outDir: resolve(values.out ?? '.'), ...commandVaults(dataDir), probeServer: !values['no-probe'] });
  print(describeBundle(written));
  return 0;
}
