import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * The station as `npm run start:web` runs it (`tsx main/web/cli.ts`, after the renderer
 * build), in a child process: its log goes where production's goes, to its stdout.
 */
export interface StationProcess {
  child: ChildProcess;
  /** The address it printed, with its launch token. */
  url: string;
  /** SIGTERM, as Ctrl+C or a service manager stops it; SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export async function startStationProcess(env: NodeJS.ProcessEnv, onOutput: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<StationProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/web/cli.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => onOutput('stdout', chunk));
  child.stderr.on('data', (chunk: Buffer) => onOutput('stderr', chunk));
  let printed = '';
  let problems = '';
  child.stderr.on('data', (chunk: Buffer) => (problems += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      printed += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=\S+/.exec(printed);
      if (match) {
        child.stdout.off('data', onData);
        child.off('exit', onExit);
        resolve(match[0]);
      }
    };
    const onExit = (code: number | null): void => reject(new Error(`The station exited (${code}) before it served its address:\n${printed}${problems}`));
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
  return {
    child,
    url,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
