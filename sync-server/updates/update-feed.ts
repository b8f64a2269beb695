import semver from 'semver';
import type { Release, ReleaseArch, ReleasePlatform } from '../store/fleet-store';

/**
 * The update feed of electron-updater's generic provider, as electron-builder writes it
 * for a static file server: one "channel file" per channel and platform, naming the newest
 * version and its installers, each with its size and SHA-512 (base64). electron-updater
 * asks for `<channel>.yml` on Windows and `<channel>-linux.yml` on Linux (x64;
 * `<channel>-linux-arm64.yml` on arm64), compares the version with its own, decides from
 * `stagingPercentage` and its per-install id whether this PC is in the rollout, then
 * downloads the file for its installer type and checks the SHA-512.
 */

export interface FeedRequest {
  channel: string;
  platform: ReleasePlatform;
  arch: ReleaseArch;
}

const channelFilePattern = /^([a-z][a-z0-9]{0,31})(-linux(?:-(arm64))?)?\.yml$/;

/** Which feed a channel file name asks for, or null when the name is not one (an installer's, a macOS feed). */
export function feedRequest(fileName: string): FeedRequest | null {
  const match = channelFilePattern.exec(fileName);
  if (!match) return null;
  const [, channel, linux, arm64] = match;
  if (!linux) return { channel: channel!, platform: 'win', arch: 'x64' };
  return { channel: channel!, platform: 'linux', arch: arm64 ? 'arm64' : 'x64' };
}

/** The channel file electron-updater asks for, for a release. */
export function channelFileName(release: FeedRequest): string {
  if (release.platform === 'win') return `${release.channel}.yml`;
  return `${release.channel}-linux${release.arch === 'x64' ? '' : `-${release.arch}`}.yml`;
}

/** The newest version (semver order) that has at least one installer, or null. */
export function latestRelease(releases: Release[]): Release | null {
  let latest: Release | null = null;
  for (const release of releases) {
    if (release.files.length === 0) continue;
    if (!latest || semver.gt(release.version, latest.version)) latest = release;
  }
  return latest;
}

/** A YAML double-quoted scalar: JSON's string syntax is one, so any file name is written safely. */
const quoted = (text: string): string => JSON.stringify(text);

/**
 * The channel file for a release, in electron-builder's UpdateInfo format. Files are
 * relative URLs, resolved by the updater against the feed's base (<serverUrl>/updates/).
 * Windows installers are per machine (electron-builder.yml, nsis.perMachine), so they are
 * marked isAdminRightsRequired, as electron-builder marks them: the updater then runs the
 * installer elevated. A release at 100 % carries no stagingPercentage (every station).
 */
export function updateInfoYaml(release: Release): string {
  const [first] = release.files;
  if (!first) throw new Error(`Release ${release.version} has no files.`);
  const lines = [`version: ${quoted(release.version)}`, 'files:'];
  for (const file of release.files) {
    lines.push(`  - url: ${quoted(file.name)}`, `    sha512: ${quoted(file.sha512)}`, `    size: ${file.size}`);
    if (release.platform === 'win' && file.name.toLowerCase().endsWith('.exe')) lines.push('    isAdminRightsRequired: true');
  }
  lines.push(`path: ${quoted(first.name)}`, `sha512: ${quoted(first.sha512)}`, `releaseDate: ${quoted(new Date(release.releasedAt).toISOString())}`);
  if (release.stagingPercentage < 100) lines.push(`stagingPercentage: ${release.stagingPercentage}`);
  return `${lines.join('\n')}\n`;
}
