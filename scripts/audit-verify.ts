import type { AuditChainVerdict } from '../domain/records';
import { verifyStationAuditTrails } from '../main/audit/verify-station';
import { openServerStore, type ServerStoreLocation, verifyServerAuditTrails } from '../sync-server/audit/verify-server';
import type { AuditChainReport } from '../sync-server/store/repository';
import { repositoryConfigFromEnv, sqliteFile } from '../sync-server/store/open';

/**
 * `npm run audit:verify`: checks the hash-chained audit trails (docs/audit.md) and names
 * the first broken entry of each. Exit code 0: every trail intact; 1: a trail is broken,
 * a report is open, or the store cannot be read; 2: a wrong command line.
 */
const usage = `usage: npm run audit:verify -- --station <station data folder>
       npm run audit:verify -- --server [--file <sync.sqlite>]

--station  a station's database, opened read-only with its key file (<folder>/store.key)
--server   the sync server's database: PostgreSQL when DATABASE_URL is set, otherwise the
           SQLite file given with --file, or the server's own (MIS_SERVER_DATA, default
           ./server-data/sync.sqlite)`;

type CommandLine = { check: 'station'; dataDir: string } | { check: 'server'; file: string | undefined } | { check: 'help' };

function readCommandLine(args: string[]): CommandLine | null {
  const [mode, ...rest] = args;
  if (mode === '--help' || mode === '-h') return { check: 'help' };
  if (rest.some((arg) => arg.trim() === '')) return null;
  if (mode === '--station' && rest.length === 1) return { check: 'station', dataDir: rest[0]! };
  if (mode === '--server' && rest.length === 0) return { check: 'server', file: undefined };
  if (mode === '--server' && rest.length === 2 && rest[0] === '--file') return { check: 'server', file: rest[1]! };
  return null;
}

function verdictLine(verdict: AuditChainVerdict): string {
  if (verdict.ok) return `audit chain of station ${verdict.stationId}: ${verdict.entries} ${verdict.entries === 1 ? 'entry' : 'entries'}, intact`;
  const { broken } = verdict;
  return `audit chain of station ${verdict.stationId}: BROKEN at sequence ${broken.sequence ?? 'unknown'}, id ${broken.entryId}, ${broken.kind}: ${broken.message}`;
}

function reportLine(report: AuditChainReport): string {
  return `open report: station ${report.stationId}, sequence ${report.sequence}, id ${report.entryId}, ${report.kind}, found ${new Date(report.detectedAt).toISOString()}: ${report.detail}`;
}

const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function verifyStation(dataDir: string): Promise<number> {
  const { databaseFile, verdicts } = await verifyStationAuditTrails(dataDir);
  if (verdicts.length === 0) print(`the station database ${databaseFile} holds no audit entries`);
  for (const verdict of verdicts) print(verdictLine(verdict));
  return verdicts.every((verdict) => verdict.ok) ? 0 : 1;
}

async function verifyServer(file: string | undefined): Promise<number> {
  const env = repositoryConfigFromEnv();
  const location: ServerStoreLocation = file ? { file } : env.databaseUrl ? { databaseUrl: env.databaseUrl } : { file: sqliteFile(env) };
  const repository = await openServerStore(location);
  let stations = 0;
  let failed = 0;
  let openReports = 0;
  try {
    for await (const finding of verifyServerAuditTrails(repository)) {
      if (finding.kind === 'station') {
        stations++;
        if (!finding.verdict.ok) failed++;
        print(verdictLine(finding.verdict));
      } else {
        openReports++;
        print(reportLine(finding.report));
      }
    }
  } finally {
    await repository.close();
  }
  if (stations === 0) print('no audit entries on the server');
  print(openReports === 0 ? 'no audit chain reports open' : `${openReports} audit chain ${openReports === 1 ? 'report' : 'reports'} open`);
  return failed === 0 && openReports === 0 ? 0 : 1;
}

async function main(args: string[]): Promise<number> {
  const commandLine = readCommandLine(args);
  if (!commandLine || commandLine.check === 'help') {
    (commandLine ? process.stdout : process.stderr).write(`${usage}\n`);
    return commandLine ? 0 : 2;
  }
  return commandLine.check === 'station' ? verifyStation(commandLine.dataDir) : verifyServer(commandLine.file);
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
