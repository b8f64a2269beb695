import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import type { DeviceReadingView } from '../../main/api/contract';
import type { Screen } from './navigation-store';

/** The screens a scanned document can open. */
export type ScanWorkflow = 'registration' | 'border';

/**
 * Where a scanned document goes: the workflow on screen, else the one of this kind of
 * station; nowhere while the settings are open (IT staff test a reader there).
 */
export function scanWorkflowFor(screen: Screen, stationKind: 'police-station' | 'border-crossing' | null | undefined): ScanWorkflow | null {
  if (screen === 'settings') return null;
  if (screen === 'registration' || screen === 'border') return screen;
  return stationKind === 'border-crossing' ? 'border' : 'registration';
}

interface RoutedScan {
  reading: DeviceReadingView;
  workflow: ScanWorkflow;
  /** Counts the scans, so that the same document read twice is handled twice. */
  sequence: number;
}

interface ScanState {
  /** The last scan the frame routed to a workflow, until that workflow takes it. */
  routed: RoutedScan | null;
  route(reading: DeviceReadingView, workflow: ScanWorkflow): void;
  take(sequence: number): void;
}

export const useScanStore = create<ScanState>((set, get) => ({
  routed: null,
  route: (reading, workflow) => set({ routed: { reading, workflow, sequence: (get().routed?.sequence ?? 0) + 1 } }),
  take: (sequence) => {
    if (get().routed?.sequence === sequence) set({ routed: null });
  },
}));

/**
 * Hands every document routed to this workflow to onScan, once, also one scanned on
 * another screen just before this one opened (the frame routes, then navigates).
 */
export function useRoutedScan(workflow: ScanWorkflow, onScan: (reading: DeviceReadingView) => void): void {
  const routed = useScanStore((state) => state.routed);
  const take = useScanStore((state) => state.take);
  const latest = useRef(onScan);
  useEffect(() => {
    latest.current = onScan;
  });
  useEffect(() => {
    if (!routed || routed.workflow !== workflow) return;
    take(routed.sequence);
    latest.current(routed.reading);
  }, [routed, workflow, take]);
}
