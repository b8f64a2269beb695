import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isReferenceCollection, isStationCollection, pullQuery, pushRequest, pushResponse, type PushRow, type SyncedCollection } from '../../domain/sync';
import { actingOfficer } from '../auth/acting-officer';
import { ADMIN_PRINCIPAL, type CredentialVerifier } from '../auth/credentials';
import { ServerError } from '../errors';
import type { Rules } from '../../domain/rules';
import type { SyncMetrics } from '../metrics';
import type { SyncRepository } from '../store/repository';
import { isStoreUnavailable } from '../store/unavailable';
import type { LiveStreams } from '../sync/live-streams';
import { pullPageJson } from '../sync/pull';
import { pushBatch } from '../sync/push';

export interface SyncRouteDeps {
  repository: SyncRepository;
  verifier: CredentialVerifier;
  liveStreams: LiveStreams;
  metrics: SyncMetrics;
  now: () => number;
  /** The rules in force at a moment, when the server purges (records already past their time are then not taken). */
  retention?: (now: number) => Promise<Pick<Rules, 'retention'>>;
}

const collectionParams = z.object({ collection: z.string() });

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
  return header.slice('Bearer '.length).trim();
}

/** The station a request comes from; refuses requests without a valid station credential. */
export async function authenticatedStation(request: FastifyRequest, verifier: CredentialVerifier): Promise<string> {
  const token = bearerToken(request);
  const principal = token ? await verifier.verify(token) : null;
  if (!principal || principal === ADMIN_PRINCIPAL) {
    throw new ServerError(401, 'STATION_NOT_AUTHENTICATED', 'This request needs a valid station credential (Authorization: Bearer mis1.<station>.<secret>).');
  }
  return principal;
}

function syncedCollection(name: string): SyncedCollection {
  if (isStationCollection(name) || isReferenceCollection(name)) return name;
  throw new ServerError(404, 'COLLECTION_UNKNOWN', `There is no collection ${JSON.stringify(name.slice(0, 40))} to sync.`);
}

/**
 * The replication routes, per collection: pull (after a checkpoint), push (station
 * collections only), and the live stream. Every route needs a station credential.
 */
export function registerSyncRoutes(app: FastifyInstance, deps: SyncRouteDeps): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const { repository, verifier, liveStreams, metrics } = deps;

  routes.get('/sync/:collection/pull', { schema: { params: collectionParams, querystring: pullQuery } }, async (request, reply) => {
    const stationId = await authenticatedStation(request, verifier);
    const collection = syncedCollection(request.params.collection);
    const page = await pullPageJson(repository, collection, stationId, request.query.after, request.query.limit);
    metrics.pulledDocuments.inc({ collection }, page.count);
    // A page can hold thousands of documents: sent as the JSON pullPageJson made, not
    // through a response schema, which would check every document once more.
    return reply.type('application/json; charset=utf-8').send(page.json);
  });

  routes.post('/sync/:collection/push', { schema: { params: collectionParams, body: pushRequest, response: { 200: pushResponse } } }, async (request) => {
    const stationId = await authenticatedStation(request, verifier);
    const collection = syncedCollection(request.params.collection);
    if (!isStationCollection(collection)) {
      throw new ServerError(403, 'COLLECTION_NOT_PUSHABLE', `${collection} is reference data: stations pull it, they never push it.`);
    }
    const timer = metrics.pushSeconds.startTimer({ collection });
    try {
      const outcome = await pushBatch(repository, collection, stationId, request.body.rows as PushRow[], { now: deps.now, ...(deps.retention ? { retention: deps.retention } : {}) });
      metrics.pushBatches.inc({ collection, outcome: 'ok' });
      metrics.pushRows.inc({ collection, result: 'written' }, outcome.written);
      metrics.pushRows.inc({ collection, result: 'unchanged' }, outcome.unchanged);
      metrics.pushRows.inc({ collection, result: 'conflict' }, outcome.conflicts.length);
      metrics.pushRows.inc({ collection, result: 'past-retention' }, outcome.pastTheirTime);
      metrics.conflicts.inc({ collection }, outcome.conflicts.length);
      request.log.info({ collection, rows: request.body.rows.length, written: outcome.written, unchanged: outcome.unchanged, conflicts: outcome.conflicts.length, pastRetention: outcome.pastTheirTime }, 'push');
      for (const { sequence, kind } of outcome.auditChainBreaks) {
        metrics.auditChainBreaks.inc({ kind });
        request.log.warn({ stationId, sequence, kind }, 'audit chain break');
      }
      return { conflicts: outcome.conflicts, stored: outcome.stored };
    } catch (error) {
      const code = error instanceof ServerError ? error.code : isStoreUnavailable(error) ? 'DATABASE_UNAVAILABLE' : 'INTERNAL';
      metrics.pushBatches.inc({ collection, outcome: code });
      throw error;
    } finally {
      timer();
    }
  });

  routes.get('/sync/:collection/stream', { schema: { params: collectionParams } }, async (request, reply) => {
    const stationId = await authenticatedStation(request, verifier);
    const collection = syncedCollection(request.params.collection);
    reply.hijack();
    liveStreams.open(reply.raw, collection, stationId);
    metrics.liveStreams.set(liveStreams.size);
    reply.raw.on('close', () => metrics.liveStreams.set(liveStreams.size));
  });

  routes.get('/sync/conflicts', { schema: { querystring: z.object({ after: z.coerce.number().int().min(0).default(0) }) } }, async (request) => {
    const stationId = await authenticatedStation(request, verifier);
    await actingOfficer(request, repository, stationId, 'sync.conflicts');
    const conflicts = await repository.conflicts({ stationId, after: request.query.after, limit: 500 });
    return { conflicts };
  });
}
