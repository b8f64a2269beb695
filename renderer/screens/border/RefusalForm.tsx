import { useTranslation } from 'react-i18next';
import type { SignedInOfficer } from '../../../main/api/types';
import { REASON_CODES, reasonText, sexLabel, type CrossingView } from './border-texts';

/**
 * The standard refusal-of-entry form (Schengen Borders Code, Annex V Part B, as BiH
 * border police use it): who, which document, the reasons ticked, the authority and
 * crossing point, when, and the officer; signed on paper by the officer and the person.
 * Shown on screen and printed as it is (window.print()).
 */
export function RefusalForm({
  crossing,
  officer,
  crossingPoint,
  formatWhen,
}: {
  crossing: CrossingView;
  officer: SignedInOfficer;
  crossingPoint: { name: string | null; code: string | null };
  formatWhen: (at: number) => string;
}) {
  const { t } = useTranslation();
  if (crossing.decision.outcome !== 'refused') return null;
  const reasons = new Set<string>(crossing.decision.reasons);
  const { person, document } = crossing;
  return (
    <article className="refusal-form" aria-labelledby="refusal-form-title" data-testid="refusal-form">
      <h3 id="refusal-form-title">{t('border.formTitle')}</h3>
      <dl className="refusal-form__grid">
        <div>
          <dt>{t('border.formAuthority')}</dt>
          <dd>{crossing.authority}</dd>
        </div>
        <div>
          <dt>{t('border.formCrossingPoint')}</dt>
          <dd data-testid="refusal-form-crossing-point">
            {crossingPoint.name ?? crossing.crossingPointId}
            {crossingPoint.code ? ` (${crossingPoint.code})` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('border.formDate')}</dt>
          <dd>{formatWhen(crossing.occurredAt)}</dd>
        </div>
        <div>
          <dt>{t('border.recordNumber')}</dt>
          <dd className="refusal-form__id">{crossing.id}</dd>
        </div>
      </dl>
      <h4>{t('border.formPerson')}</h4>
      <dl className="refusal-form__grid">
        <div>
          <dt>{t('border.surname')}</dt>
          <dd data-testid="refusal-form-surname">{person.surname}</dd>
        </div>
        <div>
          <dt>{t('border.givenNames')}</dt>
          <dd>{person.givenNames}</dd>
        </div>
        <div>
          <dt>{t('border.birthDate')}</dt>
          <dd>{person.birthDate}</dd>
        </div>
        <div>
          <dt>{t('border.sex')}</dt>
          <dd>{sexLabel(person.sex, t)}</dd>
        </div>
        <div>
          <dt>{t('border.nationality')}</dt>
          <dd>{person.nationality}</dd>
        </div>
      </dl>
      <h4>{t('border.formDocument')}</h4>
      <dl className="refusal-form__grid">
        <div>
          <dt>{t('border.documentCode')}</dt>
          <dd>{document.documentCode}</dd>
        </div>
        <div>
          <dt>{t('border.documentNumber')}</dt>
          <dd>{document.documentNumber}</dd>
        </div>
        <div>
          <dt>{t('border.issuingState')}</dt>
          <dd>{document.issuingState}</dd>
        </div>
        <div>
          <dt>{t('border.expiryDate')}</dt>
          <dd>{document.expiryDate ?? '—'}</dd>
        </div>
      </dl>
      <p>{t('border.formIntro')}</p>
      <ul className="refusal-form__reasons">
        {REASON_CODES.map((code) => (
          <li key={code} data-testid={`refusal-form-reason-${code}`} data-ticked={reasons.has(code) ? 'true' : 'false'}>
            <span className="refusal-form__box" aria-hidden="true">
              {reasons.has(code) ? '☒' : '☐'}
            </span>
            <span className="visually-hidden">{reasons.has(code) ? '✓' : ''}</span>
            <strong>({code})</strong> {reasonText(code, t)}
          </li>
        ))}
      </ul>
      <p className="refusal-form__appeal">{t('border.formAppeal')}</p>
      <dl className="refusal-form__grid">
        <div>
          <dt>{t('border.formOfficer')}</dt>
          <dd>{officer.name}</dd>
        </div>
        <div>
          <dt>{t('border.formBadge')}</dt>
          <dd>{officer.badgeNumber}</dd>
        </div>
      </dl>
      <div className="refusal-form__signatures">
        <span>{t('border.formSignatureOfficer')}</span>
        <span>{t('border.formSignaturePerson')}</span>
      </div>
    </article>
  );
}
