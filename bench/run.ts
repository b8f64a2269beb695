import { benchApi } from './api.bench';
import { benchDevices } from './devices.bench';
import { benchMrz } from './mrz.bench';
import { benchRxdbSuite } from './rxdb-suite.bench';
import { benchScanToForm } from './scan-to-form.bench';
import { benchStay } from './stay.bench';
import { benchStoreScale } from './store-scale.bench';
import { benchSyncLoad } from './sync-load.bench';
import { benchSyncPull } from './sync-pull.bench';
import { benchWatchlist } from './watchlist.bench';

/**
 * `npm run bench`: prints figures, never pass/fail. Compare lines of one run with each
 * other (ratios), not with another machine's or another day's.
 */
const benches: [string, () => Promise<void>][] = [
  ['mrz', benchMrz],
  // Serial MRZ readers over a pseudo-terminal: 500 documents per framing (BENCH_DEVICE_DOCUMENTS).
  ['devices', benchDevices],
  ['watchlist', benchWatchlist],
  ['stay', benchStay],
  ['api', benchApi],
  // From the last byte of a serial scan to the filled registration form in Chromium.
  ['scan-to-form', benchScanToForm],
  ['store-rxdb-suite', benchRxdbSuite],
  // A million registrations by default (about ten minutes): BENCH_STORE_ROWS sets fewer.
  ['store-scale', benchStoreScale],
  // A million alerts by default (BENCH_PULL_ALERTS sets fewer), then 10,000 records pushed.
  ['sync-pull', benchSyncPull],
  // 200 stations for 20 s on SQLite, then on PostgreSQL (BENCH_SYNC_STATIONS, BENCH_SYNC_SECONDS).
  ['sync-load', benchSyncLoad],
];

const only = process.argv.slice(2);
for (const [name, run] of benches) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  await run();
}
