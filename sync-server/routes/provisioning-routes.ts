import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { provisioningStationResponse } from '../../domain/provisioning';
import type { CredentialVerifier } from '../auth/credentials';
import { issueProvisioningBundle } from '../provisioning/issue-bundle';
import type { ServerSigningKey } from '../provisioning/server-key';
import type { SyncRepository } from '../store/repository';
import { requireAdmin } from './admin-routes';
import { authenticatedStation } from './sync-routes';

export interface ProvisioningRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
  signingKey: ServerSigningKey;
  now: () => number;
}

/**
 * Provisioning: an administrator has a bundle issued for a station (the same as
 * `npm run server -- provision`), and a station that imports one asks the server whether it
 * knows the station's credential and which key it signs with.
 */
export function registerProvisioningRoutes(app: FastifyInstance, deps: ProvisioningRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { repository, verifier, signingKey } = deps;

  routes.post(
    '/admin/stations/:id/provisioning',
    { schema: { params: z.object({ id: z.string().min(1).max(64) }), body: z.object({ serverUrl: z.string(), replace: z.boolean().default(false) }) } },
    async (request) => {
      await requireAdmin(request, verifier);
      const bundle = await issueProvisioningBundle(repository, signingKey, { stationId: request.params.id, serverUrl: request.body.serverUrl, replace: request.body.replace, now: deps.now() });
      // The bundle holds a credential: the log names the station only.
      request.log.info({ stationId: bundle.stationId, replace: request.body.replace }, 'provisioning bundle issued');
      return bundle;
    },
  );

  routes.get('/provisioning/station', { schema: { response: { 200: provisioningStationResponse } } }, async (request) => {
    const stationId = await authenticatedStation(request, verifier);
    return { stationId, serverKeyFingerprint: signingKey.fingerprint };
  });
}
