// `npm start`: builds the app and starts it in Electron. Where Electron cannot run (no
// display, or its binary cannot be downloaded, as on our build machines) it says so and
// points to the headless shell, which runs the same app in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function explainAndExit(reason) {
  console.error(`\nMIS Station cannot start its desktop window here: ${reason}`);
  console.error('Run the same application in a browser on this machine instead:\n\n  npm run start:web\n');
  process.exit(1);
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!hasDisplay) explainAndExit('there is no display (DISPLAY and WAYLAND_DISPLAY are not set).');

run('npm', ['run', '--silent', 'build']);

// Electron 42+ fetches its binary on first use; finding it may download it now.
const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60_000 });
if (probe.status !== 0 || !probe.stdout) {
  explainAndExit("Electron's binary is not installed and could not be downloaded (it comes from outside the npm registry).");
}

const child = spawn(probe.stdout, [require.resolve('../package.json').replace(/package\.json$/, '')], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
