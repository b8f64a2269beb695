import { z } from 'zod';

/**
 * The one API contract between the renderer and main. Every request and every
 * subscription is declared here with zod schemas; the Electron preload, the headless
 * shell's WebSocket and the renderer's client are all typed from this file, and main
 * validates every input against it whatever the transport.
 */

export const serverReachability = z.enum(['not-configured', 'checking', 'reachable', 'unreachable']);

export const appStatusSchema = z.object({
  version: z.string(),
  stationId: z.string().nullable(),
  store: z.object({
    /** The database file, for IT staff. */
    location: z.string(),
    state: z.enum(['opening', 'open', 'unavailable']),
    /** Why the store cannot be used (a wrong key, a damaged file), in words IT staff can act on. */
    problem: z.string().nullable(),
  }),
  server: z.object({
    url: z.string().nullable(),
    reachability: serverReachability,
    /** Server clock time of the last check, ISO 8601; null before the first check. */
    lastCheckedAt: z.string().nullable(),
    /** Why the last check failed, in words an IT officer can act on. */
    problem: z.string().nullable(),
  }),
  officer: z
    .object({ id: z.string(), name: z.string(), role: z.enum(['officer', 'supervisor', 'admin']) })
    .nullable(),
});

export type AppStatus = z.infer<typeof appStatusSchema>;

const syncFailureSchema = z.object({
  collection: z.string(),
  /** The server's error code (RECORD_INVALID, STATION_NOT_AUTHENTICATED…) or NETWORK, TIMEOUT, BAD_RESPONSE. */
  code: z.string(),
  message: z.string(),
  recordId: z.string().nullable(),
  at: z.string(),
});

export const syncStatusSchema = z.object({
  state: z.enum(['not-configured', 'idle', 'syncing', 'failing']),
  /** Why sync cannot run at all (no server address, no credential). */
  problem: z.string().nullable(),
  collections: z.array(
    z.object({
      collection: z.string(),
      direction: z.enum(['push-pull', 'pull']),
      /** Records saved here that the server has not confirmed yet. */
      pending: z.number().int(),
      /** Progress since the app started: documents sent and received. */
      sent: z.number().int(),
      received: z.number().int(),
      lastSuccessAt: z.string().nullable(),
      lastFailure: syncFailureSchema.nullable(),
    }),
  ),
  lastSuccessAt: z.string().nullable(),
  /** Recent failures, newest first. */
  failures: z.array(syncFailureSchema),
  /** Records the server had corrected centrally while the station changed them too (see the conflict log). */
  conflicts: z.number().int(),
});

export type SyncStatusView = z.infer<typeof syncStatusSchema>;

export const conflictLogSchema = z.array(
  z.object({
    number: z.number().int(),
    collection: z.string(),
    recordId: z.string(),
    /** How it was decided: 'server-version-kept'. */
    rule: z.string(),
    detectedAt: z.number(),
    /** The version that stands, and the station's version set aside beside it. */
    kept: z.record(z.string(), z.unknown()),
    setAside: z.record(z.string(), z.unknown()),
  }),
);

const noInput = z.object({}).strict();

export const contract = {
  requests: {
    'app.status': { input: noInput, output: appStatusSchema },
    'sync.status': { input: noInput, output: syncStatusSchema },
    /** Pushes everything pending and pulls everything new; answers with the status after. */
    'sync.now': { input: noInput, output: syncStatusSchema },
    /** The station's conflict log, from the server (records changed here and corrected centrally). */
    'sync.conflicts': { input: noInput, output: conflictLogSchema },
  },
  subscriptions: {
    /** Emits the current status at once, then every time it changes. */
    'app.statusChanges': { input: noInput, event: appStatusSchema },
    /** The sync status at once, then on every change (progress, failures, pending counts). */
    'sync.statusChanges': { input: noInput, event: syncStatusSchema },
  },
} as const;

export type Contract = typeof contract;
