import { useTranslation } from 'react-i18next';
import type { ScreenProps } from '../screen-props';

export function BorderScreen(_props: ScreenProps) {
  const { t } = useTranslation();
  return (
    <section className="screen" aria-labelledby="screen-title" data-testid="screen-border">
      <h2 id="screen-title">{t('nav.border')}</h2>
    </section>
  );
}
