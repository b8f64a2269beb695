import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * `npm run server` in a child process of its own, so that a test can kill it the hard
 * way (SIGKILL) in the middle of a push and start it again on the same data.
 */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything it printed, for a failing test's message. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerProcessEnv {
  MIS_SERVER_DATA?: string;
  DATABASE_URL?: string;
  PORT?: string;
  LOG_LEVEL?: string;
  TMPDIR?: string;
  /** '1' by default: the retention run at start would purge synthetic records dated years back. */
  MIS_RETENTION_DISABLED?: string;
}

/** `onOutput` sees every chunk of both streams from the first on, for a test that reads the whole log. */
export async function startServerProcess(env: ServerProcessEnv, onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: env.PORT ?? '0', LOG_LEVEL: 'info', MIS_RETENTION_DISABLED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (onOutput) {
    child.stdout!.on('data', (chunk: Buffer) => onOutput('stdout', chunk));
    child.stderr!.on('data', (chunk: Buffer) => onOutput('stderr', chunk));
  }
  // The last 64 KB of what it printed: a server under load logs every push.
  let printed = '';
  const keep = (chunk: Buffer): void => {
    printed += chunk.toString();
    if (printed.length > 65_536) printed = printed.slice(-65_536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (): void => {
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(printed);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The server exited (${code}) before listening:\n${printed}`)));
  });
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => printed,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
    },
  };
}
