import { parseArgs } from 'node:util';
import { defaultDataDir } from '../services/station-config';
import { fileKeyVault } from '../store/database-key';
import { stationStoreFiles } from '../store/station-files';
import { stationCredentialFormat } from '../sync/station-credential';
import { importProvisioningBundle } from './import-bundle';
import { ProvisioningError } from './provisioning-error';

const usage = `npm run provision -- --bundle FILE [--data-dir DIR] [--server-key FINGERPRINT] [--offline]

Imports a provisioning bundle (written by \`npm run server -- provision\`) into a station's
data folder (default: MIS_DATA_DIR, else ${defaultDataDir}) for the headless shell: checks
its signature, asks the server to confirm it (unless --offline), writes station.json and
keeps the credential in a file only this account can read. The installed app imports a
bundle itself on its first run: "MIS Station" --provision=FILE.

  --server-key FINGERPRINT   refuse a bundle not signed by this key (SHA256:...)
  --offline                  do not ask the server (needs --server-key on a first import)`;

/** `npm run provision`: a station's identity from the central server's bundle. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { bundle: { type: 'string' }, 'data-dir': { type: 'string' }, 'server-key': { type: 'string' }, offline: { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.bundle) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const dataDir = values['data-dir'] ?? process.env.MIS_DATA_DIR ?? defaultDataDir;
  const { credentialFile } = stationStoreFiles(dataDir);
  const result = await importProvisioningBundle(
    values.bundle,
    { dataDir, credentialVault: fileKeyVault(credentialFile, stationCredentialFormat), credentialFile },
    { offline: values.offline ?? false, ...(values['server-key'] ? { expectedServerKey: values['server-key'] } : {}) },
  );
  const credential = { sealed: 'kept', replaced: 'replaced the old one', unchanged: 'was already in place' }[result.credential];
  process.stdout.write(
    `Station ${result.stationId} provisioned in ${dataDir}.\n` +
      `  server      ${result.serverUrl}${result.confirmedByServer ? ' (confirmed the bundle)' : ' (not asked: --offline)'}\n` +
      `  server key  ${result.serverKeyFingerprint}\n` +
      `  credential  ${credential} in ${credentialFile} (readable by this account only)\n` +
      'Delete the bundle file now. Start MIS Station: it pulls its records and reference data from the server.\n',
  );
}

main().catch((error: unknown) => {
  const code = error instanceof ProvisioningError ? ` [${error.code}]` : '';
  process.stderr.write(`The station could not be provisioned${code}: ${(error as Error).message}\n`);
  process.exit(1);
});
