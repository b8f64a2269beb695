import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiErrorValue } from '../../../main/api/errors';
import type { MisBridge, RequestOutput } from '../../../main/api/types';
import { useLocale } from '../../i18n/init';
import { ErrorBanner } from '../../ui/ErrorBanner';
import { Kbd, useShortcut } from '../../ui/shortcuts';
import { formatDateTime } from './format-shift';
import { kindWords } from './sync-words';

type ConflictLog = RequestOutput<'sync.conflicts'>;

/** A record's fields as dotted paths with printable values ('person.surname' → 'ERIKSSON'); RxDB's own fields left out. */
export function flattenRecord(record: Record<string, unknown>, prefix = ''): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of Object.entries(record)) {
    if (key.startsWith('_')) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [inner, text] of flattenRecord(value as Record<string, unknown>, path)) fields.set(inner, text);
    } else {
      fields.set(path, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return fields;
}

function ConflictVersions({ kept, setAside }: { kept: Record<string, unknown>; setAside: Record<string, unknown> }) {
  const { t } = useTranslation();
  const keptFields = flattenRecord(kept);
  const setAsideFields = flattenRecord(setAside);
  const paths = [...new Set([...keptFields.keys(), ...setAsideFields.keys()])].sort();
  return (
    <table className="shift-table shift-table--wide shift-conflict">
      <thead>
        <tr>
          <th scope="col">{t('shift.colField')}</th>
          <th scope="col">{t('shift.colKept')}</th>
          <th scope="col">{t('shift.colSetAside')}</th>
        </tr>
      </thead>
      <tbody>
        {paths.map((path) => {
          const differs = keptFields.get(path) !== setAsideFields.get(path);
          return (
            <tr key={path} className={differs ? 'shift-conflict__differs' : undefined} data-differs={differs}>
              <th scope="row">
                <code>{path}</code>
                {/* Said in words too: the highlight is not the only sign. */}
                {differs && <span className="shift-conflict__mark"> ({t('shift.differs')})</span>}
              </th>
              <td>{keptFields.get(path) ?? '—'}</td>
              <td>{setAsideFields.get(path) ?? '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/**
 * Conflicts to review: the count sync reported, and on request the server's conflict log
 * (kept and set-aside versions side by side). Asked only when the supervisor opens it:
 * the log holds people's data, and opening it is audited.
 */
export function ConflictsPanel({ bridge, reported }: { bridge: MisBridge; reported: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [log, setLog] = useState<ConflictLog | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiErrorValue | null>(null);
  const open = async () => {
    setLoading(true);
    setError(null);
    const result = await bridge.request('sync.conflicts', {});
    setLoading(false);
    if (result.ok) setLog(result.value);
    else setError(result.error);
  };
  useShortcut('Alt+K', () => void open());
  return (
    <section className="shift-card no-print" aria-labelledby="shift-conflicts-title" data-testid="shift-conflicts">
      <h3 id="shift-conflicts-title">{t('shift.conflictsHeading')}</h3>
      <p>{t('shift.conflictsCount', { count: reported })}</p>
      <button type="button" className="shift-button" onClick={() => void open()} disabled={loading} data-testid="shift-conflicts-open">
        {t('shift.conflictsOpen')} <Kbd shortcut="Alt+K" />
      </button>
      {loading && <p role="status">{t('shift.conflictsLoading')}</p>}
      {error?.code === 'SERVER_UNAVAILABLE' ? (
        <p className="banner banner--error" role="alert" data-testid="shift-conflicts-offline">
          {t('shift.conflictsOffline')}
        </p>
      ) : (
        <ErrorBanner error={error} testId="shift-conflicts-error" />
      )}
      {log && log.length === 0 && <p data-testid="shift-conflicts-none">{t('shift.conflictsNone')}</p>}
      {log?.map((conflict) => (
        <article key={conflict.number} className="shift-conflict__entry" data-testid="shift-conflict">
          <h4>{t('shift.conflictTitle', { kind: kindWords(conflict.collection, t), id: conflict.recordId, time: formatDateTime(conflict.detectedAt, locale) })}</h4>
          <p>{t('shift.conflictRule')}</p>
          <div className="shift-scroll">
            <ConflictVersions kept={conflict.kept} setAside={conflict.setAside} />
          </div>
        </article>
      ))}
    </section>
  );
}
