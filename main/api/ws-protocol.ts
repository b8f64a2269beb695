import { z } from 'zod';
import type { apiErrorSchema } from './errors';

/**
 * The headless shell's wire format: the API contract carried over one WebSocket. The
 * renderer's WebSocket bridge and main/web speak it; the contract itself stays the same.
 */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('request'), id: z.number().int().nonnegative(), name: z.string(), input: z.unknown() }),
  z.object({ type: z.literal('subscribe'), id: z.number().int().nonnegative(), name: z.string(), input: z.unknown() }),
  z.object({ type: z.literal('unsubscribe'), id: z.number().int().nonnegative() }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'response'; id: number; result: { ok: true; value: unknown } | { ok: false; error: z.infer<typeof apiErrorSchema> } }
  | { type: 'event'; id: number; event: unknown }
  | { type: 'subscription-error'; id: number; error: z.infer<typeof apiErrorSchema> }
  | { type: 'protocol-error'; error: z.infer<typeof apiErrorSchema> };

/** The path of the WebSocket endpoint and the query parameter that carries the launch token. */
export const wsPath = '/api';
export const wsTokenParameter = 'token';
