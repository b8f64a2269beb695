import { join } from 'node:path';

/** Where a station keeps its store, inside its data folder. */
export function stationStoreFiles(dataDir: string) {
  const directory = join(dataDir, 'store');
  return {
    /** The folder of the SQLite files (one per RxDB database). */
    directory,
    /** The station's RxDB database, named 'station'. */
    databaseName: 'station',
    databaseFile: join(directory, 'station.sqlite'),
    /** The key file of the headless shell (the Electron app seals its key with the OS instead). */
    keyFile: join(dataDir, 'store.key'),
    /** The station's credential for the sync server, in the headless shell (the Electron app seals it). */
    credentialFile: join(dataDir, 'station.credential'),
    /** Held while the station app runs, so that a restore cannot replace the store under it. */
    lockFile: join(dataDir, 'station.lock'),
  };
}
