import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../domain/identity';
import { scryptDerive } from '../auth/passwords';
import { addStation } from '../reference/stations';
import { openRepository } from '../store/open';
import type { SyncRepository } from '../store/repository';
import { runOfficerCommand } from './officer-commands';
import { officerIdByUsername } from './officers';

async function storedHash(repository: SyncRepository, username: string): Promise<string> {
  const id = await officerIdByUsername(repository, username);
  return (await repository.transaction((tx) => tx.read('officers', [id]))).get(id)!.document.passwordHash as string;
}

describe('npm run server -- officer-add', () => {
  it('prints the first admin\'s one-time password once, on stdout, and it verifies against the stored hash', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mis-officer-cli-'));
    const setup = await openRepository({ dataDir });
    await addStation(setup, { id: 'BIH-C-01', name: 'C1', kind: 'police-station', municipality: 'Mostar' }, Date.now());
    await setup.close();

    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'sync-server/cli.ts', 'officer-add', '--username', 'first.admin', '--name', 'Synthetic Admin', '--badge', 'A-1', '--role', 'admin', '--stations', 'BIH-C-01'],
      { env: { ...process.env, MIS_SERVER_DATA: dataDir }, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const oneTimePassword = /One-time password[^\n]*\n([a-z0-9]{20})\n/.exec(run.stdout)?.[1];
    expect(oneTimePassword).toBeDefined();
    expect(run.stdout.split(oneTimePassword!).length - 1).toBe(1);
    expect(run.stderr).not.toContain(oneTimePassword!);

    const repository = await openRepository({ dataDir });
    try {
      expect(await verifyPassword(await storedHash(repository, 'first.admin'), oneTimePassword!, scryptDerive)).toBe(true);
    } finally {
      await repository.close();
    }
  });
});

describe('the other officer commands', () => {
  let repository: SyncRepository;
  let printed: string[];
  const run = async (...args: string[]) => {
    printed = [];
    return runOfficerCommand(args[0]!, args.slice(1), repository, (text) => printed.push(text));
  };

  beforeAll(async () => {
    repository = await openRepository({ dataDir: mkdtempSync(join(tmpdir(), 'mis-officer-commands-')) });
    for (const id of ['BIH-C-01', 'BIH-C-02']) await addStation(repository, { id, name: id, kind: 'police-station', municipality: 'Mostar' }, Date.now());
    await run('officer-add', '--username', 'desk.officer', '--name', 'Synthetic Officer', '--badge', 'd-9', '--role', 'officer', '--stations', 'BIH-C-01');
  });
  afterAll(() => repository.close());

  it('changes role, stations and badge by username', async () => {
    expect(await run('officer-update', '--username', 'Desk.Officer', '--role', 'supervisor', '--stations', 'BIH-C-01, BIH-C-02', '--badge', 'd-10')).toBe(true);
    expect(printed.join('')).toContain('supervisor at BIH-C-01, BIH-C-02');
    await run('officer-list');
    expect(printed.join('')).toMatch(/desk\.officer .*D-10 +supervisor +BIH-C-01,BIH-C-02 +yes +yes/);
  });

  it('resets a password to a new one-time password, which replaces the old hash', async () => {
    const before = await storedHash(repository, 'desk.officer');
    await run('officer-reset-password', '--username', 'desk.officer');
    const oneTimePassword = /\n([a-z0-9]{20})\n/.exec(printed.join(''))?.[1];
    const after = await storedHash(repository, 'desk.officer');
    expect(after).not.toBe(before);
    expect(await verifyPassword(after, oneTimePassword!, scryptDerive)).toBe(true);
  });

  it('deactivates, and lists officers without any hash', async () => {
    await run('officer-deactivate', '--username', 'desk.officer');
    await run('officer-list');
    const list = printed.join('');
    expect(list).toMatch(/desk\.officer .* no +yes\n$/);
    expect(list).not.toContain('$scrypt$');
  });

  it('says which officer is missing and leaves other commands alone', async () => {
    await expect(run('officer-deactivate')).rejects.toThrow(/--username/);
    await expect(run('officer-deactivate', '--username', 'nobody')).rejects.toMatchObject({ code: 'OFFICER_UNKNOWN' });
    expect(await run('add-station')).toBe(false);
  });
});
