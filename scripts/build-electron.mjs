// Bundles the Electron entry point and the preload into dist/. Electron cannot run on our
// build machines, but this build (and the typecheck and lint) runs in CI all the same.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  external: ['electron'],
  logLevel: 'warning',
};

// main: npm packages stay external and ship in the installer's node_modules.
await build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', packages: 'external' });
// The store's worker thread runs beside main (main/store/worker-client.ts is told its path).
await build({ ...common, entryPoints: ['main/store/worker/store-worker.ts'], outfile: 'dist/electron/store-worker.cjs', packages: 'external' });
// The sandboxed preload can require nothing but electron: everything else is bundled in.
await build({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/preload.cjs' });
console.log('built dist/electron/main.cjs, dist/electron/store-worker.cjs and dist/preload/preload.cjs');
