import { useTranslation } from 'react-i18next';
import { REASON_CODES, reasonText, type ReasonCode } from './border-texts';

/** The refusal form's reasons A–I as checkboxes; the ones the checks suggest are marked (and start ticked). */
export function ReasonCheckboxes({
  reasons,
  suggested,
  onChange,
  idPrefix,
}: {
  reasons: ReadonlySet<ReasonCode>;
  suggested: readonly string[];
  onChange: (next: Set<ReasonCode>) => void;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const toggle = (code: ReasonCode, on: boolean) => {
    const next = new Set(reasons);
    if (on) next.add(code);
    else next.delete(code);
    onChange(next);
  };
  return (
    <fieldset className="border-reasons" data-testid={`${idPrefix}-reasons`}>
      <legend>{t('border.reasonsLegend')}</legend>
      {REASON_CODES.map((code) => (
        <label key={code} className="border-reason">
          <input type="checkbox" checked={reasons.has(code)} onChange={(event) => toggle(code, event.target.checked)} data-testid={`${idPrefix}-reason-${code}`} />
          <span className="border-reason__code">{code}</span>
          <span>
            {reasonText(code, t)}
            {suggested.includes(code) && <em className="border-reason__suggested"> — {t('border.suggested')}</em>}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
