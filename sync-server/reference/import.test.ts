import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES_LIST } from '../../domain/rules';
import { openRepository } from '../store/open';
import type { SyncRepository } from '../store/repository';
import { ImportError, importReference } from './import';

describe('importing the rules code list', () => {
  let repository: SyncRepository;
  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-rules-import-')) });
  });
  afterAll(() => repository.close());

  const entry = (code: string, extra: Record<string, unknown>) => ({ id: `${RULES_LIST}|${code}`, list: RULES_LIST, code, labels: { en: `Rules ${code}` }, extra, validFrom: '2027-01-01' });

  it('refuses an entry whose overrides the stations could not load, and stores nothing', async () => {
    const failure = await importReference(repository, 'codeLists', [entry('2027', { shortStay: { maxDaysInWindow: 60 } }), entry('2027b', { shortStay: { maxDaysInWindow: 200 }, visas: {} })]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ImportError);
    const { issues } = failure as ImportError;
    expect(issues.every((issue) => issue.path === '/1/extra')).toBe(true);
    expect(issues.map((issue) => issue.message).join(' ')).toMatch(/visas/);
    expect(await repository.count('codeLists')).toBe(0);
  });

  it('takes an entry the stations can load', async () => {
    expect(await importReference(repository, 'codeLists', [entry('2027', { shortStay: { maxDaysInWindow: 60 } })])).toMatchObject({ read: 1, written: 1 });
    expect(await repository.count('codeLists')).toBe(1);
  });
});
