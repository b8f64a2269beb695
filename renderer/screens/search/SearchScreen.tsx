import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Kbd, useShortcuts } from '../../ui/shortcuts';
import type { ScreenProps } from '../screen-props';
import { RecordPanel } from './RecordPanel';
import { ResultsTable } from './ResultsTable';
import { startOfLocalDay, startOfNextLocalDay } from './search-format';
import { type SearchCriteriaInput, type SearchRow, useSearchResults } from './search-results';
import './search.css';

interface CriteriaForm {
  documentNumber: string;
  surname: string;
  givenNames: string;
  birthDate: string;
  from: string;
  to: string;
  kinds: 'all' | 'registration' | 'crossing';
}

const EMPTY: CriteriaForm = { documentNumber: '', surname: '', givenNames: '', birthDate: '', from: '', to: '', kinds: 'all' };

/** The form as the contract takes it: empty fields left out, the period as the station's local days. */
function criteriaOf(form: CriteriaForm): SearchCriteriaInput {
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const criteria: SearchCriteriaInput = {};
  const documentNumber = text(form.documentNumber);
  const surname = text(form.surname);
  const givenNames = text(form.givenNames);
  const birthDate = text(form.birthDate);
  if (documentNumber) criteria.documentNumber = documentNumber;
  if (surname) criteria.surname = surname;
  if (givenNames) criteria.givenNames = givenNames;
  if (birthDate) criteria.birthDate = birthDate;
  if (form.from) criteria.from = startOfLocalDay(form.from);
  if (form.to) criteria.to = startOfNextLocalDay(form.to);
  if (form.kinds !== 'all') criteria.kinds = [form.kinds];
  return criteria;
}

/**
 * Search (issue 9): registrations and crossings of this station by document number,
 * name (any script, small typos), date of birth and period, in a table that scrolls
 * through any number of results; a record opens in a panel, and opening it is audited.
 */
export function SearchScreen({ bridge }: ScreenProps) {
  const { t } = useTranslation();
  const [form, setForm] = useState<CriteriaForm>(EMPTY);
  const [opened, setOpened] = useState<SearchRow | null>(null);
  const results = useSearchResults(bridge);
  const surnameField = useRef<HTMLInputElement>(null);
  const grid = useRef<HTMLDivElement>(null);

  useShortcuts([
    ['Alt+F', () => surnameField.current?.focus()],
    ['Alt+R', () => grid.current?.focus()],
  ]);

  const set = (field: keyof CriteriaForm) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [field]: event.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    await results.search(criteriaOf(form));
  }

  function onClear() {
    setForm(EMPTY);
    results.clear();
    surnameField.current?.focus();
  }

  const total = results.current?.total ?? 0;

  return (
    <section className="screen search" aria-labelledby="screen-title" data-testid="screen-search">
      <h2 id="screen-title">{t('search.title')}</h2>
      <form className="search__form" onSubmit={onSubmit} aria-label={t('search.criteria')} data-testid="search-form">
        <p className="search__hint">{t('search.hint')}</p>
        <div className="search__fields">
          <label>
            <span>
              {t('search.surname')} <Kbd shortcut="Alt+F" />
            </span>
            <input ref={surnameField} name="surname" value={form.surname} onChange={set('surname')} autoComplete="off" spellCheck={false} />
          </label>
          <label>
            <span>{t('search.givenNames')}</span>
            <input name="givenNames" value={form.givenNames} onChange={set('givenNames')} autoComplete="off" spellCheck={false} />
          </label>
          <label>
            <span>{t('search.documentNumber')}</span>
            <input name="documentNumber" value={form.documentNumber} onChange={set('documentNumber')} autoComplete="off" spellCheck={false} />
          </label>
          <label>
            <span>{t('search.birthDate')}</span>
            <input name="birthDate" value={form.birthDate} onChange={set('birthDate')} autoComplete="off" aria-describedby="search-birth-hint" />
            <small id="search-birth-hint">{t('search.birthDateHint')}</small>
          </label>
          <label>
            <span>{t('search.from')}</span>
            <input type="date" name="from" value={form.from} onChange={set('from')} aria-describedby="search-period-hint" />
          </label>
          <label>
            <span>{t('search.to')}</span>
            <input type="date" name="to" value={form.to} onChange={set('to')} aria-describedby="search-period-hint" />
            <small id="search-period-hint">{t('search.periodHint')}</small>
          </label>
          <label className="search__wide">
            <span>{t('search.kinds')}</span>
            <select name="kinds" value={form.kinds} onChange={set('kinds')}>
              <option value="all">{t('search.kindsAll')}</option>
              <option value="registration">{t('search.kindsRegistrations')}</option>
              <option value="crossing">{t('search.kindsCrossings')}</option>
            </select>
          </label>
        </div>
        <div className="search__actions">
          <button type="submit" disabled={results.searching} data-testid="search-submit">
            {t('search.search')} <Kbd shortcut="Enter" />
          </button>
          <button type="button" onClick={onClear} data-testid="search-clear">
            {t('search.clear')}
          </button>
        </div>
      </form>

      <ErrorBanner error={results.error} />
      <p className="search__summary" aria-live="polite" data-testid="search-summary" data-total={results.current ? total : undefined}>
        {results.searching ? t('search.searching') : results.current ? (total > 0 ? t('search.found', { count: total }) : t('search.noResults')) : ''}
      </p>

      {results.current && total > 0 && (
        <>
          <p className="search__keys">
            <Kbd shortcut="Alt+R" /> {t('search.goToResults')} · <Kbd shortcut="↑ ↓ PgUp PgDn Home End" /> {t('search.movesThrough')} · <Kbd shortcut="Enter" /> {t('search.opensRecord')}
          </p>
          <ResultsTable total={total} rowAt={results.rowAt} need={results.need} loadedPages={results.loadedPages} onOpen={setOpened} gridRef={grid} />
        </>
      )}

      {opened && (
        <RecordPanel
          bridge={bridge}
          row={opened}
          onClose={() => {
            setOpened(null);
            grid.current?.focus();
          }}
        />
      )}
    </section>
  );
}
