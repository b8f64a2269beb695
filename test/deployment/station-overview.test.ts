import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log';
import type { DeviceView } from '../../main/devices/device-manager';
import type { SyncStatus } from '../../main/sync/sync-service';
import { StationReporter, UpdateStatus } from '../../main/updates/station-reporter';
import type { FleetOverview } from '../../sync-server/fleet/overview';
import { shownOnce } from '../support/cli-output';
import { startServerProcess, type ServerProcess } from '../support/server-process';

/**
 * The IT staff's station overview end to end: a station's reporter (main/updates/) sends
 * its reports to a running server, which keeps the last one per station and shows them,
 * with the stations that never reported, as JSON and as a page.
 */

// What a device's detail text or an error's message can carry at a counter: never to leave the station.
const travellerName = 'PETROVIC';
const documentNumber = 'AB1234567';

async function serverCli(args: string[], dataDir: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'sync-server/cli.ts', ...args], { env: { ...process.env, MIS_SERVER_DATA: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`npm run server -- ${args[0]} failed:\n${stderr}`);
  return stdout;
}

function syncStatus(lastSuccessAt: string | null): SyncStatus {
  const collection = (name: 'registrations' | 'crossings' | 'biometrics' | 'audit', pending: number) => ({
    collection: name,
    direction: 'push-pull' as const,
    pending,
    sent: 0,
    received: 0,
    lastSuccessAt,
    lastFailure: null,
  });
  return {
    state: 'failing',
    problem: null,
    collections: [collection('registrations', 3), collection('crossings', 1), collection('biometrics', 0), collection('audit', 4)],
    lastSuccessAt,
    failures: [{ collection: 'registrations', code: 'RECORD_INVALID', message: `The record of ${travellerName} ${documentNumber} was refused`, recordId: 'r-1', at: '2027-03-01T08:00:00.000Z' }],
    conflicts: 0,
  };
}

const devices: DeviceView[] = [
  { id: 'reader-1', label: 'Counter reader', protocol: 'serial-mrz', kind: 'mrz-reader', transport: 'serial', state: 'ready', detail: `Last read ${documentNumber}`, retrying: false, since: '2027-03-01T08:00:00.000Z' },
  { id: 'finger-1', label: 'Fingerprint', protocol: 'zfm', kind: 'fingerprint-scanner', transport: 'serial', state: 'error', detail: `Capture of ${travellerName} failed`, retrying: true, since: '2027-03-01T08:00:00.000Z' },
];

