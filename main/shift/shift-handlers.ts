import type { RequestHandlersFor } from '../api/dispatcher';
import type { MainServices } from '../compose';
import type { shiftRequests } from './shift-contract';

/** The handlers of the shift requests (spread into main/api/handlers.ts). */
export function shiftHandlers(services: MainServices): RequestHandlersFor<typeof shiftRequests> {
  return {
    'shift.summary': (input) => services.shift.summary(input),
    'shift.unsent': () => services.shift.unsent(),
  };
}
