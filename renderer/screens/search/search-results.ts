import { useCallback, useRef, useState } from 'react';
import type { ApiErrorValue } from '../../../main/api/errors';
import type { MisBridge, RequestInput, RequestOutput } from '../../../main/api/types';

export type SearchCriteriaInput = RequestInput<'search.records'>['criteria'];
export type SearchRow = RequestOutput<'search.records'>['rows'][number];

/** Rows per request: a few screens of the table, well under the contract's limit. */
export const PAGE_SIZE = 200;

export interface SearchResults {
  /** The search shown now; null before the first search. */
  current: { searchId: string; total: number } | null;
  searching: boolean;
  error: ApiErrorValue | null;
  /** Grows each time a page arrives, so that the table draws the new rows. */
  loadedPages: number;
  search(criteria: SearchCriteriaInput): Promise<void>;
  clear(): void;
  rowAt(index: number): SearchRow | undefined;
  /** Asks main for the pages holding rows first..last that are not here yet. */
  need(first: number, last: number): void;
}

/**
 * One search's results as the table reads them: the first page comes with the answer,
 * the others are asked for as the officer scrolls to them, once each. Pages of an
 * older search that arrive late are dropped.
 */
export function useSearchResults(bridge: MisBridge): SearchResults {
  const [current, setCurrent] = useState<SearchResults['current']>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const [loadedPages, setLoadedPages] = useState(0);
  const pages = useRef(new Map<number, SearchRow[]>());
  const asked = useRef(new Set<number>());
  const searchId = useRef<string | null>(null);

  const search = useCallback(
    async (criteria: SearchCriteriaInput) => {
      setSearching(true);
      setError(null);
      const result = await bridge.request('search.records', { criteria, limit: PAGE_SIZE });
      setSearching(false);
      pages.current = new Map();
      asked.current = new Set([0]);
      if (!result.ok) {
        searchId.current = null;
        setCurrent(null);
        setError(result.error);
        return;
      }
      pages.current.set(0, result.value.rows);
      searchId.current = result.value.searchId;
      setCurrent({ searchId: result.value.searchId, total: result.value.total });
      setLoadedPages((count) => count + 1);
    },
    [bridge],
  );

  const clear = useCallback(() => {
    pages.current = new Map();
    asked.current = new Set();
    searchId.current = null;
    setCurrent(null);
    setError(null);
  }, []);

  const rowAt = useCallback((index: number) => pages.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], []);

  const need = useCallback(
    (first: number, last: number) => {
      const id = searchId.current;
      if (!id) return;
      for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        if (asked.current.has(page)) continue;
        asked.current.add(page);
        void bridge.request('search.page', { searchId: id, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then((result) => {
          if (searchId.current !== id) return;
          if (!result.ok) {
            asked.current.delete(page);
            setError(result.error);
            return;
          }
          pages.current.set(page, result.value.rows);
          setLoadedPages((count) => count + 1);
        });
      }
    },
    [bridge],
  );

  return { current, searching, error, loadedPages, search, clear, rowAt, need };
}
