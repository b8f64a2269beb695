import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

/**
 * electron-builder cannot run here (it downloads Electron), so CI checks its configuration
 * statically: against the JSON schema electron-builder validates with before every build,
 * and for the choices issue 10 asks of the installers.
 */

const require = createRequire(import.meta.url);

interface BuilderConfig {
  asar: boolean;
  asarUnpack: string[];
  npmRebuild?: boolean;
  files: string[];
  publish: { provider: string; url: string };
  win: { target: string[] };
  nsis: { oneClick: boolean; perMachine: boolean };
  msi: { perMachine: boolean; upgradeCode: string };
  linux: { target: string[] };
  deb: { depends: string[] };
  rpm: { depends: string[] };
}

const configText = readFileSync('electron-builder.yml', 'utf8');
const config = parse(configText) as BuilderConfig;
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; scripts: Record<string, string> };

const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** The schema's complaints about a configuration, as `path: message` lines. */
function schemaErrors(candidate: unknown): string[] {
  validate(candidate);
  return (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'}: ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

/** Production packages with native code: a binding.gyp to compile or prebuilt binaries. */
function nativeProductionPackages(): string[] {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
  return Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev && !entry.devOptional)
    .filter(([path]) => existsSync(`${path}/binding.gyp`) || existsSync(`${path}/prebuilds`))
    .map(([path]) => path)
    .sort();
}

describe('electron-builder.yml', () => {
  it('is valid against the schema electron-builder ships', () => {
    expect(schemaErrors(config)).toEqual([]);
  });

  it.each([
    ['a misspelt option', { ...config, asarUnpak: config.asarUnpack }, "must NOT have additional properties {\"additionalProperty\":\"asarUnpak\"}"],
    ['a yes/no option given as text', { ...config, nsis: { ...config.nsis, perMachine: 'yes' } }, '/nsis/perMachine: must be boolean'],
    ['a fuse electron-builder does not know', { ...config, electronFuses: { runAsNodeOff: true } }, '/electronFuses: must NOT have additional properties'],
    ['an option of the wrong shape', { ...config, deb: { ...config.deb, depends: 'libusb-1.0-0' } }, '/deb/depends: must be array'],
  ])('fails on a broken configuration: %s', (_case, broken, expected) => {
    expect(schemaErrors(broken).join('\n')).toContain(expected);
  });

  it('builds Windows installers that IT staff can run silently, for every user of the PC: NSIS and MSI', () => {
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis', 'msi']));
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(config.msi.perMachine).toBe(true);
    // The same upgrade code in every release lets a new MSI replace the installed one.
    expect(config.msi.upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('builds deb and AppImage packages for Linux, the deb and rpm declaring the libraries the device drivers need', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['deb', 'AppImage']));
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libusb-1.0-0', 'libudev1', 'udev']));
    expect(config.rpm.depends).toEqual(expect.arrayContaining(['libusb1', 'systemd-libs', 'systemd-udev']));
  });

  it('rebuilds every native module for Electron and keeps it outside the asar', () => {
    const natives = nativeProductionPackages();
    expect(natives).toEqual(expect.arrayContaining(['node_modules/@serialport/bindings-cpp', 'node_modules/better-sqlite3-multiple-ciphers', 'node_modules/node-hid']));
    for (const native of natives) expect(config.asarUnpack, `${native} is unpacked from the asar`).toContain(`${native}/**`);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
  });

  it("takes updates from the central server's feed through electron-updater's generic provider, at an address the station's provisioning replaces", () => {
    expect(config.publish.provider).toBe('generic');
    // A reserved top-level domain: the placeholder can never reach a real host.
    expect(new URL(config.publish.url).hostname).toMatch(/\.invalid$/);
  });

  it('packages the built app: the Electron entry named in package.json, the preload and the renderer', () => {
    expect(packageJson.main).toBe('dist/electron/main.cjs');
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/preload/**', 'dist/renderer/**']));
  });

  it('is built by `npm run dist`, after the app itself is built', () => {
    expect(packageJson.scripts.dist).toMatch(/^npm run build && electron-builder\b/);
  });
});
