import { useTranslation } from 'react-i18next';
import type { ScreenProps } from '../screen-props';

export function SearchScreen(_props: ScreenProps) {
  const { t } = useTranslation();
  return (
    <section className="screen" aria-labelledby="screen-title" data-testid="screen-search">
      <h2 id="screen-title">{t('nav.search')}</h2>
    </section>
  );
}
