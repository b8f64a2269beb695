import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { RequestOutput } from '../../../main/api/types';
import { useLocale } from '../../i18n/init';
import { BarChart, type ChartBar } from './BarChart';
import { formatHour, hourOfDay } from './format-shift';

type Summary = RequestOutput<'shift.summary'>;

/** What a refusal code means, as the refusal form words it (shortened); the code itself stays as printed on the form, in Latin letters, whatever the script. */
function refusalWords(code: string, t: TFunction): string {
  switch (code) {
    case 'A':
      return t('shift.refusalA');
    case 'B':
      return t('shift.refusalB');
    case 'C':
      return t('shift.refusalC');
    case 'D':
      return t('shift.refusalD');
    case 'E':
      return t('shift.refusalE');
    case 'F':
      return t('shift.refusalF');
    case 'G':
      return t('shift.refusalG');
    case 'H':
      return t('shift.refusalH');
    case 'I':
      return t('shift.refusalI');
    default:
      return code;
  }
}

function Tile({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="shift-tile" data-testid={testId}>
      <span className="shift-tile__value">{value}</span>
      <span className="shift-tile__label">{label}</span>
    </div>
  );
}

/** The shift's numbers: totals, then the charts, each with its table. Shown on screen and in the printed report. */
export function ShiftNumbers({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const byCode = (counts: Summary['registrations']['byNationality']): ChartBar[] => counts.map((entry) => ({ key: entry.code, label: entry.code, value: entry.count }));
  const byHour = (counts: Summary['registrations']['byHour']): ChartBar[] => counts.map((entry) => ({ key: String(entry.hourStart), label: formatHour(entry.hourStart, locale), shortLabel: hourOfDay(entry.hourStart), value: entry.count }));
  const refusals = summary.refusalsByReason.map((entry) => ({ key: entry.code, label: `${entry.code}: ${refusalWords(entry.code, t)}`, shortLabel: entry.code, value: entry.count }));
  const watchlist: ChartBar[] = [
    { key: 'crossings', label: t('shift.watchlistCrossings'), value: summary.watchlist.crossingsWithHit },
    { key: 'lookups', label: t('shift.watchlistLookups'), value: summary.watchlist.lookups },
    { key: 'candidates', label: t('shift.watchlistCandidates'), value: summary.watchlist.lookupsWithCandidates },
  ];
  return (
    <div className="shift-numbers" data-testid="shift-numbers">
      <div className="shift-tiles">
        <Tile label={t('shift.tileRegistrations')} value={summary.registrations.total} testId="tile-registrations" />
        <Tile label={t('shift.tileCancelled')} value={summary.registrations.cancelled} testId="tile-cancelled" />
        <Tile label={t('shift.tileCrossings')} value={summary.crossings.total} testId="tile-crossings" />
        <Tile label={t('shift.tileEntries')} value={summary.crossings.entries} testId="tile-entries" />
        <Tile label={t('shift.tileExits')} value={summary.crossings.exits} testId="tile-exits" />
        <Tile label={t('shift.tileRefused')} value={summary.crossings.refused} testId="tile-refused" />
        <Tile label={t('shift.tileWatchlistHits')} value={summary.watchlist.crossingsWithHit} testId="tile-watchlist" />
      </div>
      <div className="shift-charts">
        <BarChart title={t('shift.chartRegistrationsByNationality')} labelHeader={t('shift.colNationality')} bars={byCode(summary.registrations.byNationality)} testId="chart-registrations-nationality" />
        <BarChart title={t('shift.chartCrossingsByNationality')} labelHeader={t('shift.colNationality')} bars={byCode(summary.crossings.byNationality)} testId="chart-crossings-nationality" />
        <BarChart title={t('shift.chartRegistrationsByHour')} labelHeader={t('shift.colHour')} bars={byHour(summary.registrations.byHour)} testId="chart-registrations-hour" orientation="columns" />
        <BarChart title={t('shift.chartCrossingsByHour')} labelHeader={t('shift.colHour')} bars={byHour(summary.crossings.byHour)} testId="chart-crossings-hour" orientation="columns" />
        <BarChart title={t('shift.chartRefusals')} labelHeader={t('shift.colRefusalReason')} bars={refusals} testId="chart-refusals" />
        <BarChart title={t('shift.chartWatchlist')} labelHeader={t('shift.colWhat')} bars={watchlist} testId="chart-watchlist" />
      </div>
      {summary.officers.length > 0 && (
        <table className="shift-table shift-table--wide" data-testid="shift-officers">
          <caption>{t('shift.officersHeading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('shift.colOfficer')}</th>
              <th scope="col">{t('shift.colRegistrations')}</th>
              <th scope="col">{t('shift.colCrossings')}</th>
            </tr>
          </thead>
          <tbody>
            {summary.officers.map((officer) => (
              <tr key={officer.officerId}>
                <th scope="row">{officer.name ?? officer.officerId}</th>
                <td>{officer.registrations}</td>
                <td>{officer.crossings}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
