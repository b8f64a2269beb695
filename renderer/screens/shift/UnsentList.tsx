import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../main/api/types';
import { useLocale } from '../../i18n/init';
import { formatDateTime } from './format-shift';
import { failureWords, kindWords } from './sync-words';

type Unsent = RequestOutput<'shift.unsent'>;

/** The records still unsent, with why: ids, kinds and times only (never a person's data). */
export function UnsentList({ unsent }: { unsent: Unsent }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const total = unsent.collections.reduce((sum, collection) => sum + collection.pending, 0);
  return (
    <section className="shift-card" aria-labelledby="shift-unsent-title" data-testid="shift-unsent" data-total={total}>
      <h3 id="shift-unsent-title">{t('shift.unsentHeading')}</h3>
      {total === 0 ? (
        <p data-testid="shift-unsent-none">{t('shift.unsentNone')}</p>
      ) : (
        <>
          <p>
            {t('shift.unsentCount', { count: total })}
            {unsent.records.length < total && <> {t('shift.unsentShown', { shown: unsent.records.length })}</>}
          </p>
          <div className="shift-scroll">
            <table className="shift-table shift-table--wide">
              <thead>
                <tr>
                  <th scope="col">{t('shift.colKind')}</th>
                  <th scope="col">{t('shift.colRecord')}</th>
                  <th scope="col">{t('shift.colOfficer')}</th>
                  <th scope="col">{t('shift.colCreated')}</th>
                  <th scope="col">{t('shift.colReason')}</th>
                </tr>
              </thead>
              <tbody>
                {unsent.records.map((record) => (
                  <tr key={`${record.collection}:${record.id}`} data-testid="shift-unsent-row" data-collection={record.collection} data-reason={record.reason?.code ?? 'waiting'}>
                    <td>{kindWords(record.collection, t)}</td>
                    <td>
                      <code>{record.id}</code>
                    </td>
                    <td>{record.officerId}</td>
                    <td>{formatDateTime(record.changedAt, locale)}</td>
                    <td className={record.reason?.refused ? 'shift-unsent__refused' : undefined}>
                      {!record.reason && t('shift.reasonWaiting')}
                      {record.reason?.refused && (
                        <>
                          {t('shift.reasonRefused', { why: failureWords(record.reason.code, t) })}
                          {/* The server's own words name the field at fault: what the officer amends. */}
                          <span className="shift-unsent__detail">{record.reason.message}</span>
                        </>
                      )}
                      {record.reason && !record.reason.refused && failureWords(record.reason.code, t)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
