import { parentPort } from 'node:worker_threads';
import type { WorkerRequest } from '../protocol';
import { afterAnswer, handle } from './requests';

/** The store worker's entry point: requests from the main thread, one at a time (see requests.ts). */
parentPort?.on('message', (request: WorkerRequest) => {
  parentPort?.postMessage(handle(request));
  afterAnswer();
});
