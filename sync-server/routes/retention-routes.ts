import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { retainedCollections } from '../../domain/retention';
import type { CredentialVerifier } from '../auth/credentials';
import type { RetentionPurge, SyncRepository } from '../store/repository';
import { requireAdmin } from './admin-routes';

export interface RetentionRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
}

/** Where a page of purges ends: `<at>/<runId>/<collection>` (run ids are UUIDs, without '/'). */
const cursor = z
  .string()
  .regex(/^\d{1,16}\/[0-9a-f-]{36}\/[a-z]{1,16}$/)
  .transform((text) => {
    const [at, runId, collection] = text.split('/') as [string, string, RetentionPurge['collection']];
    return { at: Number(at), runId, collection };
  });

const purgesQuery = z.object({
  after: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const purgesResponse = z.object({
  purges: z.array(
    z.object({
      runId: z.string(),
      collection: z.enum(retainedCollections),
      /** When the run started (ms). */
      at: z.number(),
      /** Records of this collection dated before this moment (ms) were looked at. */
      cutoff: z.number(),
      purged: z.number(),
    }),
  ),
  /** Pass as `after` for the next page; null on the last. */
  next: z.string().nullable(),
});

/**
 * What the retention runs purged (see docs/retention.md): per run and collection, when,
 * below which date, and how many records. Counts only: what went is gone. Oldest first.
 * Needs an administrator credential.
 */
export function registerRetentionRoutes(app: FastifyInstance, deps: RetentionRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get('/admin/retention/purges', { schema: { querystring: purgesQuery, response: { 200: purgesResponse } } }, async (request) => {
    await requireAdmin(request, deps.verifier);
    const { after, limit } = request.query;
    const purges = await deps.repository.retentionPurges({ ...(after ? { after } : {}), limit });
    const last = purges.length === limit ? purges.at(-1) : undefined;
    return { purges, next: last ? `${last.at}/${last.runId}/${last.collection}` : null };
  });
}
