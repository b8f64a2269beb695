import { useId } from 'react';
import { useTranslation } from 'react-i18next';

export interface ChartBar {
  /** Stable key (a code, an hour's epoch ms). */
  key: string;
  /** The label in the table (and in the chart, unless a short one is given). */
  label: string;
  /** The label under or beside the bar where space is short ('C' for a refusal reason, '14' for an hour). */
  shortLabel?: string;
  value: number;
}

const FONT_SIZE = 12;
/** Roughly the width of a character at FONT_SIZE, to make room for the longest label. */
const CHARACTER_WIDTH = 8;

/** Horizontal bars, one row per bar: for nationalities, reasons and other named things. */
function rowBars({ bars, largest }: { bars: readonly ChartBar[]; largest: number }) {
  const barHeight = 22;
  const gap = 6;
  const labelWidth = Math.min(380, 20 + CHARACTER_WIDTH * Math.max(...bars.map((bar) => (bar.shortLabel ?? bar.label).length)));
  const barSpace = 200;
  const width = labelWidth + barSpace + 40;
  const height = bars.length * (barHeight + gap);
  return {
    width,
    height,
    shapes: bars.map((bar, index) => {
      const y = index * (barHeight + gap);
      const length = (bar.value / largest) * barSpace;
      return (
        <g key={bar.key}>
          <text x={labelWidth - 8} y={y + barHeight / 2} dominantBaseline="middle" textAnchor="end" className="shift-chart__label">
            {bar.shortLabel ?? bar.label}
          </text>
          <rect x={labelWidth} y={y} width={Math.max(length, bar.value > 0 ? 2 : 0)} height={barHeight} className="shift-chart__bar" />
          <text x={labelWidth + length + 6} y={y + barHeight / 2} dominantBaseline="middle" className="shift-chart__value">
            {bar.value}
          </text>
        </g>
      );
    }),
  };
}

/** Vertical columns side by side: for the hours of a shift, read left to right. */
function columnBars({ bars, largest }: { bars: readonly ChartBar[]; largest: number }) {
  const columnWidth = 22;
  const gap = 6;
  const plotHeight = 120;
  const top = 16;
  const width = bars.length * (columnWidth + gap) + gap;
  const height = top + plotHeight + 20;
  return {
    width,
    height,
    shapes: bars.map((bar, index) => {
      const x = gap + index * (columnWidth + gap);
      const length = (bar.value / largest) * plotHeight;
      const y = top + plotHeight - length;
      return (
        <g key={bar.key}>
          <rect x={x} y={y} width={columnWidth} height={Math.max(length, bar.value > 0 ? 2 : 0)} className="shift-chart__bar" />
          <text x={x + columnWidth / 2} y={y - 4} textAnchor="middle" className="shift-chart__value">
            {bar.value}
          </text>
          <text x={x + columnWidth / 2} y={top + plotHeight + 14} textAnchor="middle" className="shift-chart__label">
            {bar.shortLabel ?? bar.label}
          </text>
        </g>
      );
    }),
  };
}

/**
 * A bar chart drawn as SVG, with its title and description for screen readers, and the
 * same numbers as a table beside it (the accessible alternative, and what the printed
 * report and the tests read). Bars carry their values as text, so colour carries nothing
 * a reader would miss.
 */
export function BarChart({ title, bars, labelHeader, testId, orientation = 'rows' }: { title: string; bars: readonly ChartBar[]; labelHeader: string; testId: string; orientation?: 'rows' | 'columns' }) {
  const { t } = useTranslation();
  const id = useId();
  const largest = Math.max(1, ...bars.map((bar) => bar.value));
  const drawing = bars.length === 0 ? null : orientation === 'columns' ? columnBars({ bars, largest }) : rowBars({ bars, largest });
  return (
    <figure className="shift-chart" data-testid={testId}>
      <figcaption className="shift-chart__title">{title}</figcaption>
      <div className="shift-chart__body">
        {drawing ? (
          <svg
            className="shift-chart__svg"
            viewBox={`0 0 ${drawing.width} ${drawing.height}`}
            width={drawing.width}
            height={drawing.height}
            fontSize={FONT_SIZE}
            role="img"
            aria-labelledby={`${id}-title ${id}-desc`}
          >
            <title id={`${id}-title`}>{title}</title>
            <desc id={`${id}-desc`}>{t('shift.chartDescription', { count: bars.length })}</desc>
            {drawing.shapes}
          </svg>
        ) : (
          <p className="shift-chart__empty">{t('shift.noData')}</p>
        )}
        <table className="shift-table" data-testid={`${testId}-table`}>
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              <th scope="col">{t('shift.colCount')}</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.key} data-key={bar.key}>
                <th scope="row">{bar.label}</th>
                <td>{bar.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
