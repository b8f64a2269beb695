import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const specimens = JSON.parse(readFileSync('domain/mrz/fixtures/specimens.json', 'utf8')) as {
  specimens: { lines: string[]; expect: Record<string, string> }[];
};

function mrzCli(input: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/mrz-cli.ts', ...args], { input, encoding: 'utf8' });
}

describe('npm run mrz (the reader test tool for IT staff)', () => {
  it('prints one JSON object per document, with the specimen fields', () => {
    const input = specimens.specimens.map((s) => s.lines.join('\n')).join('\n\n');
    const result = mrzCli(input);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { valid: boolean; fields: Record<string, string> });
    expect(lines).toHaveLength(specimens.specimens.length);
    specimens.specimens.forEach((specimen, index) => expect(lines[index]!.fields).toMatchObject(specimen.expect));
  });

  it('reports an unusable document without failing', () => {
    const result = mrzCli('this is not an MRZ\n');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toMatchObject({ valid: false });
  });

  it('exits non-zero on a usage error', () => {
    expect(mrzCli('', '--bogus').status).not.toBe(0);
  });
});
