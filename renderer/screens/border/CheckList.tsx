import { useTranslation } from 'react-i18next';
import type { Rules } from '../../../domain/rules';
import { formatCalendarDay } from '../../i18n/format';
import { useLocale } from '../../i18n/init';
import { checkTitle, severityLabel, type Prepared } from './border-texts';
import { explainCheck } from './check-explanations';

/** Every check main ran, what blocks first: its title, severity and explanation, all in the officer's language. */
export function CheckList({ checks }: { checks: Prepared['checks'] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="border-panel" aria-labelledby="border-checks-title" data-testid="border-checks">
      <h3 id="border-checks-title">{t('border.checksTitle')}</h3>
      <ul className="border-checks">
        {checks.map((check, index) => (
          <li key={`${check.code}-${index}`} className={`border-check border-check--${check.severity}`} data-testid="border-check" data-code={check.code} data-severity={check.severity}>
            <span className="border-check__severity">{severityLabel(check.severity, t)}</span>
            <strong className="border-check__title">{checkTitle(check.code, t, check.facts)}</strong>
            <span className="border-check__explanation">{explainCheck(check, t, locale)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The short-stay count (90 days in 180 by default; the station's rules say): days used and left, and on exit the overstay. */
export function StayPanel({ prepared, rules }: { prepared: Prepared; rules: Rules }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { stay } = prepared;
  return (
    <section className="border-panel" aria-labelledby="border-stay-title" data-testid="border-stay">
      <h3 id="border-stay-title">{t('border.stayTitle', { maxDays: rules.shortStay.maxDaysInWindow, windowDays: rules.shortStay.windowDays })}</h3>
      {stay ? (
        <dl className="border-facts border-facts--numbers">
          <div>
            <dt>{t('border.daysUsed')}</dt>
            <dd data-testid="border-days-used">{stay.daysUsed}</dd>
          </div>
          <div>
            <dt>{t('border.daysLeft')}</dt>
            <dd data-testid="border-days-left">{stay.daysLeft}</dd>
          </div>
          <div>
            <dt>{t('border.latestLawfulExit')}</dt>
            <dd>{stay.latestLawfulExit ? formatCalendarDay(stay.latestLawfulExit, locale) : t('border.noLawfulDay')}</dd>
          </div>
          {stay.overstayDays !== null && (
            <div className={stay.overstayDays > 0 ? 'border-facts__alarm' : undefined}>
              <dt>{t('border.overstayDays')}</dt>
              <dd data-testid="border-overstay-days">{stay.overstayDays}</dd>
            </div>
          )}
        </dl>
      ) : (
        <p>{t('border.stayOwnNational')}</p>
      )}
    </section>
  );
}

/** The traveller's earlier border records at this station. */
export function EarlierPanel({ prepared, formatWhen }: { prepared: Prepared; formatWhen: (at: number) => string }) {
  const { t } = useTranslation();
  return (
    <section className="border-panel" aria-labelledby="border-earlier-title" data-testid="border-earlier">
      <h3 id="border-earlier-title">{t('border.earlierTitle')}</h3>
      {prepared.earlier.length === 0 ? (
        <p>{t('border.earlierNone')}</p>
      ) : (
        <ul className="border-earlier">
          {prepared.earlier.map((crossing) => (
            <li key={crossing.id}>
              {formatWhen(crossing.occurredAt)} — {crossing.direction === 'entry' ? t('border.entry') : t('border.exit')},{' '}
              {crossing.outcome === 'admitted' ? t('border.admitted') : t('border.refused')}
              {crossing.reasons.length > 0 && ` (${crossing.reasons.join(', ')})`}
              {crossing.corrected && ` — ${t('border.corrected')}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
