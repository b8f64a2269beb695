import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registrationValidator } from '../../domain/records';
import { isReferenceCollection, type WireDocument } from '../../domain/sync';
import { ADMIN_PRINCIPAL, type CredentialVerifier } from '../auth/credentials';
import { ServerError } from '../errors';
import type { SyncMetrics } from '../metrics';
import { ImportError, importReference, readImportFile } from '../reference/import';
import { addStation } from '../reference/stations';
import { documentHash } from '../store/document-hash';
import type { SyncRepository } from '../store/repository';
import { CENTRAL_WRITER } from '../sync/writers';

export interface AdminRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
  metrics: SyncMetrics;
  now: () => number;
}

export async function requireAdmin(request: FastifyRequest, verifier: CredentialVerifier): Promise<void> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : null;
  if (!token || (await verifier.verify(token)) !== ADMIN_PRINCIPAL) {
    throw new ServerError(401, 'ADMIN_NOT_AUTHENTICATED', 'This request needs an administrator credential (issued with `npm run server -- admin-credential`).');
  }
}

function importFailed(error: unknown): never {
  if (error instanceof ImportError) throw new ServerError(422, 'IMPORT_INVALID', error.message, error.issues.length > 0 ? { issues: error.issues } : {});
  throw error;
}

/**
 * Routes for the people who run the server: load reference data, add stations (which
 * issues their credential), and correct a registration centrally. Every route needs an
 * administrator credential.
 */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { repository, verifier, metrics } = deps;
  // Watchlists arrive as CSV too.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  routes.post(
    '/admin/import/:collection',
    { schema: { params: z.object({ collection: z.string() }), querystring: z.object({ replace: z.enum(['true', 'false']).default('false') }) } },
    async (request) => {
      await requireAdmin(request, verifier);
      const { collection } = request.params;
      if (!isReferenceCollection(collection)) throw new ServerError(404, 'COLLECTION_UNKNOWN', `${collection} is not reference data that can be imported.`);
      const csv = (request.headers['content-type'] ?? '').startsWith('text/csv');
      try {
        const records = csv ? readImportFile(collection, request.body as string, 'csv') : Array.isArray(request.body) ? request.body : importFailed(new ImportError('The body must be a JSON array of records.'));
        const result = await importReference(repository, collection, records, { replace: request.query.replace === 'true', now: deps.now() });
        metrics.imported.inc({ collection }, result.written);
        request.log.info({ collection, read: result.read, written: result.written, withdrawn: result.withdrawn }, 'reference import');
        return result;
      } catch (error) {
        return importFailed(error);
      }
    },
  );

  routes.post('/admin/stations', { schema: { body: z.object({ station: z.record(z.string(), z.unknown()) }) } }, async (request) => {
    await requireAdmin(request, verifier);
    try {
      return await addStation(repository, request.body.station, deps.now());
    } catch (error) {
      return importFailed(error);
    }
  });

  /**
   * A central correction of a registration: the body is the corrected registration, made
   * from the server's current version (its revisionNumber one higher). The station gets it
   * on its next pull; should the station have amended the same registration meanwhile,
   * its push meets this version and the conflict log records both.
   */
  routes.put('/admin/registrations/:id', { schema: { params: z.object({ id: z.string() }), body: z.record(z.string(), z.unknown()) } }, async (request) => {
    await requireAdmin(request, verifier);
    const { id } = request.params;
    const parsed = registrationValidator.safeParse(request.body);
    if (!parsed.success || parsed.data.id !== id) {
      throw new ServerError(422, 'RECORD_INVALID', `The corrected registration does not match the record schema (or its id is not ${id}).`);
    }
    return repository.transaction(async (tx) => {
      const current = (await tx.current('registrations', [id])).get(id);
      if (!current) throw new ServerError(404, 'RECORD_NOT_FOUND', `There is no registration ${id} on the server.`);
      const corrected: WireDocument = { ...parsed.data, _deleted: false };
      if (corrected.stationId !== current.stationId || corrected.createdAt !== current.document.createdAt) {
        throw new ServerError(422, 'RECORD_INVALID', 'A correction keeps the station, the author and the creation time of the registration.');
      }
      if (documentHash(corrected) === documentHash(current.document)) return { sequence: current.sequence, changed: false };
      const [stored] = await tx.write([{ collection: 'registrations', id, stationId: current.stationId, document: corrected, writtenBy: CENTRAL_WRITER }], deps.now());
      return { sequence: stored!.sequence, changed: true };
    });
  });
}
