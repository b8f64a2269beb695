import type { RxCollection } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { Subject } from 'rxjs';
import { PUSH_ROWS_MAX, RESYNC, type PushRow, type StationCollection, type SyncCheckpoint, type WireDocument } from '../../domain/sync';
import { Backoff } from './backoff';
import { keepLiveStream } from './live-stream';
import { SyncRequestError, type SyncClient } from './sync-client';

/** Refusals about one record: the rest of its batch can still go. */
const RECORD_REFUSALS = new Set(['RECORD_INVALID', 'RECORD_OF_OTHER_STATION', 'RECORD_OFFICER_UNKNOWN', 'RECORD_IMMUTABLE', 'RECORD_DELETE_REFUSED']);

/**
 * Pushes a batch; when the server refuses one record of it, that record is reported and
 * set aside, and the rest is pushed again, so that one bad record cannot hold back a
 * station's whole sync. The set-aside record is not lost: it stays on the station with
 * receivedAt 0 (counted as pending, its refusal shown to the supervisor) and goes again
 * when an officer amends it.
 */
async function pushAround(client: SyncClient, name: StationCollection, rows: PushRow[], events: ReplicationEvents): Promise<{ conflicts: WireDocument[]; stored: WireDocument[] }> {
  let remaining = rows;
  for (;;) {
    try {
      return remaining.length === 0 ? { conflicts: [], stored: [] } : await client.push(name, remaining);
    } catch (error) {
      if (!(error instanceof SyncRequestError) || !RECORD_REFUSALS.has(error.code) || error.row === undefined || !remaining[error.row]) throw error;
      events.refused(name, error);
      remaining = remaining.filter((_row, index) => index !== error.row);
    }
  }
}

/**
 * RxDB sends `_attachments` with every document of a collection that can have them
 * (biometrics); the server's record schemas know no such field. A capture without an image
 * has nothing to send, and goes without the field. (One with an image is still refused:
 * images do not travel to the server yet.)
 */
function withoutEmptyAttachments<T extends WireDocument | undefined>(document: T): T {
  const attachments = (document as { _attachments?: object } | undefined)?._attachments;
  if (!attachments || Object.keys(attachments).length > 0) return document;
  const { _attachments: _none, ...fields } = document as WireDocument & { _attachments: object };
  return fields as T;
}

export interface ReplicationEvents {
  /** A pull or push went through. */
  succeeded(collection: StationCollection): void;
  /** Documents sent or received (progress). */
  moved(collection: StationCollection, direction: 'sent' | 'received', count: number): void;
  failed(collection: StationCollection, error: Error): void;
  /** The server refused one record (and took the others of its batch); it stays here, unsent, until amended. */
  refused(collection: StationCollection, error: SyncRequestError): void;
  /** Documents the server sent back as conflicts: the server's version now stands. */
  conflicted(collection: StationCollection, count: number): void;
}

export interface StationReplication {
  readonly collection: StationCollection;
  readonly state: RxReplicationState<unknown, SyncCheckpoint>;
  /** Pull and push now (after a reconnect, or when the supervisor asks). */
  resync(): void;
  /** Resolves when everything the station has is pushed and everything new is pulled. */
  awaitInSync(): Promise<void>;
  cancel(): Promise<void>;
}

const PULL_BATCH = 500;
const PUSH_BATCH = 100;

/**
 * RxDB's replication of one of the station's own collections against the server: pushes
 * what the officers saved (with the state the station assumes the server has, so that the
 * server can tell a central correction from a replay), pulls its records back with the
 * server's receivedAt stamp, and listens to the live stream. After a failure it tries
 * again after a growing pause; a success resets the pause.
 */
/**
 * The error our pull or push handler threw, out of RxDB's wrapper. RxDB hands the
 * handler's errors on as plain objects (name, message and code copied, not the Error
 * itself): the handler's own error is taken when the wrapper names it, else a
 * SyncRequestError is rebuilt from the code; anything else stays RxDB's.
 */
