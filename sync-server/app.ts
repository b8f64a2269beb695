import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { LoggerOptions } from 'pino';
import { z } from 'zod';
import type { Rules } from '../domain/rules';
import { CredentialVerifier } from './auth/credentials';
import { ServerError, type ServerErrorBody, type ServerErrorCode } from './errors';
import { SyncMetrics } from './metrics';
import { registerAdminRoutes } from './routes/admin-routes';
import { registerAuditRoutes } from './routes/audit-routes';
import { registerFleetRoutes } from './routes/fleet-routes';
import { registerOfficerRoutes } from './routes/officer-routes';
import { registerProvisioningRoutes } from './routes/provisioning-routes';
import type { ServerSigningKey } from './provisioning/server-key';
import { registerRetentionRoutes } from './routes/retention-routes';
import { registerSyncRoutes } from './routes/sync-routes';
import { registerUpdateRoutes } from './routes/update-routes';
import type { SyncRepository } from './store/repository';
import { RetentionSchedule } from './retention/schedule';
import { ServerRules } from './retention/server-rules';
import { isStoreUnavailable } from './store/unavailable';
import { LiveStreams, type LiveStreamOptions } from './sync/live-streams';
import packageJson from '../package.json' with { type: 'json' };

/**
 * Request logs keep the method and the path but drop the query string, which can carry
 * search terms (names, document numbers), and every header but the user agent.
 */
export const requestLogSerializers = {
  req: (request: { method: string; url: string; id: string }) => ({ id: request.id, method: request.method, path: request.url.split('?')[0] }),
};

export function serverLoggerOptions(level: string): LoggerOptions {
  return { level, serializers: requestLogSerializers, redact: ['req.headers.authorization', 'req.headers.cookie'] };
}

export interface SyncServerOptions {
  /** Where records, history, conflicts and credentials live (SQLite or PostgreSQL). */
  repository: SyncRepository;
  /** pino options; false for silence (tests). */
  logger?: LoggerOptions | false;
  /** Bodies larger than this are refused with PAYLOAD_TOO_LARGE. */
  bodyLimitBytes?: number;
  /** The server clock (receivedAt, updatedAt); tests may set it. */
  now?: () => number;
  liveStreams?: LiveStreamOptions;
  /**
   * Purges records past their time at start and every `everyMs` (default 24 h); off when
   * not given (tests). `rules` is the base (MIS_RULES_FILE's, or the defaults), under the
   * rules code list's entry in force (ServerRules).
   */
  retention?: { rules: Rules; everyMs?: number };
  /** The key provisioning bundles are signed with (sync-server/provisioning/); without it, no provisioning routes. */
  signingKey?: ServerSigningKey;
  /** The folder of the release files (sync-server/updates/); without it, no update feed. */
  releasesDir?: string;
}

const healthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number(),
});

function errorBody(code: ServerErrorCode, message: string, issues?: ServerErrorBody['issues']): ServerErrorBody {
  return issues ? { code, message, issues } : { code, message };
}

/** Fastify's own error codes, mapped onto ours so that stations see one vocabulary. */
function classify(error: FastifyError): { status: number; body: ServerErrorBody } {
  if (error instanceof ServerError) return { status: error.statusCode, body: { ...errorBody(error.code, error.message), ...error.details } };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({ path: issue.instancePath, message: issue.message ?? 'invalid' }));
    return { status: 400, body: errorBody('INVALID_REQUEST', 'The request does not match the schema of this route.', issues) };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: errorBody('PAYLOAD_TOO_LARGE', 'The request body is too large.') };
  // A wait on the database that ran out (or a database that is gone) is the server's
  // trouble, not the request's, and passes: stations retry on 503.
  if (isStoreUnavailable(error)) {
    return { status: 503, body: errorBody('DATABASE_UNAVAILABLE', 'The database could not be reached or did not answer in time; try again later.') };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: errorBody('INVALID_REQUEST', error.message) };
  }
  return { status: 500, body: errorBody('INTERNAL', 'The server could not complete the request.') };
}

/**
 * The central sync server. Routes declare their schemas (zod), auth and limits where they
 * are defined; errors leave as `{ code, message }`; logs are structured and carry ids and
 * codes, never personal data.
 */
export async function buildSyncServer(options: SyncServerOptions): Promise<FastifyInstance> {
  const startedAt = Date.now();
  const { repository } = options;
  const now = options.now ?? Date.now;
  const metrics = new SyncMetrics();
  const liveStreams = new LiveStreams(options.liveStreams);
  const verifier = new CredentialVerifier(repository);
  let closing = false;
  const app = Fastify({
    logger: options.logger ?? serverLoggerOptions('info'),
    bodyLimit: options.bodyLimitBytes ?? 16 * 1024 * 1024,
    // Request ids from a trusted proxy would be nice; until then the server makes its own.
    genReqId: () => crypto.randomUUID(),
    // On shutdown, idle keep-alive connections close at once; requests in flight finish.
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = classify(error);
    if (status >= 500) request.log.error({ err: { name: error.name, code: error.code, stack: error.stack } }, 'request failed');
    else request.log.info({ code: body.code }, 'request refused');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody('NOT_FOUND', `There is no route ${request.method} ${request.url.split('?')[0]}.`));
  });

  app.get('/health', { schema: { response: { 200: healthResponse } } }, () => ({
    status: 'ok' as const,
    version: packageJson.version,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  }));

  /** Ready when the database answers and the server is not shutting down: what a load balancer asks. */
  app.get('/ready', async (_request, reply) => {
    if (closing) return reply.status(503).send(errorBody('SHUTTING_DOWN', 'The server is shutting down.'));
    try {
      await repository.ping();
    } catch {
      return reply.status(503).send(errorBody('NOT_READY', 'The database cannot be reached.'));
    }
    return { status: 'ready', database: repository.kind };
  });

  app.get('/metrics', async (_request, reply) => {
    metrics.liveStreams.set(liveStreams.size);
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const rules = options.retention ? new ServerRules(repository, options.retention.rules, (entry, problem) => app.log.error({ entry }, problem)) : undefined;
  registerSyncRoutes(app, { repository, verifier, liveStreams, metrics, now, ...(rules ? { retention: rules.at } : {}) });
  registerAdminRoutes(app, { repository, verifier, metrics, now });
  registerAuditRoutes(app, { repository, verifier });
  registerOfficerRoutes(app, { repository, verifier, now });
  registerRetentionRoutes(app, { repository, verifier });
  registerFleetRoutes(app, { repository, verifier, now });
  if (options.releasesDir) registerUpdateRoutes(app, { repository, verifier, releasesDir: options.releasesDir });
  if (options.signingKey) registerProvisioningRoutes(app, { repository, verifier, signingKey: options.signingKey, now });

  const retention = options.retention && rules ? new RetentionSchedule({ repository, metrics, log: app.log, now, rules: rules.at, ...(options.retention.everyMs ? { everyMs: options.retention.everyMs } : {}) }) : undefined;

  const stopListening = repository.onChange((change) => liveStreams.changed(change));
  // Shutdown: live streams end first (they would keep close() waiting forever), then the
  // requests in flight finish, pushes included, before the database closes.
  app.addHook('preClose', async () => {
    closing = true;
    stopListening();
    liveStreams.closeAll();
    // A run in progress stops after its page, before the database closes.
    await retention?.stop();
    rules?.stop();
  });

  await app.ready();
  retention?.start();
  return app;
}
