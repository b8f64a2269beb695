import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, writeSync, fsyncSync } from 'node:fs';
import { StoreError } from './errors';

/**
 * Where the station's database key lives between runs. In the Electron app the operating
 * system seals it (safeStorage, see main/electron/); the headless shell keeps it in a file
 * that only its owner may read.
 */
export interface KeyVault {
  /** Where the key is kept, for messages to IT staff. */
  readonly location: string;
  /** The key as 64 hex characters, or null when none has been stored yet. */
  read(): Promise<string | null>;
  /** Stores a new key. Never overwrites one that exists. */
  create(key: string): Promise<void>;
}

/** What a vault file must hold, and what to call it in messages. */
export interface SecretFormat {
  name: string;
  test(text: string): boolean;
}

export const databaseKeyFormat: SecretFormat = { name: 'database key', test: (text) => /^[0-9a-f]{64}$/.test(text) };

/**
 * A secret in a file readable and writable by its owner only (mode 0600): the database
 * key by default, the station credential with another format.
 */
export function fileKeyVault(path: string, format: SecretFormat = databaseKeyFormat): KeyVault {
  return {
    location: path,
    async read() {
      let descriptor: number;
      try {
        descriptor = openSync(path, 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new StoreError('STORE_KEY_MISSING', `The ${format.name} file ${path} cannot be read: ${(error as Error).message}`);
      }
      try {
        const info = fstatSync(descriptor);
        if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
          throw new StoreError('STORE_KEY_INVALID', `The ${format.name} file ${path} can be read by other users (mode ${(info.mode & 0o777).toString(8)}). Restrict it with: chmod 600 ${path}`);
        }
        if (process.getuid && info.uid !== process.getuid()) {
          throw new StoreError('STORE_KEY_INVALID', `The ${format.name} file ${path} belongs to another user.`);
        }
        const key = readFileSync(descriptor, 'utf8').trim();
        if (!format.test(key)) throw new StoreError('STORE_KEY_INVALID', `The ${format.name} file ${path} does not hold a valid ${format.name}.`);
        return key;
      } finally {
        closeSync(descriptor);
      }
    },
    async create(key) {
      // 'wx': fails if the file exists, so two starts at once cannot both make a key.
      const descriptor = openSync(path, 'wx', 0o600);
      try {
        writeSync(descriptor, `${key}\n`);
        fsyncSync(descriptor);
      } finally {
        closeSync(descriptor);
      }
    },
  };
}

/**
 * The key of the station database: the stored one, or a new random 256-bit key on the
 * very first run. A database that exists without its key is an error, never a reason to
 * make a new key: that would lock the officers out of their own records.
 */
export async function loadOrCreateDatabaseKey(vault: KeyVault, databaseFile: string): Promise<string> {
  const stored = await vault.read();
  if (stored) return stored;
  if (existsSync(databaseFile)) {
    throw new StoreError(
      'STORE_KEY_MISSING',
      `The station database ${databaseFile} exists but its key (${vault.location}) is missing. Restore the key from the station's backup; nothing was changed.`,
    );
  }
  const key = randomBytes(32).toString('hex');
  await vault.create(key);
  return key;
}
