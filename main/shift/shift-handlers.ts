import type { RequestHandlersFor } from '../api/dispatcher';
import type { MainServices } from '../compose';
import type { shiftRequests } from './shift-contract';

/** The handlers of the shift requests (spread into main/api/handlers.ts). */
export function shiftHandlers(_services: MainServices): RequestHandlersFor<typeof shiftRequests> {
  return {};
}
