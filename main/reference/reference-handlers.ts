import type { RequestHandlersFor } from '../api/dispatcher';
import type { MainServices } from '../compose';
import type { referenceRequests } from './reference-contract';

/** The handlers of the reference requests (spread into main/api/handlers.ts). */
export function referenceHandlers(services: MainServices): RequestHandlersFor<typeof referenceRequests> {
  return {
    'reference.station': () => services.reference.station(),
    'reference.codeLists': async (input) => ({ entries: await services.reference.codeLists(input.lists) }),
    'reference.rules': () => services.rules.inForce(),
  };
}
