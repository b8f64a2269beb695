import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRules } from '../domain/rules';
import { serverRules } from './rules-file';

describe("the server's rules file (MIS_RULES_FILE)", () => {
  const directory = mkdtempSync(join(tmpdir(), 'mis-rules-'));
  const file = (name: string, text: string): string => {
    const path = join(directory, name);
    writeFileSync(path, text);
    return path;
  };

  it('gives the default rules without a file, and the overrides of one with it', () => {
    expect(serverRules(undefined)).toBe(defaultRules);
    const rules = serverRules(file('longer.json', JSON.stringify({ retention: { accommodationRegisterYears: 5 } })));
    expect(rules.retention).toEqual({ ...defaultRules.retention, accommodationRegisterYears: 5 });
    expect(rules.shortStay).toEqual(defaultRules.shortStay);
  });

  it('refuses a file it cannot read, text that is not JSON, and a rule out of bounds or unknown, naming the file', () => {
    expect(() => serverRules(join(directory, 'missing.json'))).toThrow(/rules file .*missing\.json \(MIS_RULES_FILE\) cannot be read/);
    expect(() => serverRules(file('broken.json', '{ "retention": '))).toThrow(/broken\.json \(MIS_RULES_FILE\) is not valid JSON/);
    expect(() => serverRules(file('negative.json', JSON.stringify({ retention: { borderRecordYears: -1 } })))).toThrow(/negative\.json \(MIS_RULES_FILE\) was not loaded: retention\.borderRecordYears/);
    expect(() => serverRules(file('unknown.json', JSON.stringify({ retentoin: {} })))).toThrow(/unknown\.json \(MIS_RULES_FILE\) was not loaded/);
  });
});
