import { create } from 'zustand';
import type { AppStatus } from '../../main/api/contract';
import type { ApiErrorValue } from '../../main/api/errors';

interface StatusState {
  status: AppStatus | null;
  /** Why the status cannot be shown or is out of date; cleared by the next status. */
  problem: ApiErrorValue | null;
  receive(status: AppStatus): void;
  fail(problem: ApiErrorValue): void;
}

export const useStatusStore = create<StatusState>((set) => ({
  status: null,
  problem: null,
  receive: (status) => set({ status, problem: null }),
  fail: (problem) => set({ problem }),
}));
