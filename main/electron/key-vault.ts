import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { safeStorage } from 'electron';
import type { KeyVault } from '../store/database-key';
import { StoreError } from '../store/errors';

/**
 * The database key sealed by the operating system (DPAPI on Windows, the Keychain on
 * macOS, the Secret Service or KWallet on Linux). The sealed bytes are useless on another
 * machine or to another user. On Linux without a keyring, Electron would fall back to a
 * fixed password ("basic_text"): that is not sealing, and we refuse it.
 */
export function safeStorageKeyVault(sealedFile: string): KeyVault {
  async function ensureSealingAvailable(): Promise<void> {
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      throw new StoreError('STORE_KEY_MISSING', 'This desktop has no keyring (Secret Service or KWallet) to seal the database key. Install and unlock one, or run the station with the headless shell and a key file.');
    }
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      throw new StoreError('STORE_KEY_MISSING', "The operating system's key store is not available, so the database key cannot be unsealed.");
    }
  }

  return {
    location: `${sealedFile} (sealed by the operating system)`,
    async read() {
      if (!existsSync(sealedFile)) return null;
      await ensureSealingAvailable();
      const { result } = await safeStorage.decryptStringAsync(await readFile(sealedFile));
      return result;
    },
    async create(key) {
      await ensureSealingAvailable();
      await writeFile(sealedFile, await safeStorage.encryptStringAsync(key), { flag: 'wx', mode: 0o600 });
    },
  };
}
