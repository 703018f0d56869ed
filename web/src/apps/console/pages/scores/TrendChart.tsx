// A small SVG line chart: one or two series over periods, the first with its
// 95% interval as a shaded band. Gaps where a period is suppressed. A hidden
// table carries the same figures for screen readers.
import { Group, Text, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { axisLabel, type Display, formatScore, type TrendPoint } from './model';

export type Series = { label: string; points: TrendPoint[]; color: string; dashed?: boolean };

const W = 400;
const H = 200;
const PAD = { left: 40, right: 10, top: 10, bottom: 24 };

export function TrendChart({ series, display, title }: { series: Series[]; display: Display; title: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const tableId = useId();
  const periods = series[0]?.points.map((p) => p.period) ?? [];
  const values = series
    .flatMap((s) => s.points.flatMap((p) => [p.value, p.ciLow, p.ciHigh]))
    .filter((v): v is number => v !== null);
  if (!periods.length || !values.length)
    return (
      <Text size="sm" c="dimmed" data-testid="trend-empty">
        {t('scores.trendEmpty')}
      </Text>
    );
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const span = hi - lo || Math.max(1, Math.abs(hi) * 0.1);
  lo = Math.max(display.min, lo - span * 0.15);
  hi = Math.min(display.max, hi + span * 0.15);
  if (hi <= lo) hi = lo + 1;
  const x = (i: number) =>
    PAD.left + (periods.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (periods.length - 1));
  const y = (v: number) => PAD.top + ((hi - v) * (H - PAD.top - PAD.bottom)) / (hi - lo);
  const ticks = [0, 1, 2, 3].map((k) => lo + ((hi - lo) * k) / 3);
  const every = Math.ceil(periods.length / 6);

  const line = (pts: TrendPoint[]) => {
    let d = '';
    let pen = false;
    pts.forEach((p, i) => {
      if (p.value === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
      pen = true;
    });
    return d;
  };
  const band = (pts: TrendPoint[]) => {
    const ok = pts.map((p, i) => ({ p, i })).filter(({ p }) => p.ciLow !== null && p.ciHigh !== null);
    if (ok.length < 2) return '';
    const top = ok.map(({ p, i }) => `${x(i).toFixed(1)},${y(p.ciHigh as number).toFixed(1)}`);
    const bottom = ok.reverse().map(({ p, i }) => `${x(i).toFixed(1)},${y(p.ciLow as number).toFixed(1)}`);
    return [...top, ...bottom].join(' ');
  };
  const first = series[0] as Series;

  return (
    <div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={title}
        aria-describedby={tableId}
        data-testid="trend-chart"
      >
        {ticks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#dee2e6" strokeWidth={1} />
            <text x={PAD.left - 6} y={y(v) + 4} fontSize={11} textAnchor="end" fill="#495057">
              {formatScore(v, { ...display, decimals: display.unit === 'percent' ? 0 : 1 }, lang)}
            </text>
          </g>
        ))}
        {periods.map((p, i) =>
          i % every === 0 || i === periods.length - 1 ? (
            <text key={p} x={x(i)} y={H - 8} fontSize={11} textAnchor="middle" fill="#495057">
              {axisLabel(p, lang)}
            </text>
          ) : null,
        )}
        <polygon points={band(first.points)} fill={first.color} opacity={0.15} />
        {series.map((s) => (
          <g key={s.label}>
            <path
              d={line(s.points)}
              fill="none"
              stroke={s.color}
              strokeWidth={2.5}
              strokeDasharray={s.dashed ? '6 4' : undefined}
            />
            {s.points.map((p, i) =>
              p.value === null ? null : <circle key={p.period} cx={x(i)} cy={y(p.value)} r={3.5} fill={s.color} />,
            )}
          </g>
        ))}
      </svg>
      <Group gap="md" mt={4}>
        {series.map((s) => (
          <Group key={s.label} gap={6} wrap="nowrap">
            <svg width="22" height="8" aria-hidden="true">
              <line
                x1="0"
                x2="22"
                y1="4"
                y2="4"
                stroke={s.color}
                strokeWidth="3"
                strokeDasharray={s.dashed ? '5 3' : undefined}
              />
            </svg>
            <Text size="xs">{s.label}</Text>
          </Group>
        ))}
        <Text size="xs" c="dimmed">
          {t('scores.bandLegend')}
        </Text>
      </Group>
      <VisuallyHidden>
        <table id={tableId}>
          <caption>{title}</caption>
          <thead>
            <tr>
              <th>{t('scores.period')}</th>
              {series.map((s) => (
                <th key={s.label}>{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {periods.map((p, i) => (
              <tr key={p}>
                <td>{p}</td>
                {series.map((s) => {
                  const pt = s.points[i];
                  return (
                    <td key={s.label}>
                      {pt && pt.value !== null ? `${formatScore(pt.value, display, lang)} (n = ${pt.n})` : '—'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </div>
  );
}
