import { useTranslation } from 'react-i18next';
import type { ScreenProps } from '../screen-props';

export function ShiftScreen(_props: ScreenProps) {
  const { t } = useTranslation();
  return (
    <section className="screen" aria-labelledby="screen-title" data-testid="screen-shift">
      <h2 id="screen-title">{t('nav.shift')}</h2>
    </section>
  );
}
