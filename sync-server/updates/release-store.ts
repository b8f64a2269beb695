import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import semver from 'semver';
import { releaseArchs, releasePlatforms, type Release, type ReleaseArch, type ReleasePlatform } from '../store/fleet-store';
import type { SyncRepository } from '../store/repository';

/**
 * Release files: an administrator adds an installer to a release; the server copies it
 * into its releases folder, records its size and SHA-512, and the update feed offers it.
 * The folder is `releases/` in the data folder, or MIS_RELEASES_DIR: nodes on one
 * PostgreSQL database share the records of the releases, so they must all see the same
 * folder (shared storage) or each hold a copy of its files (docs/deployment.md).
 */

export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReleaseError';
  }
}

export function releasesDir(config: { dataDir?: string | undefined }, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.MIS_RELEASES_DIR || join(config.dataDir ?? 'server-data', 'releases'));
}

/** A name that is safe as a path segment and a URL, and is not a channel file's. */
const fileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function checkReleaseFileName(name: string): string {
  if (!fileNamePattern.test(name) || name.toLowerCase().endsWith('.yml')) {
    throw new ReleaseError(`${JSON.stringify(name)} cannot be a release file name: letters, digits, '.', '_' and '-' only, not ending in .yml.`);
  }
  return name;
}

export async function sha512Base64(file: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  return hash.digest('base64');
}

export interface AddRelease {
  file: string;
  version: string;
  platform: string;
  arch?: string | undefined;
  channel?: string | undefined;
  /** The rollout share of a new release; 100 (every station) by default. */
  stagingPercentage?: number | undefined;
  now?: number;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ReleaseError(`${what} must be one of ${allowed.join(', ')}: ${value}`);
}

export function checkPercentage(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) throw new ReleaseError(`The rollout percentage must be a whole number from 0 to 100: ${value}`);
  return value;
}

/**
 * Adds an installer to a release (made on its first file). The file is copied into the
 * releases folder under its own name before the database names it, so that the feed never
 * offers a file the server does not have; a name already used for other content is
 * refused before anything is copied.
 */
export async function addReleaseFile(repository: SyncRepository, dir: string, request: AddRelease): Promise<Release> {
  const version = semver.valid(request.version);
  if (!version || version !== request.version) throw new ReleaseError(`The version must be a semantic version such as 1.4.0 (as in package.json): ${request.version}`);
  const platform = oneOf<ReleasePlatform>(request.platform, releasePlatforms, 'The platform');
  const arch = oneOf<ReleaseArch>(request.arch ?? 'x64', releaseArchs, 'The architecture');
  const channel = request.channel ?? 'latest';
  if (!/^[a-z][a-z0-9]{0,31}$/.test(channel)) throw new ReleaseError(`The channel must be a short lower-case word (latest, beta): ${channel}`);
  const stagingPercentage = checkPercentage(request.stagingPercentage ?? 100);
  const name = checkReleaseFileName(basename(request.file));
  const size = statSync(request.file).size;
  const sha512 = await sha512Base64(request.file);

  const known = await repository.fleet.releaseFile(name);
  if (known && (known.file.sha512 !== sha512 || known.release.version !== version || known.release.platform !== platform)) {
    throw new ReleaseError(`A release file named ${name} exists already with other content or for another release: give the installer a name of its own.`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = join(dir, name);
  const partial = `${target}.partial`;
  try {
    await copyFile(request.file, partial);
    if ((await sha512Base64(partial)) !== sha512) throw new ReleaseError(`${request.file} changed while it was being copied; add it again.`);
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
  return repository.fleet.addReleaseFile({ channel, platform, arch, version }, { name, sha512, size }, { stagingPercentage, at: request.now ?? Date.now() });
}

/** One line per release and file, for the admin commands. */
export function describeRelease(release: Release): string {
  const files = release.files.map((file) => `    ${file.name}  ${file.size} bytes  sha512 ${file.sha512.slice(0, 16)}…`).join('\n');
  return `${release.version} (${release.channel}, ${release.platform}-${release.arch}), rolled out to ${release.stagingPercentage} % of stations, released ${new Date(release.releasedAt).toISOString()}\n${files}`;
}
