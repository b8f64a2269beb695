import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log';
import { RotatingLogFile, stationLogFile } from './log-file';

describe('the station log file', () => {
  it('is written in the data folder, readable by its owner only', () => {
    const file = stationLogFile(mkdtempSync(join(tmpdir(), 'mis-log-')));
    const log = createLogger('mis-test', 'info', { file });
    log.warn({ code: 'NETWORK' }, 'sync failed');
    const line = JSON.parse(readFileSync(file, 'utf8').trim()) as { code: string; msg: string; level: number };
    expect(line).toMatchObject({ code: 'NETWORK', msg: 'sync failed', level: 40 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('moves a full file aside and keeps only the configured number of old ones', () => {
    const file = stationLogFile(mkdtempSync(join(tmpdir(), 'mis-log-')));
    const destination = new RotatingLogFile(file, { maxBytes: 120, keep: 2 });
    for (let line = 0; line < 10; line++) destination.write(`${JSON.stringify({ line, padding: 'x'.repeat(30) })}\n`);
    destination.close();
    expect(readFileSync(file, 'utf8')).toContain('"line":9');
    expect(readFileSync(`${file}.1`, 'utf8')).toContain('"line":7');
    expect(readFileSync(`${file}.2`, 'utf8')).toContain('"line":5');
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    for (const kept of [file, `${file}.1`, `${file}.2`]) expect(statSync(kept).size).toBeLessThanOrEqual(120);
  });
});
