import { KeyboardWedgeDetector } from './keyboard-wedge';
import type { WedgeEffect, WedgeThresholds } from './keyboard-wedge';
import { DEFAULT_WEDGE_LAYOUT, layoutTableFromKeyboardMap } from './wedge-layouts';
import type { WedgeLayoutTable } from './wedge-layouts';
import { replayKeys } from './wedge-replay';

/**
 * The keyboard-wedge detector on a window: keydown in the capture phase, before any
 * field or React handler sees the key. Held keys are kept from the page
 * (preventDefault, stopImmediatePropagation); keys given back are replayed into the
 * element that had the focus when the first of them was pressed.
 */

export interface KeyboardWedgeOptions {
  /**
   * How typed characters map back to MRZ characters. 'detect' (the default): from the
   * layout the browser reports, for readers set to US; where the browser does not tell,
   * DEFAULT_WEDGE_LAYOUT. A station whose readers are set to its own layout uses
   * DEFAULT_WEDGE_LAYOUT.
   */
  layout?: WedgeLayoutTable | 'detect';
  thresholds?: WedgeThresholds;
}

/** navigator.keyboard (Keyboard Map API, Chromium); not in TypeScript's DOM library. */
interface KeyboardMapApi {
  getLayoutMap(): Promise<ReadonlyMap<string, string>>;
}

async function detectLayout(navigator: Navigator): Promise<WedgeLayoutTable | null> {
  const keyboard = (navigator as unknown as { keyboard?: Partial<KeyboardMapApi> }).keyboard;
  if (typeof keyboard?.getLayoutMap !== 'function') return null;
  return layoutTableFromKeyboardMap(await keyboard.getLayoutMap());
}

/**
 * Fields whose typing cannot be given back by a replay: a select's type-ahead, the
 * segments of a date or time field, a number's spinner. While one of them has the focus
 * and no burst is under way, keys go straight to it (a reader fired at such a field
 * loses that reading, and the officer scans again; the workflows use text fields for
 * dates, so it does not happen there).
 */
const KEEPS_ITS_OWN_KEYS = new Set(['date', 'time', 'datetime-local', 'month', 'week', 'number', 'range', 'color', 'checkbox', 'radio', 'file']);

function keepsItsOwnKeys(element: Element | null): boolean {
  if (!element) return false;
  if (element.tagName === 'SELECT') return true;
  return element.tagName === 'INPUT' && KEEPS_ITS_OWN_KEYS.has((element as HTMLInputElement).type);
}

/** Starts listening; returns the function that stops (and gives back anything still held). */
export function attachKeyboardWedge(view: Window, onReading: (text: string) => void, options: KeyboardWedgeOptions = {}): () => void {
  const layout = options.layout ?? 'detect';
  const detector = new KeyboardWedgeDetector(layout === 'detect' ? DEFAULT_WEDGE_LAYOUT : layout, options.thresholds);
  let attached = true;
  let holdTarget: Element | null = null;
  let timer: number | undefined;

  if (layout === 'detect') {
    detectLayout(view.navigator).then(
      (table) => {
        if (attached && table !== null) detector.setLayout(table);
      },
      // Refused (a frame, a browser without the API): the default table stays, which is safe on every layout.
      () => undefined,
    );
  }

  const run = (effects: readonly WedgeEffect[]) => {
    for (const effect of effects) {
      if (effect.kind === 'replay') replayKeys(holdTarget ?? view.document.activeElement, effect.keys);
      else onReading(effect.text);
      holdTarget = null;
    }
  };

  const schedule = () => {
    view.clearTimeout(timer);
    const deadline = detector.deadline();
    if (deadline === null) return;
    // event.timeStamp and performance.now() share the page's time origin.
    timer = view.setTimeout(onQuiet, Math.max(0, deadline - view.performance.now()) + 1);
  };

  const onQuiet = () => {
    run(detector.expire(view.performance.now()));
    schedule();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.isTrusted) return;
    if (detector.holding() === 0 && keepsItsOwnKeys(view.document.activeElement)) return;
    const decision = detector.feed({
      key: event.key,
      timeMs: event.timeStamp,
      command: (event.ctrlKey || event.altKey || event.metaKey) && !event.getModifierState('AltGraph'),
      repeat: event.repeat || event.isComposing,
    });
    run(decision.effects);
    if (decision.key === 'hold') {
      if (detector.holding() === 1) holdTarget = view.document.activeElement;
      event.preventDefault();
      event.stopImmediatePropagation();
    }
    schedule();
  };

  // Text that arrives without a keydown (an input method, a character picker, a dead-key
  // composition) while keys are held would land before them: it waits, and goes in after
  // the held keys, in the order it was typed.
  const onBeforeInput = (event: InputEvent) => {
    if (!event.isTrusted || detector.holding() === 0) return;
    const target = holdTarget ?? view.document.activeElement;
    const released = detector.release().flatMap((effect) => (effect.kind === 'replay' ? effect.keys : []));
    holdTarget = null;
    schedule();
    if (event.inputType === 'insertText' && event.data && event.cancelable) {
      event.preventDefault();
      replayKeys(target, [...released, ...[...event.data].map((key) => ({ key, timeMs: event.timeStamp }))]);
      return;
    }
    replayKeys(target, released);
  };

  view.addEventListener('keydown', onKeyDown, { capture: true });
  view.addEventListener('beforeinput', onBeforeInput, { capture: true });
  return () => {
    attached = false;
    view.removeEventListener('keydown', onKeyDown, { capture: true });
    view.removeEventListener('beforeinput', onBeforeInput, { capture: true });
    view.clearTimeout(timer);
    run(detector.expire(Number.POSITIVE_INFINITY));
  };
}
