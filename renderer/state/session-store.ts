import { create } from 'zustand';
import type { SessionView } from '../../main/api/contract';

interface SessionState {
  /** This window's login as main last told it; null until main answered. */
  session: SessionView | null;
  receive(session: SessionView): void;
}

export const useSessionStore = create<SessionState>((set) => ({
  session: null,
  receive: (session) => set({ session }),
}));
