import { useTranslation } from 'react-i18next';
import type { ScreenProps } from '../screen-props';

export function SettingsScreen(_props: ScreenProps) {
  const { t } = useTranslation();
  return (
    <section className="screen" aria-labelledby="screen-title" data-testid="screen-settings">
      <h2 id="screen-title">{t('nav.settings')}</h2>
    </section>
  );
}
