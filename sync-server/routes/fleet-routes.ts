import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { stationReportSchema } from '../../domain/station-report';
import { ADMIN_PRINCIPAL, type CredentialVerifier } from '../auth/credentials';
import { fleetOverview } from '../fleet/overview';
import { overviewPageCsp, renderOverviewPage } from '../fleet/overview-page';
import type { SyncRepository } from '../store/repository';
import { requireAdmin } from './admin-routes';
import { authenticatedStation } from './sync-routes';

export interface FleetRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
  now: () => number;
}

/**
 * The administrator credential from a Bearer header (scripts) or from HTTP Basic, where it
 * is the password (a browser asks for it: the page needs no script to send a header).
 */
async function requireAdminInBrowser(request: FastifyRequest, reply: FastifyReply, verifier: CredentialVerifier): Promise<boolean> {
  const header = request.headers.authorization ?? '';
  let token: string | null = null;
  if (header.startsWith('Bearer ')) token = header.slice(7).trim();
  else if (header.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    token = decoded.slice(decoded.indexOf(':') + 1);
  }
  if (token && (await verifier.verify(token)) === ADMIN_PRINCIPAL) return true;
  await reply
    .status(401)
    .header('www-authenticate', 'Basic realm="MIS sync server administration", charset="UTF-8"')
    .send({ code: 'ADMIN_NOT_AUTHENTICATED', message: 'This page needs an administrator credential: any user name, the credential as password.' });
  return false;
}

/**
 * Stations report their version, sync and device health (POST /sync/station-report); IT
 * staff read the last report of every station (GET /admin/stations/overview as JSON,
 * GET /admin/stations as a page).
 */
export function registerFleetRoutes(app: FastifyInstance, deps: FleetRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { repository, verifier, now } = deps;

  routes.post('/sync/station-report', { schema: { body: stationReportSchema }, bodyLimit: 64 * 1024 }, async (request, reply) => {
    const stationId = await authenticatedStation(request, verifier);
    await repository.fleet.saveStationReport(stationId, request.body, now());
    request.log.info({ stationId, version: request.body.version, syncState: request.body.sync.state }, 'station report');
    return reply.status(204).send();
  });

  routes.get('/admin/stations/overview', async (request) => {
    await requireAdmin(request, verifier);
    return fleetOverview(repository, now());
  });

  routes.get('/admin/stations', async (request, reply) => {
    if (!(await requireAdminInBrowser(request, reply, verifier))) return reply;
    const page = renderOverviewPage(await fleetOverview(repository, now()));
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', overviewPageCsp)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(page);
  });
}
