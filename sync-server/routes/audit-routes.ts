import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditChainBreakKinds } from '../../domain/records';
import type { CredentialVerifier } from '../auth/credentials';
import type { AuditChainReport, SyncRepository } from '../store/repository';
import { requireAdmin } from './admin-routes';

export interface AuditRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
}

/** Where a page of reports ends: `<station>/<sequence>/<kind>` (station ids hold no '/'). */
const cursor = z
  .string()
  .regex(/^[^/]{1,64}\/\d{1,16}\/[a-z]{1,16}$/)
  .transform((text) => {
    const [stationId, sequence, kind] = text.split('/') as [string, string, AuditChainReport['kind']];
    return { stationId, sequence: Number(sequence), kind };
  });

const reportsQuery = z.object({
  stationId: z.string().max(64).optional(),
  /** Only the reports still open: edits, bad links and repeated numbers stay open; a gap closes when its entry arrives. */
  unresolved: z.enum(['true', 'false']).default('false'),
  after: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

const reportsResponse = z.object({
  reports: z.array(
    z.object({
      stationId: z.string(),
      sequence: z.number(),
      kind: z.enum(auditChainBreakKinds),
      entryId: z.string(),
      detail: z.string(),
      detectedAt: z.number(),
      resolvedAt: z.number().nullable(),
    }),
  ),
  /** Pass as `after` for the next page; null on the last. */
  next: z.string().nullable(),
});

/**
 * What the server found in the stations' audit chains as their entries arrived (see
 * docs/audit.md), for auditors and IT staff. Needs an administrator credential.
 */
export function registerAuditRoutes(app: FastifyInstance, deps: AuditRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get('/admin/audit/reports', { schema: { querystring: reportsQuery, response: { 200: reportsResponse } } }, async (request) => {
    await requireAdmin(request, deps.verifier);
    const { stationId, unresolved, after, limit } = request.query;
    const reports = await deps.repository.auditChainReports({
      ...(stationId ? { stationId } : {}),
      ...(after ? { after } : {}),
      unresolvedOnly: unresolved === 'true',
      limit,
    });
    const last = reports.length === limit ? reports.at(-1) : undefined;
    return { reports, next: last ? `${last.stationId}/${last.sequence}/${last.kind}` : null };
  });
}
