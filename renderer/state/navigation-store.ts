import { create } from 'zustand';
import { roleAllows, type Role } from '../../domain/identity';

/** The screens of the frame, in the order of the navigation (Alt+1 is the first). */
export const screens = ['registration', 'border', 'search', 'shift', 'settings', 'status'] as const;
export type Screen = (typeof screens)[number];

/** The lowest role that sees each screen; main refuses the requests behind it to anyone below anyway. */
const screenRole: Record<Screen, Role> = {
  registration: 'officer',
  border: 'officer',
  search: 'officer',
  shift: 'supervisor',
  settings: 'admin',
  status: 'officer',
};

export function screensFor(role: Role | null): Screen[] {
  return screens.filter((screen) => roleAllows(role, screenRole[screen]));
}

interface NavigationState {
  screen: Screen;
  go(screen: Screen): void;
}

export const useNavigationStore = create<NavigationState>((set) => ({
  screen: 'registration',
  go: (screen) => set({ screen }),
}));
