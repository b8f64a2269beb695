import type { en } from './en';

type PluralForm = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type PluralBase<Key> = Key extends `${infer Base}_${PluralForm}` ? Base : never;
export type SlavicSection<Section> = { [Key in Exclude<keyof Section, `${string}_${PluralForm}`>]: string } & {
  [Key in `${PluralBase<keyof Section & string>}_${'one' | 'few' | 'other'}`]: string;
};

/**
 * Bosnian, Croatian and Serbian count with one, few and other
 * (Intl.PluralRules: 1 uređaj, 2 uređaja podešena, 5 uređaja podešeno), so their
 * plural keys differ from English's one and other; every other key is English's.
 */
export type SlavicTranslations = { [Section in keyof typeof en]: SlavicSection<(typeof en)[Section]> };
