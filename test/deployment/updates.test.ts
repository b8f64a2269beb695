import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebUpdater, NsisUpdater, type AppUpdater, type UpdateCheckResult } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { ElectronHttpExecutor } from 'electron-updater/out/electronHttpExecutor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { shownOnce } from '../support/cli-output';
import { startServerProcess, type ServerProcess } from '../support/server-process';

/**
 * The update feed end to end: `npm run server -- release-add` puts installers into a
 * running server's feed, and electron-updater's own updater classes (DebUpdater for Linux,
 * NsisUpdater for Windows) read it, decide the staged rollout, and download and check the
 * installer, as they do in the app.
 *
 * What runs without Electron: electron-updater only reaches for `electron` in two places,
 * both lazily: ElectronAppAdapter (when no app adapter is given) and ElectronHttpExecutor's
 * createRequest (Electron's net module). The test gives the updater an app adapter of its
 * own (the station's version, data and cache folders) and electron-updater's executor with
 * that one method over node:http.
 * Everything else (the generic provider, the feed's parsing, the version comparison, the
 * staging decision from `.updaterId`, the download with its SHA-512 check, the install on
 * quit) is electron-updater's own code. Only installing is not exercised: that runs the
 * installer (dpkg, NSIS).
 */

const temporary = (name: string): string => mkdtempSync(join(tmpdir(), `mis-updates-${name}-`));

type ElectronRequest = ReturnType<ElectronHttpExecutor['createRequest']>;

/**
 * electron-updater's own HTTP executor (its download, with the SHA-512 check), with its one
 * Electron call, the request over Electron's net module, replaced by node:http.
 */
class NodeHttpExecutor extends ElectronHttpExecutor {
  override createRequest(options: http.RequestOptions, callback: (response: http.IncomingMessage) => void): ElectronRequest {
    // node:http's request does what the executor asks of Electron's: write, end, abort, and its events.
    // A connection per request: the executor adds its timeout listener to the socket each time.
    return http.request({ ...options, agent: false }, callback) as unknown as ElectronRequest;
  }
}

/**
 * A staging id (the `.updaterId` electron-updater keeps per install) that places the
 * install at `share` of the rollout: electron-updater reads its last four bytes as a
 * fraction of 0xffffffff and takes a release when that is below stagingPercentage / 100.
 */
function stagingIdAt(share: number): string {
  const last = Math.round(share * 0xffffffff).toString(16).padStart(8, '0');
  return `3f1b4c70-3f55-4e0b-9a1c-0000${last}`;
}

interface StationPc {
  app: AppAdapter;
  quitHandlers: ((exitCode: number) => void)[];
  dir: string;
}

/**
 * A station PC as electron-updater sees it: its installed version, and the app-update.yml
 * electron-builder writes into the installer from electron-builder.yml's `publish`
 * (the placeholder address, which the station replaces with its server's).
 */