describe('the station overview', () => {
  let server: ServerProcess;
  let dataDir: string;
  let token: string;
  let adminToken: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'mis-overview-'));
    server = await startServerProcess({ MIS_SERVER_DATA: dataDir });
    token = shownOnce(await serverCli(['add-station', '--id', 'BIH-PS-ILIDZA', '--name', 'Ilidža <Centar> & "Stup"', '--kind', 'police-station', '--municipality', 'Ilidža'], dataDir), /Its credential/);
    await serverCli(['add-station', '--id', 'BIH-PS-SILENT', '--name', 'Never reported', '--kind', 'police-station', '--municipality', 'Sarajevo'], dataDir);
    adminToken = shownOnce(await serverCli(['admin-credential'], dataDir), /Administrator credential/);
  }, 120_000);

  afterAll(async () => {
    await server?.kill('SIGTERM');
  });

  async function overview(): Promise<FleetOverview> {
    const response = await fetch(`${server.url}/admin/stations/overview`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as FleetOverview;
  }

  it("keeps each station's last report: version, pending counts, sync and device states, and lists the silent ones", async () => {
    let listener: ((status: SyncStatus) => void) | undefined;
    let current = syncStatus('2027-03-01T08:00:00.000Z');
    const update = new UpdateStatus();
    update.set({ state: 'downloaded', availableVersion: '0.2.0' });
    const reporter = new StationReporter({
      serverUrl: server.url,
      token,
      version: '0.1.0',
      platform: 'linux',
      arch: 'x64',
      syncStatus: () => current,
      devices: () => devices,
      update: () => update.current(),
      // The problem's text stays on the station: the report says only that the entry did not load.
      rules: () => ({ entry: '2027-01', problem: 'The rules entry 2027-01 was not loaded: shortStay.maxDaysInWindow: too big' }),
      onSyncChange: (next) => {
        listener = next;
        return () => (listener = undefined);
      },
      afterSyncMs: 20,
      log: silentLogger,
    });
    reporter.start();
    try {
      await expect.poll(async () => (await overview()).stations.find((station) => station.stationId === 'BIH-PS-ILIDZA')?.version, { timeout: 10_000 }).toBe('0.1.0');
      const { stations } = await overview();
      const ilidza = stations.find((station) => station.stationId === 'BIH-PS-ILIDZA')!;
      expect(ilidza).toMatchObject({
        name: 'Ilidža <Centar> & "Stup"',
        known: true,
        silent: false,
        platform: 'linux-x64',
        update: { state: 'downloaded', availableVersion: '0.2.0' },
        lastSyncAt: '2027-03-01T08:00:00.000Z',
        syncState: 'failing',
        pending: { registrations: 3, crossings: 1, biometrics: 0, audit: 4 },
        pendingTotal: 8,
        failures: 1,
        lastFailureCode: 'RECORD_INVALID',
        devices: [
          { kind: 'mrz-reader', protocol: 'serial-mrz', state: 'ready', retrying: false },
          { kind: 'fingerprint-scanner', protocol: 'zfm', state: 'error', retrying: true },
        ],
        devicesInError: 1,
        rules: { entry: '2027-01', loaded: false },
      });
      expect(Math.abs(ilidza.clockOffsetMs!)).toBeLessThan(5_000);
      expect(stations.find((station) => station.stationId === 'BIH-PS-SILENT')).toMatchObject({ known: true, silent: true, version: null, lastReportAt: null });

      // After a sync, a new report follows.
      current = { ...syncStatus('2027-03-01T09:30:00.000Z'), state: 'idle', failures: [] };
      listener!(current);
      await expect.poll(async () => (await overview()).stations.find((station) => station.stationId === 'BIH-PS-ILIDZA')?.lastSyncAt, { timeout: 10_000 }).toBe('2027-03-01T09:30:00.000Z');
    } finally {
      await reporter.stop();
    }
    const everything = JSON.stringify(await overview());
    expect(everything).not.toContain(travellerName);
    expect(everything).not.toContain(documentNumber);
    expect(everything).not.toContain('too big');
  });

  it('shows the overview as a page with every value escaped, no script, and a strict CSP, to an administrator only', async () => {
    const anonymous = await fetch(`${server.url}/admin/stations`);
    expect([anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([401, expect.stringMatching(/^Basic realm=/)]);
    const asStation = await fetch(`${server.url}/admin/stations`, { headers: { authorization: `Basic ${Buffer.from(`it:${token}`).toString('base64')}` } });
    expect(asStation.status).toBe(401);

    const page = await fetch(`${server.url}/admin/stations`, { headers: { authorization: `Basic ${Buffer.from(`it:${adminToken}`).toString('base64')}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await page.text();
    expect(html).toContain('Ilidža &lt;Centar&gt; &amp; &quot;Stup&quot;');
    expect(html).not.toContain('<Centar>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('BIH-PS-SILENT');
    expect(html).toContain('2027-01: not loaded, defaults apply');
    expect(html).not.toContain(travellerName);
    expect(html).not.toContain(documentNumber);
  });

  it('refuses a report without a station credential, or with more than the report format holds', async () => {
    const report = { format: 'mis-station-report/1', version: '0.1.0', platform: 'linux', arch: 'x64', sentAt: new Date().toISOString(), sync: { state: 'idle', lastSuccessAt: null, pending: {}, failures: 0, lastFailureCode: null }, devices: [], update: { state: 'idle', availableVersion: null } };
    const post = (body: unknown, authorization?: string) =>
      fetch(`${server.url}/sync/station-report`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) });
    expect((await post(report)).status).toBe(401);
    expect((await post(report, `Bearer ${adminToken}`)).status).toBe(401);
    expect((await post({ ...report, officer: 'someone' }, `Bearer ${token}`)).status).toBe(400);
    expect((await post({ ...report, devices: [{ kind: 'mrz-reader', protocol: 'x', state: 'ready', retrying: false, detail: documentNumber }] }, `Bearer ${token}`)).status).toBe(400);
    expect((await post({ ...report, rules: { entry: null, loaded: true, problem: documentNumber } }, `Bearer ${token}`)).status).toBe(400);
    expect((await post({ ...report, rules: { entry: `${travellerName} 2027`, loaded: true } }, `Bearer ${token}`)).status).toBe(400);
    expect((await post(report, `Bearer ${token}`)).status).toBe(204);
  });
});
