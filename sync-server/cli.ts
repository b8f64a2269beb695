import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isReferenceCollection } from '../domain/sync';
import { buildSyncServer, serverLoggerOptions } from './app';
import { ADMIN_PRINCIPAL, issueCredential } from './auth/credentials';
import { ServerError } from './errors';
import { officerCommandsUsage, runOfficerCommand } from './officers/officer-commands';
import { ImportError, importReference, readImportFile } from './reference/import';
import { issueProvisioningBundle } from './provisioning/issue-bundle';
import { loadOrCreateServerKey, serverKeyFile, type ServerSigningKey } from './provisioning/server-key';
import { addStation } from './reference/stations';
import { releaseCommandsUsage, runReleaseCommand } from './updates/release-commands';
import { releasesDir } from './updates/release-store';
import { describeRetentionRun, runRetentionPurge } from './retention/purge';
import { serverRules } from './rules-file';
import { ServerRules } from './retention/server-rules';
import { openRepository, repositoryConfigFromEnv, sqliteFile, type RepositoryConfig } from './store/open';
import type { SyncRepository } from './store/repository';

const usage = `npm run server [-- <command>]

  (no command)        serve stations (HOST, default 127.0.0.1; PORT, default 8787)
  migrate             bring the database schema up to date and exit
  add-station --id ID --name NAME --kind police-station|border-crossing --municipality M [--crossing-point CODE]
                      add a station and print its credential (shown once)
  revoke-station ID   revoke every credential of a station
  admin-credential    print a new administrator credential (shown once)
  provision --station ID --url URL --out FILE [--replace]
                      write a signed provisioning bundle for a station: a new credential, the
                      address stations reach this server at (URL), and this server's public key;
                      --replace revokes the station's earlier credentials (a lost or replaced PC)
  provisioning-key    print the fingerprint of the key bundles are signed with
  import COLLECTION FILE [--replace]
                      load alerts (CSV or JSON), officers, stations or codeLists (JSON);
                      --replace withdraws records the file no longer lists
${officerCommandsUsage}
${releaseCommandsUsage}
  purge [--dry-run] [--now ISO]
                      purge records past their retention period and print the counts
                      (serving does it at start and every 24 h; MIS_RETENTION_DISABLED=1 stops that)

The retention periods: the law's defaults, or the overrides in the JSON file MIS_RULES_FILE
names, such as {"retention": {"accommodationRegisterYears": 5}}.

The database: PostgreSQL when DATABASE_URL is set, else SQLite in MIS_SERVER_DATA (default ./server-data).
The provisioning key: provisioning-key.pem in MIS_SERVER_DATA (made on first use; back it up).
Release files: MIS_RELEASES_DIR, default releases/ in MIS_SERVER_DATA (served at /updates/).`;

/**
 * The key bundles are signed with. One SQLite server makes it on first use; nodes sharing a
 * PostgreSQL database must all use the same one, so they only read it (docs/deployment.md).
 */
function servingKey(config: RepositoryConfig): { signingKey?: ServerSigningKey; missing?: string } {
  const file = serverKeyFile(config.dataDir);
  if (config.databaseUrl && !existsSync(file)) return { missing: file };
  return { signingKey: loadOrCreateServerKey(file) };
}

