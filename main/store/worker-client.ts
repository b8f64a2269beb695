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

  constructor(bundledWorkerFile?: string) {
    this.worker = startWorker(bundledWorkerFile);
    // The worker keeps the process alive only while it has work to do.
    this.worker.unref();
    this.worker.on('message', (response: WorkerResponse) => this.settle(response));
    this.worker.on('error', (error) => this.fail(new StoreError('STORE_WORKER_FAILED', `The store worker failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new StoreError('STORE_WORKER_FAILED', `The store worker stopped (exit code ${code}).`)));
  }

  call<O extends StoreOperation>(operation: O, args: StoreRequests[O]['args'], transfer: ArrayBuffer[] = []): Promise<StoreRequests[O]['result']> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const request: WorkerRequest<O> = { id, operation, args };
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.worker.postMessage(request, transfer);
    });
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
