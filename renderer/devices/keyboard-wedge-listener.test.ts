import { describe, expect, it, vi } from 'vitest';
import { attachKeyboardWedge } from './keyboard-wedge-listener';

/**
 * The listener's wiring on a stand-in window (these tests run in Node, without a DOM):
 * the capture-phase registration, which keys are kept from the page, the timers, the
 * layout the browser reports. Replaying into real fields needs a browser and is not
 * exercised here.
 */

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

type Listener = (event: KeyboardEvent) => void;

function standInWindow(layoutMap?: Map<string, string>) {
  const listeners = new Map<string, { fn: Listener; options: unknown }>();
  const timers = new Map<number, () => void>();
  let nextTimer = 1;
  const view = {
    clock: 0,
    addEventListener: (type: string, fn: Listener, options: unknown) => {
      listeners.set(type, { fn, options });
    },
    removeEventListener: (type: string) => {
      listeners.delete(type);
    },
    setTimeout: (fn: () => void) => {
      timers.set(nextTimer, fn);
      return nextTimer++;
    },
    clearTimeout: (id: number | undefined) => {
      if (id !== undefined) timers.delete(id);
    },
    performance: { now: () => view.clock },
    document: { activeElement: null },
    navigator: layoutMap === undefined ? {} : { keyboard: { getLayoutMap: async () => layoutMap } },
  };
  const press = (key: string, timeStamp: number, trusted = true) => {
    const event = {
      isTrusted: trusted,
      key,
      timeStamp,
      ctrlKey: false,
      altKey: false,
      metaKey: false,
      repeat: false,
      isComposing: false,
      getModifierState: () => false,
      preventDefault: vi.fn(),
      stopImmediatePropagation: vi.fn(),
    };
    view.clock = timeStamp;
    listeners.get('keydown')?.fn(event as unknown as KeyboardEvent);
    return event;
  };
  const typeZone = (lines: readonly string[], start = 1000) =>
    lines.flatMap((line) => [...line, 'Enter']).map((key, index) => press(key, start + index * 4));
  return { view: view as unknown as Window, listening: () => listeners.get('keydown') ?? null, listeners, press, typeZone };
}

describe('keyboard-wedge listener', () => {
  it('listens in the capture phase, keeps a reader burst from the page and hands the zone over', () => {
    const page = standInWindow();
    const onReading = vi.fn();
    attachKeyboardWedge(page.view, onReading);
    expect(page.listening()?.options).toEqual({ capture: true });

    const events = page.typeZone(TD3);
    expect(onReading).toHaveBeenCalledWith(TD3.join('\n'));
    for (const event of events) {
      expect(event.preventDefault).toHaveBeenCalled();
      expect(event.stopImmediatePropagation).toHaveBeenCalled();
    }
  });

  it('leaves synthetic events (its own replays among them) alone', () => {
    const page = standInWindow();
    attachKeyboardWedge(page.view, vi.fn());
    const event = page.press('A', 10, false);
    expect(event.preventDefault).not.toHaveBeenCalled();
  });

  it('uses the layout the browser reports: a QWERTZ layout swaps Y and Z back', async () => {
    const croatian = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter) => [`Key${letter}`, letter.toLowerCase()]));
    croatian.set('KeyY', 'z');
    croatian.set('KeyZ', 'y');
    const page = standInWindow(croatian);
    const onReading = vi.fn();
    attachKeyboardWedge(page.view, onReading);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const zone = ['P<UTOYVONNE<<ZOE<<<<<<<<<<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
    const typed = zone.map((line) => line.replace(/[<YZ]/g, (character) => ({ '<': ';', Y: 'Z', Z: 'Y' })[character] ?? character));
    page.typeZone(typed);
    expect(onReading).toHaveBeenCalledWith(zone.join('\n'));
  });

  it("leaves a select's and a date field's keys to them when no burst is under way", () => {
    for (const focused of [{ tagName: 'SELECT' }, { tagName: 'INPUT', type: 'date' }, { tagName: 'INPUT', type: 'number' }]) {
      const onReading = vi.fn();
      const station = standInWindow();
      attachKeyboardWedge(station.view, onReading);
      (station.view.document as unknown as { activeElement: unknown }).activeElement = focused;
      const typed = [station.press('B', 1000), station.press('O', 1150), station.press('7', 1300)];
      expect(typed.map((event) => event.preventDefault.mock.calls.length)).toEqual([0, 0, 0]);
    }
    // In a text field the same first key is held until it is clear who typed it.
    const station = standInWindow();
    attachKeyboardWedge(station.view, vi.fn());
    (station.view.document as unknown as { activeElement: unknown }).activeElement = { tagName: 'INPUT', type: 'text' };
    expect(station.press('B', 1000).preventDefault).toHaveBeenCalled();
  });

  it('stops listening when detached', () => {
    const page = standInWindow();
    const detach = attachKeyboardWedge(page.view, vi.fn());
    detach();
    expect(page.listening()).toBeNull();
  });
});
