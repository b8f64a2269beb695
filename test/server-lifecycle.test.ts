import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('purges by the retention periods of MIS_RULES_FILE, and refuses to run by a broken one', () => {
    const data = mkdtempSync(join(tmpdir(), 'mis-server-rules-'));
    const run = (rules: string) => {
      writeFileSync(join(data, 'rules.json'), rules);
      return spawnSync(process.execPath, [...tsx, 'sync-server/cli.ts', 'purge', '--dry-run'], { env: { ...process.env, MIS_SERVER_DATA: data, MIS_RULES_FILE: join(data, 'rules.json') }, encoding: 'utf8' });
    };
    // Ten years for border records: the run looks for crossings dated before ten years ago.
    const tenYears = run(JSON.stringify({ retention: { borderRecordYears: 10, accommodationRegisterYears: 10 } }));
    expect(tenYears.status).toBe(0);
    const bound = /crossings: 0 would be purged \(of those dated before (\d{4})-/.exec(tenYears.stdout);
    expect(Number(bound?.[1])).toBe(new Date().getUTCFullYear() - 10);

    const broken = run(JSON.stringify({ retention: { borderRecordYears: 'three' } }));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/could not purge: The rules file .*rules\.json \(MIS_RULES_FILE\) was not loaded: retention\.borderRecordYears/);
  }, 60_000);
});
