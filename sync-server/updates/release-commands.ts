import { parseArgs } from 'node:util';
import type { SyncRepository } from '../store/repository';
import { releasePlatforms } from '../store/fleet-store';
import { addReleaseFile, checkPercentage, describeRelease, ReleaseError } from './release-store';

export const releaseCommandsUsage = `  release-add --file INSTALLER --version X.Y.Z --platform win|linux [--arch x64|arm64] [--channel latest] [--staging PERCENT]
                      add an installer to a release of the update feed (a new release goes to
                      PERCENT % of stations, default 100); run once per installer (.exe, .msi, .deb, .AppImage…)
  release-stage --version X.Y.Z --percent N [--platform win|linux] [--channel latest]
                      change the share of stations a release is rolled out to (0 stops it)
  release-list        list the releases and their files`;

/** The release commands of `npm run server`; false when `command` is not one of them. */
export async function runReleaseCommand(command: string, args: string[], repository: SyncRepository, dir: string, print: (text: string) => void): Promise<boolean> {
  if (command === 'release-add') {
    const { values } = parseArgs({
      args,
      options: { file: { type: 'string' }, version: { type: 'string' }, platform: { type: 'string' }, arch: { type: 'string' }, channel: { type: 'string' }, staging: { type: 'string' } },
    });
    if (!values.file || !values.version || !values.platform) throw new ReleaseError(`Usage:\n${releaseCommandsUsage}`);
    const release = await addReleaseFile(repository, dir, {
      file: values.file,
      version: values.version,
      platform: values.platform,
      arch: values.arch,
      channel: values.channel,
      stagingPercentage: values.staging === undefined ? undefined : Number(values.staging),
    });
    print(`Release ${describeRelease(release)}\nFiles are kept in ${dir}.\n`);
    return true;
  }
  if (command === 'release-stage') {
    const { values } = parseArgs({ args, options: { version: { type: 'string' }, percent: { type: 'string' }, platform: { type: 'string' }, channel: { type: 'string' } } });
    if (!values.version || values.percent === undefined) throw new ReleaseError(`Usage:\n${releaseCommandsUsage}`);
    const percent = checkPercentage(Number(values.percent));
    if (values.platform && !(releasePlatforms as readonly string[]).includes(values.platform)) throw new ReleaseError(`The platform must be one of ${releasePlatforms.join(', ')}: ${values.platform}`);
    const filter = { ...(values.platform ? { platform: values.platform as (typeof releasePlatforms)[number] } : {}), ...(values.channel ? { channel: values.channel } : {}) };
    const changed = await repository.fleet.setStagingPercentage(values.version, percent, filter);
    if (changed === 0) throw new ReleaseError(`There is no release ${values.version}${values.platform ? ` for ${values.platform}` : ''}${values.channel ? ` on channel ${values.channel}` : ''}.`);
    print(`Release ${values.version}: rolled out to ${percent} % of stations (${changed} platform release(s)).\n`);
    return true;
  }
  if (command === 'release-list') {
    const releases = await repository.fleet.releases();
    print(releases.length === 0 ? 'No releases.\n' : `${releases.map(describeRelease).join('\n')}\n`);
    return true;
  }
  return false;
}

