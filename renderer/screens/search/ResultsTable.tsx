import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchRow } from './search-results';
import { formatDateTime } from './search-format';
import { useLocale } from '../../i18n/init';

/**
 * A results table that stays smooth with 100,000 rows: every row has the same height,
 * so the rows in view follow from the scroll position alone, and only those (plus a
 * few either side) are in the DOM. Written here rather than with a virtualisation
 * library because the grid semantics (aria-rowcount, aria-rowindex, the active row
 * followed by the keyboard) are most of the work and none is installed.
 */
export const ROW_HEIGHT = 32;
const VISIBLE_ROWS = 14;
const OVERSCAN = 6;
const HEADER_HEIGHT = ROW_HEIGHT;

interface ResultsTableProps {
  total: number;
  rowAt(index: number): SearchRow | undefined;
  need(first: number, last: number): void;
  /** Changes when rows arrive, so that the table draws them. */
  loadedPages: number;
  onOpen(row: SearchRow): void;
  /** The grid element, for focusing it from a shortcut. */
  gridRef: RefObject<HTMLDivElement | null>;
}

function StatusText({ row }: { row: SearchRow }) {
  const { t } = useTranslation();
  const statuses: Record<string, string> = {
    active: t('search.statusActive'),
    amended: t('search.statusAmended'),
    cancelled: t('search.statusCancelled'),
    admitted: t('search.statusAdmitted'),
    refused: t('search.statusRefused'),
  };
  const direction = row.direction === 'entry' ? t('search.directionEntry') : row.direction === 'exit' ? t('search.directionExit') : null;
  return (
    <>
      {statuses[row.status] ?? row.status}
      {direction && `, ${direction}`}
    </>
  );
}

export function ResultsTable({ total, rowAt, need, loadedPages, onOpen, gridRef }: ResultsTableProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [scrollTop, setScrollTop] = useState(0);
  const [active, setActive] = useState(0);
  // A short result is no taller than its rows; a long one shows VISIBLE_ROWS at a time.
  const viewportHeight = HEADER_HEIGHT + Math.min(VISIBLE_ROWS, Math.max(total, 1)) * ROW_HEIGHT + 2;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewportHeight - HEADER_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const previousTotal = useRef(total);

  // A new search starts at its top.
  useEffect(() => {
    if (previousTotal.current === total) return;
    previousTotal.current = total;
    setActive(0);
    setScrollTop(0);
    if (gridRef.current) gridRef.current.scrollTop = 0;
  }, [total, gridRef]);

  useEffect(() => {
    if (total > 0) need(first, last);
  }, [first, last, total, need]);

  /** Moves the active row and scrolls just enough to show it below the header. */
  function moveTo(index: number) {
    const grid = gridRef.current;
    const target = Math.max(0, Math.min(total - 1, index));
    setActive(target);
    if (!grid) return;
    const top = target * ROW_HEIGHT;
    const bodyHeight = grid.clientHeight - HEADER_HEIGHT;
    if (top < grid.scrollTop) grid.scrollTop = top;
    else if (top + ROW_HEIGHT > grid.scrollTop + bodyHeight) grid.scrollTop = top + ROW_HEIGHT - bodyHeight;
    setScrollTop(grid.scrollTop);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, number> = {
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      PageDown: active + VISIBLE_ROWS - 1,
      PageUp: active - (VISIBLE_ROWS - 1),
      Home: 0,
      End: total - 1,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      moveTo(target);
      return;
    }
    if (event.key === 'Enter') {
      const row = rowAt(active);
      if (row) {
        event.preventDefault();
        onOpen(row);
      }
    }
  }

  const rows = [];
  for (let index = first; index <= last; index++) {
    const row = rowAt(index);
    const selected = index === active;
    rows.push(
      <div
        key={index}
        id={`search-row-${index}`}
        role="row"
        aria-rowindex={index + 2}
        aria-selected={selected}
        className={`results__row${selected ? ' results__row--active' : ''}${row ? '' : ' results__row--loading'}`}
        style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
        data-testid="search-row"
        data-index={index}
        onClick={() => {
          setActive(index);
          if (row) onOpen(row);
        }}
      >
        {row ? (
          <>
            <div role="gridcell">{row.kind === 'registration' ? t('search.kindRegistration') : t('search.kindCrossing')}</div>
            <div role="gridcell" data-testid="search-row-surname">{row.surname}</div>
            <div role="gridcell">{row.givenNames}</div>
            <div role="gridcell">{row.nationality}</div>
            <div role="gridcell">{row.birthDate}</div>
            <div role="gridcell" data-testid="search-row-document">{row.documentNumber}</div>
            <div role="gridcell">{formatDateTime(row.at, locale)}</div>
            <div role="gridcell">
              <StatusText row={row} />
            </div>
          </>
        ) : (
          <div role="gridcell" className="results__loading">
            {t('search.loadingRow')}
          </div>
        )}
      </div>,
    );
  }

  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label={t('search.results')}
      aria-rowcount={total + 1}
      aria-colcount={8}
      aria-activedescendant={total > 0 ? `search-row-${active}` : undefined}
      tabIndex={0}
      className="results"
      style={{ height: viewportHeight }}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      data-testid="search-results"
      data-loaded-pages={loadedPages}
    >
      <div role="rowgroup" className="results__head">
        <div role="row" aria-rowindex={1} className="results__row results__row--head">
          <div role="columnheader">{t('search.colKind')}</div>
          <div role="columnheader">{t('search.colSurname')}</div>
          <div role="columnheader">{t('search.colGivenNames')}</div>
          <div role="columnheader">{t('search.colNationality')}</div>
          <div role="columnheader">{t('search.colBirthDate')}</div>
          <div role="columnheader">{t('search.colDocument')}</div>
          <div role="columnheader">{t('search.colDate')}</div>
          <div role="columnheader">{t('search.colStatus')}</div>
        </div>
      </div>
      <div role="rowgroup" className="results__body" style={{ height: total * ROW_HEIGHT }}>
        {rows}
      </div>
    </div>
  );
}
