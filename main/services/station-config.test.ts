import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStationConfig, StationConfigError } from './station-config';

function dataDirWith(stationJson?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mis-config-'));
  if (stationJson !== undefined) writeFileSync(join(dir, 'station.json'), stationJson);
  return dir;
}

describe('the station configuration', () => {
  it('starts unprovisioned when there is no station.json', () => {
    const dir = dataDirWith();
    expect(loadStationConfig({}, dir)).toEqual({ stationId: null, serverUrl: null, dataDir: dir, probeIntervalMs: 15_000 });
  });

  it('reads the station id and server address that provisioning wrote', () => {
    const dir = dataDirWith(JSON.stringify({ stationId: 'BIH-BCP-IZACIC', serverUrl: 'https://mis.example.ba/' }));
    expect(loadStationConfig({}, dir)).toMatchObject({ stationId: 'BIH-BCP-IZACIC', serverUrl: 'https://mis.example.ba' });
  });

  it('lets the environment override the file', () => {
    const dir = dataDirWith(JSON.stringify({ stationId: 'A', serverUrl: 'https://a.example' }));
    expect(loadStationConfig({ MIS_STATION_ID: 'B', MIS_SERVER_URL: 'http://127.0.0.1:8787', MIS_PROBE_INTERVAL_MS: '500' }, dir)).toMatchObject({
      stationId: 'B',
      serverUrl: 'http://127.0.0.1:8787',
      probeIntervalMs: 500,
    });
  });

  it.each([
    ['not JSON', '{ station', 'not valid JSON'],
    ['a server address that is not http(s)', JSON.stringify({ serverUrl: 'ftp://x.example' }), 'serverUrl'],
    ['an unknown key', JSON.stringify({ stationid: 'typo' }), 'not valid'],
    ['a server reached over the network in clear', JSON.stringify({ serverUrl: 'http://mis.example.ba' }), 'must use https://'],
  ])('refuses a station.json with %s, naming the problem', (_case, text, expected) => {
    const dir = dataDirWith(text);
    expect(() => loadStationConfig({}, dir)).toThrow(StationConfigError);
    expect(() => loadStationConfig({}, dir)).toThrow(expected);
  });

  it('takes plain http to this machine only', () => {
    for (const url of ['http://localhost:8787', 'http://127.0.0.1:8787', 'http://[::1]:8787']) expect(loadStationConfig({ MIS_SERVER_URL: url }, dataDirWith()).serverUrl).toBe(url);
    expect(() => loadStationConfig({ MIS_SERVER_URL: 'http://10.0.0.5:8787' }, dataDirWith())).toThrow('must use https://');
  });

  it('refuses a probe interval that is not a sensible number', () => {
    expect(() => loadStationConfig({ MIS_PROBE_INTERVAL_MS: 'often' }, dataDirWith())).toThrow('MIS_PROBE_INTERVAL_MS');
  });
});
