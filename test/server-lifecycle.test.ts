import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const tsx = ['--import', 'tsx'];

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${seen}`)));
  });
}

describe('npm run server', () => {
  it('answers its health route, then stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [...tsx, 'sync-server/cli.ts'], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', MIS_SERVER_DATA: mkdtempSync(join(tmpdir(), 'mis-server-')) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const listening = await waitForLine(child, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
    const address = listening.replace('Server listening at ', '');

    const response = await fetch(`${address}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });

    const stopped = waitForLine(child, /"msg":"stopped"/);
    child.kill('SIGTERM');
    await stopped;
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    await expect(fetch(`${address}/health`)).rejects.toThrow();
  });
});
