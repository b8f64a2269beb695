import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A tiny stand-in for the built renderer, for tests of the shell's HTTP side. */
export function makeRendererDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mis-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>MIS Station</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log("app")');
  return dir;
}
