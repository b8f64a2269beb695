import type { SyncedCollection } from '../../domain/sync';
import { Backoff } from './backoff';
import type { SyncClient } from './sync-client';

/**
 * Keeps a collection's live stream open for as long as sync runs: every RESYNC from the
 * server calls `onResync`; a broken stream is opened again after a growing pause (the
 * server sends RESYNC on every new stream, so nothing changed meanwhile is missed).
 */
export function keepLiveStream(client: SyncClient, collection: SyncedCollection, onResync: () => void, onError: (error: Error) => void): { close(): void } {
  const controller = new AbortController();
  const backoff = new Backoff();
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        await client.stream(
          collection,
          () => {
            backoff.reset();
            onResync();
          },
          controller.signal,
        );
      } catch (error) {
        if (controller.signal.aborted) return;
        onError(error as Error);
      }
      await backoff.wait(controller.signal);
    }
  };
  void run();
  return { close: () => controller.abort() };
}
