import type { ServerResponse } from 'node:http';
import { isReferenceCollection, RESYNC, type SyncedCollection } from '../../domain/sync';

interface Subscriber {
  collection: SyncedCollection;
  stationId: string;
  response: ServerResponse;
  /** A RESYNC is due but held back, so that a burst of changes sends one. */
  pending: NodeJS.Timeout | undefined;
}

export interface LiveStreamOptions {
  /** Changes within this window reach a station as one RESYNC (default 50 ms). */
  coalesceMs?: number;
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
}

/**
 * The live streams (server-sent events) of the connected stations. A stream says only
 * "pull again" (RESYNC): at once when it opens, which is what a station needs after a
 * reconnect, and after every change it may see. The station then pulls from its own
 * checkpoint, so that no change is ever skipped or taken out of order, whichever server
 * node the change was written on (changes arrive through the repository's onChange,
 * which PostgreSQL fans out to every node).
 */
export class LiveStreams {
  private readonly subscribers = new Set<Subscriber>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly coalesceMs: number;

  constructor(options: LiveStreamOptions = {}) {
    this.coalesceMs = options.coalesceMs ?? 50;
    this.heartbeat = setInterval(() => {
      for (const subscriber of this.subscribers) subscriber.response.write(': keep-alive\n\n');
    }, options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.subscribers.size;
  }

  /** Takes over the response as an event stream until the station disconnects. */
  open(response: ServerResponse, collection: SyncedCollection, stationId: string): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const subscriber: Subscriber = { collection, stationId, response, pending: undefined };
    this.subscribers.add(subscriber);
    response.on('close', () => {
      clearTimeout(subscriber.pending);
      this.subscribers.delete(subscriber);
    });
    response.write(`retry: 2000\ndata: ${RESYNC}\n\n`);
  }

  /** A write committed: every stream that may see it is told to pull again. */
  changed(change: { collection: SyncedCollection; stationId: string | null }): void {
    for (const subscriber of this.subscribers) {
      if (subscriber.collection !== change.collection) continue;
      if (!isReferenceCollection(change.collection) && subscriber.stationId !== change.stationId) continue;
      subscriber.pending ??= setTimeout(() => {
        subscriber.pending = undefined;
        subscriber.response.write(`data: ${RESYNC}\n\n`);
      }, this.coalesceMs);
    }
  }

  /** Ends every stream (shutdown): stations reconnect, to this node or another. */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const subscriber of this.subscribers) {
      clearTimeout(subscriber.pending);
      subscriber.response.end();
    }
    this.subscribers.clear();
  }
}
