import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CredentialVerifier } from '../auth/credentials';
import { ServerError } from '../errors';
import type { SyncRepository } from '../store/repository';
import { checkReleaseFileName, ReleaseError } from '../updates/release-store';
import { feedRequest, latestRelease, updateInfoYaml } from '../updates/update-feed';

export interface UpdateRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
  /** Where the release files are (sync-server/updates/release-store.ts). */
  releasesDir: string;
}

/**
 * A station (with its credential, which electron-updater sends as a request header) or an
 * administrator. The feed is not public: it would tell anyone which version each site
 * runs, and the installers are the agency's.
 */
async function requireStationOrAdmin(request: FastifyRequest, verifier: CredentialVerifier): Promise<void> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
  if (!token || !(await verifier.verify(token))) {
    throw new ServerError(401, 'STATION_NOT_AUTHENTICATED', 'The update feed needs a station or administrator credential (Authorization: Bearer …).');
  }
}

/**
 * The update feed for electron-updater's generic provider at /updates/: the channel files
 * (latest.yml, latest-linux.yml, latest-linux-arm64.yml, and the same for other channels)
 * and the installers they name.
 */
export function registerUpdateRoutes(app: FastifyInstance, deps: UpdateRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { repository, verifier, releasesDir } = deps;

  routes.get('/updates/:file', { schema: { params: z.object({ file: z.string().min(1).max(200) }) } }, async (request, reply) => {
    await requireStationOrAdmin(request, verifier);
    const { file } = request.params;
    const feed = feedRequest(file);
    if (feed) {
      const release = latestRelease(await repository.fleet.releases(feed));
      if (!release) throw new ServerError(404, 'RELEASE_NOT_FOUND', `There is no release for ${feed.platform}-${feed.arch} on channel ${feed.channel}.`);
      // Never cached on the way: a changed rollout percentage must reach the next check.
      return reply.type('text/yaml; charset=utf-8').header('cache-control', 'no-store').send(updateInfoYaml(release));
    }
    try {
      checkReleaseFileName(file);
    } catch (error) {
      if (error instanceof ReleaseError) throw new ServerError(404, 'RELEASE_NOT_FOUND', `There is no release file ${JSON.stringify(file.slice(0, 60))}.`);
      throw error;
    }
    const known = await repository.fleet.releaseFile(file);
    if (!known) throw new ServerError(404, 'RELEASE_NOT_FOUND', `There is no release file ${file}.`);
    const path = join(releasesDir, file);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      size = -1;
    }
    if (size !== known.file.size) {
      request.log.error({ file, releasesDir }, 'a release file is missing from this node, or is not the file that was added');
      throw new ServerError(503, 'RELEASE_FILE_MISSING', `The release file ${file} is not available on this server node; an administrator must copy it into its releases folder.`);
    }
    request.log.info({ file, version: known.release.version }, 'release file served');
    return reply
      .type('application/octet-stream')
      .header('content-length', String(size))
      .header('content-disposition', `attachment; filename="${file}"`)
      .header('cache-control', 'private, max-age=3600')
      .send(createReadStream(path));
  });
}
