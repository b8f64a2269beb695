import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('electron-builder.yml', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & { deb: { depends: string[] }; rpm: { depends: string[] } };

  it('is valid against the schema electron-builder ships', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares the system libraries the device drivers need on Linux', () => {
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libusb-1.0-0', 'libudev1']));
    expect(config.rpm.depends).toEqual(expect.arrayContaining(['libusb1', 'systemd-libs']));
  });

  it('packages the built app: the Electron entry named in package.json, the preload and the renderer', () => {
    const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(packageJson.main).toBe('dist/electron/main.cjs');
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/preload/**', 'dist/renderer/**']));
  });
});