function causeOf(error: Error, thrown: Error | null): Error {
  const cause = (error as { parameters?: { errors?: unknown[] } }).parameters?.errors?.[0];
  if (cause instanceof Error) return cause;
  if (thrown && typeof cause === 'object' && cause !== null && (cause as { message?: unknown }).message === thrown.message) return thrown;
  if (typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string' && typeof (cause as { message?: unknown }).message === 'string') {
    const { code, message, status, row, recordId } = cause as { code: string; message: string; status?: number | null; row?: number; recordId?: string };
    return new SyncRequestError(code, message, status ?? null, row, recordId);
  }
  return error;
}

export function replicateStationCollection(collection: RxCollection, name: StationCollection, client: SyncClient, stationId: string, serverUrl: string, events: ReplicationEvents): StationReplication {
  const resyncs = new Subject<typeof RESYNC>();
  const backoff = new Backoff(1_000, 60_000);
  // The last error a handler threw, whole (with the refused record's id), for error$ below.
  let thrown: Error | null = null;
  const remembering = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      thrown = error as Error;
      throw error;
    }
  };
  // A success resets the pause before the next retry (state is assigned below, before any call).
  const onSuccess = (): void => {
    backoff.reset();
    state.retryTime = backoff.next();
    backoff.reset();
    events.succeeded(name);
  };
  const state = replicateRxCollection<unknown, SyncCheckpoint>({
    // A new server, or another station identity, starts from nothing.
    replicationIdentifier: `mis-${stationId}-${name}-${serverUrl}`,
    collection,
    live: true,
    retryTime: backoff.next(),
    waitForLeadership: false,
    autoStart: true,
    pull: {
      batchSize: PULL_BATCH,
      stream$: resyncs.asObservable(),
      handler: (checkpoint, batchSize) =>
        remembering(async () => {
          const page = await client.pull(name, checkpoint?.sequence ?? 0, batchSize);
          events.moved(name, 'received', page.documents.length);
          onSuccess();
          return { documents: page.documents as never[], checkpoint: page.checkpoint };
        }),
    },
    push: {
      batchSize: Math.min(PUSH_BATCH, PUSH_ROWS_MAX),
      handler: (rows) =>
        remembering(async () => {
          // The only deletions a station makes are retention purges (main/retention): the
          // station's own business, never the server's, which keeps its copy until its own
          // purge (and refuses deletions: RECORD_DELETE_REFUSED). They are not sent, and are
          // answered as taken, so that RxDB does not try them again.
          const pushed = (rows as unknown as PushRow[])
            .filter((row) => !row.newDocumentState._deleted)
            .map((row) => ({
              newDocumentState: withoutEmptyAttachments(row.newDocumentState),
              ...(row.assumedMasterState ? { assumedMasterState: withoutEmptyAttachments(row.assumedMasterState) } : {}),
            }));
          const { conflicts, stored } = await pushAround(client, name, pushed, events);
          events.moved(name, 'sent', stored.length);
          onSuccess();
          if (conflicts.length > 0) events.conflicted(name, conflicts.length);
          // The stored states go back to RxDB as "conflicts" too: its conflict handler takes
          // the server's state (which differs from the pushed one only by the server's
          // receivedAt stamp), so the station records it at once, in the push's own step.
          return [...conflicts, ...stored] as never[];
        }),
    },
  });
  state.error$.subscribe((error) => {
    // RxDB wraps the handler's error; the supervisor should see ours.
    events.failed(name, causeOf(error, thrown));
    thrown = null;
    state.retryTime = backoff.next();
  });
  state.received$.subscribe(onSuccess);
  state.sent$.subscribe(onSuccess);

  const stream = keepLiveStream(client, name, () => resyncs.next(RESYNC), (error) => events.failed(name, error));
  return {
    collection: name,
    state: state as RxReplicationState<unknown, SyncCheckpoint>,
    resync: () => state.reSync(),
    awaitInSync: async () => {
      await state.awaitInSync();
    },
    cancel: async () => {
      stream.close();
      resyncs.complete();
      await state.cancel();
    },
  };
}
