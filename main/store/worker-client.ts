import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StoreError } from './errors';
import type { StoreOperation, StoreRequests, WorkerRequest, WorkerResponse } from './protocol';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * Where the worker's code is. The Electron build bundles it next to main (store-worker.cjs);
 * from the TypeScript sources (tests, the headless shell) it runs through tsx.
 */
function startWorker(bundledWorkerFile: string | undefined): Worker {
  if (bundledWorkerFile) return new Worker(bundledWorkerFile);
  const source = fileURLToPath(new URL('./worker/store-worker.ts', import.meta.url));
  if (!existsSync(source)) throw new StoreError('STORE_WORKER_FAILED', `The store worker's code is missing (${source}).`);
  const loader = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./worker/store-worker.ts', import.meta.url).href)}); })`;
  return new Worker(loader, { eval: true });
}

/**
 * The main thread's side of the store worker: sends requests, matches answers, and turns
 * a worker that died into a clear error on every request still waiting.
 */
export class StoreWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: StoreError | undefined;
  /** Requests whose arguments are still being prepared, and everything sent after them. */
  private waitingToPost = 0;
  private postOrder: Promise<void> = Promise.resolve();

  constructor(bundledWorkerFile?: string) {
    this.worker = startWorker(bundledWorkerFile);
    // The worker keeps the process alive only while it has work to do.
    this.worker.unref();
    this.worker.on('message', (response: WorkerResponse) => this.settle(response));
    this.worker.on('error', (error) => this.fail(new StoreError('STORE_WORKER_FAILED', `The store worker failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new StoreError('STORE_WORKER_FAILED', `The store worker stopped (exit code ${code}).`)));
  }

  /**
   * Sends a request. Requests reach the worker in the order of the calls, also when the
   * arguments of one are still being prepared (attachment bytes read from a Blob): the
   * worker then sees a write before the read that was asked after it.
   */
  call<O extends StoreOperation>(operation: O, args: StoreRequests[O]['args'] | Promise<StoreRequests[O]['args']>, transfer?: ArrayBuffer[]): Promise<StoreRequests[O]['result']> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      if (!(args instanceof Promise) && this.waitingToPost === 0) {
        this.post(id, operation, args, transfer);
        return;
      }
      this.waitingToPost++;
      this.postOrder = this.postOrder
        .then(() => args)
        .then(
          (ready) => this.post(id, operation, ready, transfer),
          (error: unknown) => this.settle({ id, ok: false, error: { code: 'STORE_INTERNAL', message: (error as Error).message } }),
        )
        .finally(() => this.waitingToPost--);
    });
  }

  /** Buffers in `transfer` move to the worker instead of being copied (a large bulk's bytes). */
  private post<O extends StoreOperation>(id: number, operation: O, args: StoreRequests[O]['args'], transfer?: ArrayBuffer[]): void {
    if (this.failure) {
      this.settle({ id, ok: false, error: { code: this.failure.code, message: this.failure.message } });
      return;
    }
    const request: WorkerRequest<O> = { id, operation, args };
    this.worker.postMessage(request, transfer);
  }

  async terminate(): Promise<void> {
    this.failure ??= new StoreError('STORE_CLOSED', 'The station store is closed.');
    await this.worker.terminate();
  }

  private settle(response: WorkerResponse): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0) this.worker.unref();
    if (response.ok) pending.resolve(response.result);
    else pending.reject(new StoreError(response.error.code, response.error.message));
  }

  private fail(error: StoreError): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }
}