async function serve(repository: SyncRepository, config: RepositoryConfig): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number: ${process.env.PORT}`);
  // The retention periods: the defaults, or those of MIS_RULES_FILE, under the rules code list's entry in force.
  const retention = process.env.MIS_RETENTION_DISABLED === '1' ? {} : { retention: { rules: serverRules() } };
  const { signingKey, missing } = servingKey(config);
  const app = await buildSyncServer({ repository, logger: serverLoggerOptions(process.env.LOG_LEVEL ?? 'info'), ...retention, ...(signingKey ? { signingKey } : {}), releasesDir: releasesDir(config) });
  await app.listen({ host, port });
  app.log.info({ database: repository.kind }, 'serving stations');
  if (missing) app.log.warn({ keyFile: missing }, 'no provisioning key: stations cannot confirm a bundle with this node; copy provisioning-key.pem from the node that issues bundles');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // A request that hangs must not keep the server from stopping forever.
    const force = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    app
      .close()
      .then(() => repository.close())
      .then(
        () => {
          app.log.info('stopped');
          process.exit(0);
        },
        (error: unknown) => {
          app.log.error({ err: { name: (error as Error).name } }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function writeBundle(args: string[], repository: SyncRepository, config: RepositoryConfig): Promise<void> {
  const { values } = parseArgs({ args, options: { station: { type: 'string' }, url: { type: 'string' }, out: { type: 'string' }, replace: { type: 'boolean' } } });
  if (!values.station || !values.url || !values.out) throw new Error('Usage: npm run server -- provision --station ID --url URL --out FILE [--replace]');
  const key = loadOrCreateServerKey(serverKeyFile(config.dataDir));
  const bundle = await issueProvisioningBundle(repository, key, { stationId: values.station, serverUrl: values.url, replace: values.replace ?? false });
  // 'wx': never overwrite a file, which may be another station's bundle; 0600: it holds a credential.
  writeFileSync(values.out, `${JSON.stringify(bundle, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
  const revoked = values.replace ? ' Earlier credentials of the station are revoked.' : '';
  process.stdout.write(
    `Provisioning bundle for ${bundle.stationId} written to ${values.out} (server ${bundle.serverUrl}, key ${key.fingerprint}).${revoked}\n` +
      'It holds the station credential: hand it over like a password and delete it once the station has imported it.\n',
  );
}

async function runCommand(command: string, args: string[], repository: SyncRepository, config: RepositoryConfig): Promise<void> {
  if (command === 'migrate') {
    process.stdout.write(`The ${repository.kind} database is up to date.\n`);
  } else if (command === 'add-station') {
    const { values } = parseArgs({ args, options: { id: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, municipality: { type: 'string' }, 'crossing-point': { type: 'string' } } });
    const station: Record<string, unknown> = { id: values.id, name: values.name, kind: values.kind, municipality: values.municipality };
    if (values['crossing-point']) station.crossingPointCode = values['crossing-point'];
    const { stationId, token } = await addStation(repository, station, Date.now());
    process.stdout.write(`Station ${stationId} added. Its credential (shown only now; give it to the station's installer):\n${token}\n`);
  } else if (command === 'revoke-station') {
    const stationId = args[0];
    if (!stationId) throw new Error('Which station? npm run server -- revoke-station ID');
    const revoked = await repository.revokeCredentials(stationId, Date.now());
    process.stdout.write(`Revoked ${revoked} credential(s) of ${stationId}.\n`);
  } else if (command === 'admin-credential') {
    const { token } = await issueCredential(repository, ADMIN_PRINCIPAL);
    process.stdout.write(`Administrator credential (shown only now):\n${token}\n`);
  } else if (command === 'provision') {
    await writeBundle(args, repository, config);
  } else if (command === 'provisioning-key') {
    const key = loadOrCreateServerKey(serverKeyFile(config.dataDir));
    process.stdout.write(`Provisioning key ${key.file}\nFingerprint ${key.fingerprint}\n`);
  } else if (command === 'import') {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { replace: { type: 'boolean' } } });
    const [collection, file] = positionals;
    if (!collection || !file || !isReferenceCollection(collection)) throw new Error('Usage: npm run server -- import alerts|officers|stations|codeLists FILE [--replace]');
    const records = readImportFile(collection, readFileSync(file, 'utf8'), file.toLowerCase().endsWith('.csv') ? 'csv' : 'json');
    const result = await importReference(repository, collection, records, { replace: values.replace ?? false });
    process.stdout.write(`${collection}: ${result.read} read, ${result.written} written, ${result.unchanged} unchanged, ${result.withdrawn} withdrawn.\n`);
  } else if (command === 'purge') {
    const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' }, now: { type: 'string' } } });
    const now = values.now === undefined ? Date.now() : Date.parse(values.now);
    if (!Number.isFinite(now)) throw new Error(`--now must be a moment in ISO 8601, such as 2027-01-31T00:00:00Z (given: ${values.now}).`);
    const rules = new ServerRules(repository, serverRules(), (entry, problem) => process.stderr.write(`${problem}; the rules file's (or the default) periods apply.\n`));
    let result;
    try {
      result = await runRetentionPurge(repository, { now, rules: await rules.at(now), dryRun: values['dry-run'] ?? false });
    } finally {
      rules.stop();
    }
    process.stdout.write(describeRetentionRun(result));
  } else if (
    !(await runOfficerCommand(command, args, repository, (text) => process.stdout.write(text))) &&
    !(await runReleaseCommand(command, args, repository, releasesDir(config), (text) => process.stdout.write(text)))
  ) {
    throw new Error(`Unknown command ${JSON.stringify(command)}.\n\n${usage}`);
  }
}

/** `npm run server`: the central sync server, and the commands IT staff run against its database. */
async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === '--help' || command === 'help') {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const config = repositoryConfigFromEnv();
  const repository = await openRepository(config);
  if (!command) {
    await serve(repository, config);
    return;
  }
  try {
    await runCommand(command, args, repository, config);
  } finally {
    await repository.close();
  }
  if (repository.kind === 'sqlite') process.stdout.write(`(database: ${sqliteFile(config)})\n`);
}

main().catch((error: unknown) => {
  const listed = error instanceof ImportError ? error.issues : error instanceof ServerError ? (error.details.issues ?? []) : [];
  const issues = listed.map((issue) => `\n  ${issue.path}: ${issue.message}`).join('');
  process.stderr.write(`The sync server could not ${process.argv[2] ?? 'start'}: ${(error as Error).message}${issues}\n`);
  process.exit(1);
});
