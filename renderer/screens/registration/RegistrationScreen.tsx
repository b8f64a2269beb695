import { useTranslation } from 'react-i18next';
import type { ScreenProps } from '../screen-props';

export function RegistrationScreen(_props: ScreenProps) {
  const { t } = useTranslation();
  return (
    <section className="screen" aria-labelledby="screen-title" data-testid="screen-registration">
      <h2 id="screen-title">{t('nav.registration')}</h2>
    </section>
  );
}
