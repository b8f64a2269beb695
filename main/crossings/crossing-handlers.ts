import type { RequestHandlersFor } from '../api/dispatcher';
import type { MainServices } from '../compose';
import type { crossingRequests } from './crossing-contract';

/** The handlers of the crossings requests (spread into main/api/handlers.ts). */
export function crossingHandlers(_services: MainServices): RequestHandlersFor<typeof crossingRequests> {
  return {};
}
