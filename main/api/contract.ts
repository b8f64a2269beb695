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

const noInput = z.object({}).strict();

export const contract = {
  requests: {
    'app.status': { input: noInput, output: appStatusSchema },
  },
  subscriptions: {
    /** Emits the current status at once, then every time it changes. */
    'app.statusChanges': { input: noInput, event: appStatusSchema },
  },
} as const;

export type Contract = typeof contract;
