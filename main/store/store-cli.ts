import { loadStationConfig } from '../services/station-config';
import { backupStationDatabase, restoreStationDatabase, verifyBackup } from './backup';
import { fileKeyVault } from './database-key';
import { StoreError } from './errors';
import { stationStoreFiles } from './station-files';

/**
 * `npm run store -- <command>`: the station store's tools for IT staff.
 *   backup <file>    an online, encrypted, consistent copy (the station may keep working)
 *   restore <file>   replaces the station database with a backup (stop the station first)
 *   check [file]     integrity check of the station database, or of a backup
 * The station is found through MIS_DATA_DIR (default ~/.mis-station) and its key file.
 */
const usage = 'usage: npm run store -- backup <file> | restore <file> | check [file]';

async function main(argv: string[]): Promise<number> {
  const [command, file, ...rest] = argv;
  const wellFormed = rest.length === 0 && ((command === 'backup' || command === 'restore') ? Boolean(file) : command === 'check');
  if (!wellFormed) {
    process.stderr.write(`${usage}\n`);
    return command === '--help' ? 0 : 2;
  }
  const files = stationStoreFiles(loadStationConfig().dataDir);
  const key = await fileKeyVault(files.keyFile).read();
  if (!key) throw new StoreError('STORE_KEY_MISSING', `There is no database key at ${files.keyFile}.`);
  switch (command) {
    case 'backup': {
      const { bytes } = backupStationDatabase(files.databaseFile, key, file!);
      process.stdout.write(`Backup written to ${file} (${bytes} bytes, encrypted with the station key, integrity check ok).\n`);
      return 0;
    }
    case 'restore': {
      restoreStationDatabase(files.databaseFile, key, file!, files.lockFile);
      process.stdout.write(`The station database ${files.databaseFile} was restored from ${file}.\n`);
      return 0;
    }
    default: {
      const { bytes } = verifyBackup(file ?? files.databaseFile, key);
      process.stdout.write(`${file ?? files.databaseFile}: integrity check ok (${bytes} bytes).\n`);
      return 0;
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
