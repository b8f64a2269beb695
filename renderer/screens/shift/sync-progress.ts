import type { SyncStatusView } from '../../../main/api/contract';

/** What "Sync now" has done so far, from the status when it was pressed and the status now. */
export interface SyncProgress {
  phase: 'idle' | 'running' | 'done';
  /** Records that were unsent when the supervisor pressed "Sync now". */
  total: number;
  /** Of those, the ones the server has confirmed since. */
  done: number;
  /** Records still unsent now. */
  left: number;
}

/** Records saved here that the server has not confirmed, over the station's own collections. */
export function pendingOf(status: SyncStatusView): number {
  return status.collections.filter((collection) => collection.direction === 'push-pull').reduce((sum, collection) => sum + collection.pending, 0);
}

/**
 * Progress is measured by the unsent count going down rather than by the sent counter:
 * a retried push counts as sent twice, a confirmed record leaves the count once. Records
 * made while sync runs (an audit entry) can raise the count again; done never goes below
 * zero nor above the total.
 */
export function syncProgress(pendingAtStart: number | null, status: SyncStatusView | null, finished: boolean): SyncProgress {
  const left = status ? pendingOf(status) : 0;
  if (pendingAtStart === null) return { phase: 'idle', total: 0, done: 0, left };
  const done = Math.min(pendingAtStart, Math.max(0, pendingAtStart - left));
  return { phase: finished ? 'done' : 'running', total: pendingAtStart, done, left };
}
