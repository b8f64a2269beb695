import { useEffect, useRef } from 'react';
import { attachKeyboardWedge } from './keyboard-wedge-listener';
import type { KeyboardWedgeOptions } from './keyboard-wedge-listener';

export type { KeyboardWedgeOptions } from './keyboard-wedge-listener';

/**
 * Listens for keyboard-wedge MRZ readers on the whole window while the component is
 * mounted and hands each zone to onReading (lines joined by '\n'). Keys that were not a
 * reader's reach the focused field as typed (see keyboard-wedge.ts for the rules).
 *
 * onReading may change on every render; the layout table and thresholds should be stable
 * (module constants): changing them starts a new listener.
 */
export function useKeyboardWedge(onReading: (text: string) => void, options: KeyboardWedgeOptions = {}): void {
  const latest = useRef(onReading);
  useEffect(() => {
    latest.current = onReading;
  });
  const { layout, thresholds } = options;
  useEffect(() => attachKeyboardWedge(window, (text) => latest.current(text), { layout, thresholds }), [layout, thresholds]);
}
