import { describe, expect, it } from 'vitest';
import { matchesShortcut } from './shortcuts';

/** The parts of a keydown event the matcher reads. */
function press(code: string, key: string, modifiers: { alt?: boolean; ctrl?: boolean; shift?: boolean } = {}): KeyboardEvent {
  return { code, key, altKey: modifiers.alt ?? false, ctrlKey: modifiers.ctrl ?? false, shiftKey: modifiers.shift ?? false } as KeyboardEvent;
}

describe('keyboard shortcuts', () => {
  it('matches a letter by its physical key, so Alt+S works in a Cyrillic layout', () => {
    expect(matchesShortcut(press('KeyS', 's', { alt: true }), 'Alt+S')).toBe(true);
    expect(matchesShortcut(press('KeyS', 'с', { alt: true }), 'Alt+S')).toBe(true);
    expect(matchesShortcut(press('KeyS', 's'), 'Alt+S')).toBe(false);
    expect(matchesShortcut(press('KeyS', 'S', { alt: true, shift: true }), 'Alt+S')).toBe(false);
  });

  it('matches digits, function keys and combinations with Ctrl', () => {
    expect(matchesShortcut(press('Digit3', '3', { alt: true }), 'Alt+3')).toBe(true);
    expect(matchesShortcut(press('Digit3', '3', { alt: true }), 'Alt+4')).toBe(false);
    expect(matchesShortcut(press('F2', 'F2'), 'F2')).toBe(true);
    expect(matchesShortcut(press('Enter', 'Enter', { ctrl: true }), 'Ctrl+Enter')).toBe(true);
    expect(matchesShortcut(press('Enter', 'Enter'), 'Ctrl+Enter')).toBe(false);
    expect(matchesShortcut(press('Escape', 'Escape'), 'Escape')).toBe(true);
  });
});
