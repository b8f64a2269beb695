import { useState, type KeyboardEvent } from 'react';

export interface PickerEntry {
  code: string;
  /** As shown, in the interface's language. */
  label: string;
  /** Other texts that find it: the English label, so that a Latin keyboard finds a Cyrillic label. */
  aliases?: readonly string[];
}

/** Lower case without diacritics, so that "cen" finds "Čenta" and "hotel" finds "HOTEL". */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Entries whose code, label or alias, or a word of them, starts with what was typed; in list order. */
export function matchingEntries(entries: readonly PickerEntry[], typed: string): PickerEntry[] {
  const wanted = folded(typed.trim());
  if (wanted === '') return [];
  return entries.filter((entry) =>
    [entry.label, entry.code, ...(entry.aliases ?? [])].some((text) => {
      const plain = folded(text);
      return plain.startsWith(wanted) || plain.split(/[\s(),-]+/).some((word) => word.startsWith(wanted));
    }),
  );
}

interface CodePickerProps {
  id: string;
  name: string;
  label: string;
  entries: readonly PickerEntry[];
  /** The chosen entry's code, '' for none. */
  code: string;
  onPick: (code: string) => void;
  inputRef: (element: HTMLInputElement | null) => void;
  invalid: boolean;
}

/**
 * A choice from a code list, made by typing: the first entry that matches is chosen at
 * once (as a select's type-ahead would), the arrow keys go through the others, Enter
 * moves on. A text field rather than a <select>: a keyboard-wedge reader's listener holds
 * letter keys for a few ms and gives them back as text, which a <select> cannot take.
 */
export function CodePicker({ id, name, label, entries, code, onPick, inputRef, invalid }: CodePickerProps) {
  const [typed, setTyped] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const chosen = entries.find((entry) => entry.code === code);
  const matches = typed === null ? [] : matchingEntries(entries, typed);
  const open = typed !== null && matches.length > 0;
  const listId = `${id}-options`;

  const type = (text: string) => {
    setTyped(text);
    setActive(0);
    onPick(matchingEntries(entries, text)[0]?.code ?? '');
  };
  const move = (step: number) => {
    if (matches.length === 0) return;
    const next = (active + step + matches.length) % matches.length;
    setActive(next);
    onPick(matches[next]!.code);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      move(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setTyped(null);
    } else if (event.key === 'Enter') {
      // The choice is made; the form's own Enter handling moves on to the next field.
      setTyped(null);
    }
  };

  return (
    <div className="code-picker">
      <input
        id={id}
        name={name}
        ref={inputRef}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        aria-invalid={invalid || undefined}
        data-code={code}
        autoComplete="off"
        spellCheck={false}
        value={typed ?? chosen?.label ?? (code === '' ? '' : code)}
        onFocus={(event) => event.currentTarget.select()}
        onBlur={() => setTyped(null)}
        onChange={(event) => type(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" aria-label={label} className="code-picker__list" hidden={!open}>
        {open &&
          matches.map((entry, index) => (
            <li
              key={entry.code}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => {
                // Chosen before the field loses the focus.
                event.preventDefault();
                onPick(entry.code);
                setTyped(null);
              }}
            >
              {entry.label}
            </li>
          ))}
      </ul>
    </div>
  );
}
