import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function problemsIn(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'mis/layers' || m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layer rules (ARCHITECTURE.md dependency directions)', () => {
  it.each([
    ['domain/mrz/parse.ts', "import { composeMain } from '../../main/compose';\nexport const x = composeMain;", 'domain/ may not import from main/'],
    ['domain/stay/rules.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'no I/O'],
    ['renderer/app/Bad.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", 'no Node built-ins'],
    ['renderer/app/Bad.tsx', "import { readFileSync } from 'fs';\nexport const x = readFileSync;", 'no Node built-ins'],
    ['renderer/app/Bad.tsx', "import { composeMain } from '../../main/compose';\nexport const x = composeMain;", 'renderer/ may not import from main/'],
    ['renderer/app/Bad.tsx', "import { contract } from '../../main/api/contract';\nexport const x = contract;", 'only types'],
    ['main/services/bad.ts', "import { app } from 'electron';\nexport const x = app;", 'Only main/electron/ and preload/'],
    ['main/services/bad.ts', "import { serveApiOverIpc } from '../electron/ipc';\nexport const x = serveApiOverIpc;", 'main/ may not import from main/electron/'],
    ['devices/serial/bad.ts', "import { app } from 'electron';\nexport const x = app;", 'Only main/electron/ and preload/'],
    ['sync-server/bad.ts', "import { composeMain } from '../main/compose';\nexport const x = composeMain;", 'sync-server/ may not import from main/'],
    ['sync-server/routes/bad.ts', "export { something } from '../../devices/manager';", 'sync-server/ may not import from devices/'],
    ['devices/bad.ts', "const m = await import('../main/compose');\nexport const x = m;", 'devices/ may not import from main/'],
  ])('reports a forbidden import in %s', async (path, code, expected) => {
    const problems = await problemsIn(path, code);
    expect(problems.join('\n')).toContain(expected);
  });

  it.each([
    ['main/electron/window.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['preload/index.ts', "import { contextBridge } from 'electron';\nimport { ipcChannels } from '../main/api/channels';\nexport const x = [contextBridge, ipcChannels];"],
    ['renderer/app/Good.tsx', "import type { AppStatus } from '../../main/api/contract';\nexport type X = AppStatus;"],
    ['main/services/good.ts', "import { readFileSync } from 'node:fs';\nimport { parse } from '../../domain/mrz/parse';\nexport const x = [readFileSync, parse];"],
    ['sync-server/good.ts', "import { parse } from '../domain/mrz/parse';\nexport const x = parse;"],
  ])('allows the permitted imports in %s', async (path, code) => {
    expect(await problemsIn(path, code)).toEqual([]);
  });
});
