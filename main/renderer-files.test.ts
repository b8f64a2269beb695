import { describe, expect, it } from 'vitest';
import { resolveRendererFile } from './renderer-files';

describe('serving the renderer', () => {
  const dir = '/opt/mis/renderer';

  it.each([
    ['/', '/opt/mis/renderer/index.html'],
    ['/registrations/new', '/opt/mis/renderer/index.html'],
    ['/assets/index-abc.js', '/opt/mis/renderer/assets/index-abc.js'],
    ['/assets/index-abc.js?v=1', '/opt/mis/renderer/assets/index-abc.js'],
  ])('maps %s to a file inside the renderer folder', (path, file) => {
    expect(resolveRendererFile(dir, path)).toBe(file);
  });

  it.each(['/../secret.json', '/assets/../../secret.json', '/%2e%2e/secret.json', '/..%5csecret.json', '/a%00.js', '/%E0%A4%A'])('refuses %s', (path) => {
    expect(resolveRendererFile(dir, path)).toBeNull();
  });
});
