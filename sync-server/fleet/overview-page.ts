import { createHash } from 'node:crypto';
import type { FleetOverview, StationOverview } from './overview';

/**
 * The overview as one HTML page for a browser: server-rendered, every value escaped, no
 * script, and a Content-Security-Policy that allows nothing but its own inline style
 * (by hash). It refreshes itself every minute with a meta tag.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character]!);
}

const style = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border-bottom: 1px solid #ccc; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.warn { color: #8a4b00; font-weight: 600; }
.bad { color: #a00000; font-weight: 600; }
.quiet { color: #666; }
`;

/** The CSP of the page: its one inline style, by hash, and nothing else. */
export const overviewPageCsp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const cell = (text: string, className?: string): string => `<td${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</td>`;

function timeCell(iso: string | null, warn: boolean): string {
  return iso ? cell(iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'), warn ? 'warn' : undefined) : cell('never', 'bad');
}

function versionCell(station: StationOverview): string {
  if (!station.version) return cell('—', 'quiet');
  const update = station.update?.availableVersion ? ` (${station.update.state} ${station.update.availableVersion})` : '';
  if (station.behind) return cell(`${station.version} — ${station.behind} released${update}`, 'warn');
  return cell(`${station.version}${update}`);
}

function devicesCell(station: StationOverview): string {
  if (station.devices.length === 0) return cell(station.version ? 'none configured' : '—', 'quiet');
  const text = station.devices.map((device) => `${device.kind} ${device.protocol}: ${device.state}${device.retrying ? ' (retrying)' : ''}`).join('; ');
  return cell(text, station.devicesInError > 0 ? 'bad' : undefined);
}

function pendingCell(station: StationOverview): string {
  const detail = Object.entries(station.pending)
    .filter(([, count]) => count > 0)
    .map(([collection, count]) => `${collection} ${count}`)
    .join(', ');
  return cell(detail ? `${station.pendingTotal} (${detail})` : String(station.pendingTotal), station.pendingTotal > 0 ? 'number warn' : 'number');
}

function syncCell(station: StationOverview): string {
  if (!station.syncState) return cell('—', 'quiet');
  const failure = station.lastFailureCode ? `, last failure ${station.lastFailureCode}` : '';
  return cell(`${station.syncState}${failure}`, station.syncState === 'failing' || station.syncState === 'not-configured' ? 'bad' : undefined);
}

function clockCell(station: StationOverview): string {
  if (station.clockOffsetMs === null) return cell('—', 'quiet');
  const seconds = station.clockOffsetMs / 1000;
  return cell(`${seconds > 0 ? '+' : ''}${seconds} s`, Math.abs(seconds) > 300 ? 'number warn' : 'number');
}

function rulesCell(station: StationOverview): string {
  if (!station.rules) return cell('—', 'quiet');
  if (station.rules.entry === null) return cell('defaults', 'quiet');
  return station.rules.loaded ? cell(station.rules.entry) : cell(`${station.rules.entry}: not loaded, defaults apply`, 'bad');
}

function stationRow(station: StationOverview): string {
  const name = station.known ? (station.name ?? '') : `${station.name ?? ''} (not in the stations data)`;
  return `<tr>${cell(station.stationId)}${cell(name)}${versionCell(station)}${timeCell(station.lastReportAt, station.silent)}${timeCell(station.lastSyncAt, false)}${syncCell(station)}${pendingCell(station)}${devicesCell(station)}${rulesCell(station)}${clockCell(station)}</tr>`;
}

export function renderOverviewPage(overview: FleetOverview): string {
  const silent = overview.stations.filter((station) => station.silent).length;
  const behind = overview.stations.filter((station) => station.behind).length;
  const releases = overview.releases
    .map((release) => `<tr>${cell(release.channel)}${cell(`${release.platform}-${release.arch}`)}${cell(release.version)}${cell(`${release.stagingPercentage} %`, 'number')}${cell(String(release.files), 'number')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="60">
<title>MIS stations</title>
<style>${style}</style>
</head>
<body>
<h1>MIS stations</h1>
<p>${overview.stations.length} stations; ${silent} silent for more than a day; ${behind} behind the latest release. Generated ${escapeHtml(overview.generatedAt)} (server clock). Last report and clock by the server's clock; last sync by the station's.</p>
<table>
<thead><tr><th>Station</th><th>Name</th><th>Version</th><th>Last report</th><th>Last sync</th><th>Sync</th><th>Pending</th><th>Devices</th><th>Rules</th><th>Clock</th></tr></thead>
<tbody>
${overview.stations.map(stationRow).join('\n')}
</tbody>
</table>
<h2>Releases</h2>
<table>
<thead><tr><th>Channel</th><th>Platform</th><th>Version</th><th>Rolled out to</th><th>Files</th></tr></thead>
<tbody>
${releases}
</tbody>
</table>
</body>
</html>
`;
}
