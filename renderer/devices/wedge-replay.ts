import { replaySteps } from './keyboard-wedge';
import type { HeldKey } from './keyboard-wedge';

/**
 * Gives held keys back to the page when they turned out not to be a reader's: the text
 * goes in at the caret of the field that had the focus, the way typing would have put it
 * there, so that what a person typed is never lost.
 *
 * - a focused input or textarea, or a contenteditable element: document.execCommand
 *   ('insertText'), which replaces the selection, fires the input events React listens to
 *   and keeps the browser's undo history; where it is refused, setRangeText at the caret
 *   and an input event;
 * - Enter: a newline in a textarea; elsewhere a keydown Enter event on the field (the
 *   page's own handlers see it) and, unless one of them prevents it, the field's form is
 *   submitted as the browser would;
 * - no field: keydown events on the focused element, for the page's keyboard shortcuts.
 *
 * Replayed events are synthetic (isTrusted false), which is how the wedge listener knows
 * to leave them alone.
 */

/** Input types with a caret the selection API can place text at. */
const CARET_INPUT_TYPES = new Set(['text', 'search', 'url', 'tel', 'password']);

type TextField = HTMLInputElement | HTMLTextAreaElement;

function isTextField(element: Element | null): element is TextField {
  return element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement;
}

function isEditable(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element.isContentEditable;
}

function dispatchKey(target: EventTarget, key: string): boolean {
  return target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

function insertText(target: Element | null, text: string): void {
  const document = target?.ownerDocument ?? null;
  const focused = document !== null && document.activeElement === target;
  if ((isTextField(target) || isEditable(target)) && focused && document.execCommand('insertText', false, text)) return;
  if (isTextField(target) && (target instanceof HTMLTextAreaElement || CARET_INPUT_TYPES.has(target.type))) {
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? start;
    target.setRangeText(text, start, end, 'end');
    target.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    return;
  }
  const receiver = target ?? globalThis.document.body;
  for (const character of text) dispatchKey(receiver, character);
}

function pressEnter(target: Element | null): void {
  if (target instanceof HTMLTextAreaElement) {
    insertText(target, '\n');
    return;
  }
  const receiver = target ?? globalThis.document.body;
  const notPrevented = dispatchKey(receiver, 'Enter');
  if (notPrevented && target instanceof HTMLInputElement && target.form !== null) target.form.requestSubmit();
}

export function replayKeys(target: Element | null, keys: readonly HeldKey[]): void {
  for (const step of replaySteps(keys)) {
    if (step.kind === 'text') insertText(target, step.text);
    else pressEnter(target);
  }
}
