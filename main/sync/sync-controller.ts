import type { ServerConflict } from './sync-client';
import { SyncRequestError } from './sync-client';
import type { SyncService, SyncStatus } from './sync-service';

function waiting(problem: string): SyncStatus {
  return { state: 'not-configured', problem, collections: [], lastSuccessAt: null, failures: [], conflicts: 0 };
}

/**
 * What the API sees of sync, from the first moment: until the store is open and sync
 * has started, the status says why not; afterwards everything goes to the sync service.
 */
export class SyncController {
  private service: SyncService | null = null;
  private problem = 'Sync starts once the station store is open.';
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  private detach: (() => void) | undefined;

  attach(service: SyncService): void {
    this.service = service;
    this.detach = service.onChange((status) => this.emit(status));
    this.emit(service.status());
  }

  /** Sync cannot start (the store failed to open): say why. */
  unavailable(problem: string): void {
    this.problem = problem;
    this.emit(this.status());
  }

  status(): SyncStatus {
    return this.service?.status() ?? waiting(this.problem);
  }

  syncNow(): Promise<SyncStatus> {
    return this.service ? this.service.syncNow() : Promise.resolve(this.status());
  }

  conflictLog(officerId: string): Promise<ServerConflict[]> {
    return this.service ? this.service.conflictLog(officerId) : Promise.reject(new SyncRequestError('NOT_CONFIGURED', this.problem));
  }

  changePassword(officerId: string, currentPassword: string, newPassword: string): Promise<void> {
    return this.service ? this.service.changePassword(officerId, currentPassword, newPassword) : Promise.reject(new SyncRequestError('NOT_CONFIGURED', this.problem));
  }

  reconnected(): void {
    this.service?.reconnected();
  }

  onChange(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(status: SyncStatus): void {
    for (const listener of this.listeners) listener(status);
  }

  async stop(): Promise<void> {
    this.detach?.();
    await this.service?.stop();
    this.service = null;
  }
}