function stationPc(version: string, stagingShare: number): StationPc {
  const dir = temporary('station');
  const userDataPath = join(dir, 'userData');
  mkdirSync(userDataPath);
  writeFileSync(join(userDataPath, '.updaterId'), stagingIdAt(stagingShare));
  const builderConfig = parseYaml(readFileSync('electron-builder.yml', 'utf8')) as { publish: { provider: string; url: string; channel: string } };
  const appUpdateConfigPath = join(dir, 'app-update.yml');
  writeFileSync(appUpdateConfigPath, `provider: ${builderConfig.publish.provider}\nurl: ${builderConfig.publish.url}\nchannel: ${builderConfig.publish.channel}\nupdaterCacheDirName: mis-station-updater\n`);
  const quitHandlers: ((exitCode: number) => void)[] = [];
  const app: AppAdapter = {
    version,
    name: 'MIS Station',
    isPackaged: true,
    appUpdateConfigPath,
    userDataPath,
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: (handler: (exitCode: number) => void) => quitHandlers.push(handler),
  };
  return { app, quitHandlers, dir };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What main/electron/updater.ts does with the real autoUpdater: the feed at <serverUrl>/updates, the station credential, background download, install on quit. */
function configure<T extends AppUpdater>(updater: T, serverUrl: string, token: string): T {
  (updater as unknown as { httpExecutor: ElectronHttpExecutor }).httpExecutor = new NodeHttpExecutor();
  updater.logger = silent;
  updater.setFeedURL({ provider: 'generic', url: `${serverUrl}/updates` });
  updater.requestHeaders = { authorization: `Bearer ${token}` };
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.disableDifferentialDownload = true;
  return updater;
}

function linuxUpdater(pc: StationPc, serverUrl: string, token: string): DebUpdater {
  return configure(new DebUpdater(undefined, pc.app), serverUrl, token);
}

function runServerCli(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', ...args], { env: { ...process.env, MIS_SERVER_DATA: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
}

async function serverCli(args: string[], dataDir: string): Promise<string> {
  const result = await runServerCli(args, dataDir);
  if (result.code !== 0) throw new Error(`npm run server -- ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** An installer of `size` random bytes: the feed and the updater treat it as any file. */
function installer(dir: string, name: string, size = 256 * 1024): { file: string; sha512: string; bytes: Buffer } {
  const bytes = randomBytes(size);
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return { file, sha512: createHash('sha512').update(bytes).digest('base64'), bytes };
}

describe('the update feed', () => {
  let server: ServerProcess;
  let dataDir: string;
  let stationToken: string;
  let adminToken: string;
  const installers = temporary('installers');
  const deb19 = installer(installers, 'mis-station_1.9.0_amd64.deb');
  const deb110 = installer(installers, 'mis-station_1.10.0_amd64.deb');
  const appImage110 = installer(installers, 'MIS-Station-1.10.0.AppImage');
  const exe110 = installer(installers, 'MIS-Station-Setup-1.10.0.exe');

  beforeAll(async () => {
    dataDir = temporary('server');
    server = await startServerProcess({ MIS_SERVER_DATA: dataDir });
    stationToken = shownOnce(await serverCli(['add-station', '--id', 'BIH-PS-UPDATES', '--name', 'Updates test', '--kind', 'police-station', '--municipality', 'Sarajevo'], dataDir), /Its credential/);
    adminToken = shownOnce(await serverCli(['admin-credential'], dataDir), /Administrator credential/);
    // 1.9.0 everywhere; 1.10.0 (newer by semver, though "1.10" < "1.9" as text) to 20 % of stations.
    await serverCli(['release-add', '--file', deb19.file, '--version', '1.9.0', '--platform', 'linux'], dataDir);
    await serverCli(['release-add', '--file', deb110.file, '--version', '1.10.0', '--platform', 'linux', '--staging', '20'], dataDir);
    await serverCli(['release-add', '--file', appImage110.file, '--version', '1.10.0', '--platform', 'linux'], dataDir);
    await serverCli(['release-add', '--file', exe110.file, '--version', '1.10.0', '--platform', 'win', '--staging', '20'], dataDir);
  }, 120_000);

  afterAll(async () => {
    await server?.kill('SIGTERM');
  });

  it('refuses the feed and the installers without a station credential', async () => {
    for (const path of ['/updates/latest-linux.yml', '/updates/latest.yml', '/updates/mis-station_1.10.0_amd64.deb']) {
      const anonymous = await fetch(`${server.url}${path}`);
      expect([path, anonymous.status]).toEqual([path, 401]);
      const forged = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${stationToken.slice(0, -2)}xx` } });
      expect([path, forged.status]).toEqual([path, 401]);
    }
    const admin = await fetch(`${server.url}/updates/latest-linux.yml`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(admin.status).toBe(200);
  });

  it("serves the newest release in electron-builder's format, which electron-updater parses", async () => {
    const pc = stationPc('1.9.0', 0.05);
    const updater = linuxUpdater(pc, server.url, stationToken);
    updater.autoDownload = false;
    const result = (await updater.checkForUpdates()) as UpdateCheckResult;
    expect(result.isUpdateAvailable).toBe(true);
    const info = result.updateInfo;
    expect(info.version).toBe('1.10.0');
    expect(info.stagingPercentage).toBe(20);
    expect(info.files.map((file) => [file.url, file.sha512, file.size])).toEqual([
      ['mis-station_1.10.0_amd64.deb', deb110.sha512, deb110.bytes.length],
      ['MIS-Station-1.10.0.AppImage', appImage110.sha512, appImage110.bytes.length],
    ]);
    expect([info.path, info.sha512]).toEqual(['mis-station_1.10.0_amd64.deb', deb110.sha512]);
    expect(Number.isNaN(Date.parse(info.releaseDate))).toBe(false);
  });

  it('gives Windows stations their installer, marked for elevation (a per-machine install)', async () => {
    const pc = stationPc('1.9.0', 0.05);
    const updater = configure(new NsisUpdater(undefined, pc.app), server.url, stationToken);
    // electron-updater picks the channel file by platform: latest.yml on Windows.
    (updater as unknown as { _testOnlyOptions: { platform: string } })._testOnlyOptions = { platform: 'win32' };
    updater.setFeedURL({ provider: 'generic', url: `${server.url}/updates` });
    updater.autoDownload = false;
    const result = (await updater.checkForUpdates()) as UpdateCheckResult;
    expect(result.updateInfo.files).toEqual([{ url: 'MIS-Station-Setup-1.10.0.exe', sha512: exe110.sha512, size: exe110.bytes.length, isAdminRightsRequired: true }]);
  });

  it('downloads the installer in the background, checks its SHA-512, and installs it when the app quits', async () => {
    const pc = stationPc('1.9.0', 0.05);
    const updater = linuxUpdater(pc, server.url, stationToken);
    const downloaded = new Promise<string>((resolve) => updater.once('update-downloaded', (event: { downloadedFile: string }) => resolve(event.downloadedFile)));
    const result = (await updater.checkForUpdates()) as UpdateCheckResult;
    expect(result.downloadPromise, 'autoDownload starts the download at once').toBeTruthy();
    const [file] = (await result.downloadPromise)!;
    expect(await downloaded).toBe(file);
    expect(file!.startsWith(join(pc.app.baseCachePath, 'mis-station-updater'))).toBe(true);
    expect(readFileSync(file!).equals(deb110.bytes)).toBe(true);
    // autoInstallOnAppQuit: the updater waits for the app to quit to run the installer.
    expect(pc.quitHandlers).toHaveLength(1);
  });

  it('refuses an installer that is not the one the feed names', async () => {
    const served = join(dataDir, 'releases', 'mis-station_1.10.0_amd64.deb');
    const original = `${served}.original`;
    copyFileSync(served, original);
    try {
      writeFileSync(served, randomBytes(deb110.bytes.length));
      const pc = stationPc('1.9.0', 0.05);
      const updater = linuxUpdater(pc, server.url, stationToken);
      updater.on('error', () => undefined);
      const result = (await updater.checkForUpdates()) as UpdateCheckResult;
      await expect(result.downloadPromise).rejects.toThrow(/sha512 checksum mismatch/);
      expect(pc.quitHandlers).toHaveLength(0);
    } finally {
      copyFileSync(original, served);
    }
  });

  it('rolls a release out to the share of stations set, and to every station at 100 %', async () => {
    const inside = linuxUpdater(stationPc('1.9.0', 0.19), server.url, stationToken);
    const outside = linuxUpdater(stationPc('1.9.0', 0.21), server.url, stationToken);
    inside.autoDownload = false;
    outside.autoDownload = false;
    expect((await inside.checkForUpdates())!.isUpdateAvailable).toBe(true);
    expect((await outside.checkForUpdates())!.isUpdateAvailable).toBe(false);

    expect(await serverCli(['release-stage', '--version', '1.10.0', '--percent', '100', '--platform', 'linux'], dataDir)).toContain('rolled out to 100 %');
    const feed = await fetch(`${server.url}/updates/latest-linux.yml`, { headers: { authorization: `Bearer ${stationToken}` } });
    expect(await feed.text()).not.toContain('stagingPercentage');
    expect((await outside.checkForUpdates())!.isUpdateAvailable).toBe(true);

    expect(await serverCli(['release-stage', '--version', '1.10.0', '--percent', '0', '--platform', 'linux'], dataDir)).toContain('rolled out to 0 %');
    expect((await inside.checkForUpdates())!.isUpdateAvailable, 'at 0 % the rollout is stopped').toBe(false);
  });

  it('keeps a station on the newest version it runs, and answers 404 for a platform without releases', async () => {
    const current = linuxUpdater(stationPc('1.10.0', 0.05), server.url, stationToken);
    current.autoDownload = false;
    expect((await current.checkForUpdates())!.isUpdateAvailable).toBe(false);
    const arm = await fetch(`${server.url}/updates/latest-linux-arm64.yml`, { headers: { authorization: `Bearer ${stationToken}` } });
    expect([arm.status, ((await arm.json()) as { code: string }).code]).toEqual([404, 'RELEASE_NOT_FOUND']);
  });

  it('refuses to give a file name to other content, and an invalid version', async () => {
    const impostor = installer(temporary('impostor'), 'mis-station_1.10.0_amd64.deb');
    const taken = await runServerCli(['release-add', '--file', impostor.file, '--version', '1.10.0', '--platform', 'linux'], dataDir);
    expect([taken.code, taken.stderr]).toEqual([1, expect.stringContaining('exists already with other content')]);
    expect(readFileSync(join(dataDir, 'releases', 'mis-station_1.10.0_amd64.deb')).equals(deb110.bytes), 'the served file is untouched').toBe(true);
    const badVersion = await runServerCli(['release-add', '--file', deb19.file, '--version', 'v2', '--platform', 'linux'], dataDir);
    expect([badVersion.code, badVersion.stderr]).toEqual([1, expect.stringContaining('semantic version')]);
  });
});
