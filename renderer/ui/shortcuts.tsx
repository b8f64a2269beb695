import { useEffect, useRef } from 'react';

/**
 * Keyboard shortcuts, written as shown to the officer: 'Alt+1', 'Alt+S', 'Ctrl+Enter',
 * 'F2', 'Escape'. Alt and Ctrl combinations work inside fields too (the officer's hands
 * stay on the keyboard); plain keys (F-keys, Escape) as well.
 */
export type Shortcut = string;

interface Combination {
  alt: boolean;
  ctrl: boolean;
  shift: boolean;
  key: string;
}

function parse(shortcut: Shortcut): Combination {
  const parts = shortcut.split('+');
  const key = parts.pop() ?? '';
  return { alt: parts.includes('Alt'), ctrl: parts.includes('Ctrl'), shift: parts.includes('Shift'), key: key.toLowerCase() };
}

/** The key the event stands for, by its physical key for letters and digits, so that Alt+S works in a Cyrillic layout too. */
function keyOf(event: KeyboardEvent): string {
  const code = event.code;
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase();
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  return event.key.toLowerCase();
}

export function matchesShortcut(event: KeyboardEvent, shortcut: Shortcut): boolean {
  const wanted = parse(shortcut);
  return event.altKey === wanted.alt && event.ctrlKey === wanted.ctrl && event.shiftKey === wanted.shift && keyOf(event) === wanted.key;
}

/** Calls an action when its shortcut is pressed anywhere in the window; the list may change on every render. */
export function useShortcuts(bindings: readonly (readonly [Shortcut, () => void])[]): void {
  const latest = useRef(bindings);
  useEffect(() => {
    latest.current = bindings;
  });
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      const binding = latest.current.find(([shortcut]) => matchesShortcut(event, shortcut));
      if (!binding) return;
      event.preventDefault();
      binding[1]();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

/** Calls onPress when the shortcut is pressed anywhere in the window, while enabled. */
export function useShortcut(shortcut: Shortcut, onPress: () => void, enabled = true): void {
  useShortcuts(enabled ? [[shortcut, onPress]] : []);
}

/** A shortcut as the officer sees it beside a button or a tab. */
export function Kbd({ shortcut }: { shortcut: Shortcut }) {
  return (
    <kbd className="shortcut" aria-hidden="true">
      {shortcut}
    </kbd>
  );
}
