import { z } from 'zod';
import type { CollectionName } from '../records';

/**
 * The wire protocol between stations and the sync server, shared by both sides. It is
 * RxDB's replication protocol over HTTP: pull pages after a checkpoint, push rows with
 * the state the station assumes the server has, and a live stream that tells the
 * station when to pull again.
 *
 * The checkpoint is the server's own sequence: every accepted write gets the next
 * number, so a station that pulls "after N" sees every change exactly once, in the
 * server's order, whatever the station clocks say.
 */

/** Records made on stations: pushed to the server, and pulled back with the server's stamp. */
export const stationCollections = ['registrations', 'crossings', 'biometrics', 'audit'] as const satisfies readonly CollectionName[];
export type StationCollection = (typeof stationCollections)[number];

/** Records that never change once written: a correction is a new record. */
export const immutableCollections = ['crossings', 'biometrics', 'audit'] as const satisfies readonly StationCollection[];

/** Reference data: loaded on the server, pulled by stations, never pushed. */
export const referenceCollections = ['alerts', 'officers', 'stations', 'codeLists'] as const satisfies readonly CollectionName[];
export type ReferenceCollection = (typeof referenceCollections)[number];

export type SyncedCollection = StationCollection | ReferenceCollection;

export function isStationCollection(name: string): name is StationCollection {
  return (stationCollections as readonly string[]).includes(name);
}

export function isReferenceCollection(name: string): name is ReferenceCollection {
  return (referenceCollections as readonly string[]).includes(name);
}

export function isImmutableCollection(name: string): boolean {
  return (immutableCollections as readonly string[]).includes(name);
}

/** A document as it travels: its fields plus RxDB's deletion flag. */
export type WireDocument = Record<string, unknown> & { id: string; _deleted: boolean };

export const wireDocument = z.looseObject({ id: z.string().min(1).max(64), _deleted: z.boolean() });

export const syncCheckpoint = z.object({ sequence: z.number().int().min(0) });
export type SyncCheckpoint = z.infer<typeof syncCheckpoint>;

/** The most documents one pull may ask for, and the default. */
export const PULL_LIMIT_MAX = 10_000;
export const PULL_LIMIT_DEFAULT = 1_000;
/** The most rows one push may carry: bigger batches are refused with BATCH_TOO_LARGE. */
export const PUSH_ROWS_MAX = 500;

export const pullQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(PULL_LIMIT_MAX).default(PULL_LIMIT_DEFAULT),
});

export const pullResponse = z.object({
  documents: z.array(wireDocument),
  checkpoint: syncCheckpoint,
});
export type PullResponse = { documents: WireDocument[]; checkpoint: SyncCheckpoint };

export const pushRow = z.object({
  assumedMasterState: wireDocument.optional(),
  newDocumentState: wireDocument,
});
export type PushRow = { assumedMasterState?: WireDocument; newDocumentState: WireDocument };

export const pushRequest = z.object({ rows: z.array(pushRow).min(1) });

/**
 * The server's answer to a push:
 * - `conflicts`: the server's state of every row it did not take because the record was
 *   changed centrally meanwhile (RxDB's conflicts: the server's version stands);
 * - `stored`: the server's state of every other row, as stored, with the server's
 *   receivedAt stamp. The station takes these at once, so that a record shows as sent the
 *   moment the server has it, without waiting for a pull (which can pass it by while the
 *   push is still being recorded on the station).
 */
export const pushResponse = z.object({ conflicts: z.array(wireDocument), stored: z.array(wireDocument) });
export type PushResponse = { conflicts: WireDocument[]; stored: WireDocument[] };

/** What the live stream sends: pull again from your checkpoint. */
export const RESYNC = 'RESYNC';
