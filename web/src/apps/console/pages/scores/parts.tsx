// Pieces the dashboard and the unit scorecard share: band badge, change, value with interval, filters.
import { Badge, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  type Band,
  type Display,
  formatInterval,
  formatScore,
  type IndexSummary,
  nameOf,
  type PeriodKind,
  periodChoices,
  type ScoreRow,
} from './model';

const BAND_COLOR: Record<Band, string> = { above: 'teal.9', around: 'gray.8', below: 'red.9' };
const BAND_ICON: Record<Band, string> = { above: '▲', around: '●', below: '▼' };

export function BandBadge({ band }: { band: Band | null }) {
  const { t } = useTranslation();
  if (!band) return null;
  return (
    <Badge color={BAND_COLOR[band]} variant="outline" style={{ minWidth: 'max-content' }} data-testid="band">
      {BAND_ICON[band]} {t(`scores.band.${band}`)}
    </Badge>
  );
}

export function Change({ row, display, higherIsBetter }: { row: ScoreRow; display: Display; higherIsBetter: boolean }) {
  const { t, i18n } = useTranslation();
  const p = row.previous;
  if (!p)
    return (
      <Text size="xs" c="dimmed">
        {t('scores.noPrevious')}
      </Text>
    );
  const sign = p.change > 0 ? '+' : p.change < 0 ? '−' : '±';
  const good = p.change === 0 ? null : p.change > 0 === higherIsBetter;
  const abs = formatScore(
    Math.abs(p.change),
    { ...display, unit: display.unit === 'percent' ? 'points' : display.unit },
    i18n.language,
  );
  return (
    <Text
      size="xs"
      c={p.significant ? (good ? 'teal.9' : 'red.9') : 'dimmed'}
      fw={p.significant ? 600 : undefined}
      data-testid="change"
      data-significant={p.significant ? 'true' : 'false'}
    >
      {sign}
      {abs}
      {display.unit === 'percent' ? ` ${t('scores.points')}` : ''} ·{' '}
      {p.significant ? t('scores.significant') : t('scores.notSignificant')}
    </Text>
  );
}

const SUPPRESSED_KEY = { no_answers: 'noAnswers', small_sample: 'smallSample', complementary: 'complementary' } as const;

export function Value({ row, display }: { row: ScoreRow; display: Display }) {
  const { t, i18n } = useTranslation();
  if (row.value === null)
    return (
      <Text size="sm" c="dimmed" data-testid="suppressed">
        {t(`scores.suppressed.${SUPPRESSED_KEY[row.suppressedReason ?? 'no_answers']}`)}
      </Text>
    );
  return (
    <Stack gap={0}>
      <Text fw={700} data-testid="value">
        {formatScore(row.value, display, i18n.language)}
      </Text>
      <Text size="xs" c="dimmed">
        {t('scores.interval', { range: formatInterval(row, display, i18n.language) })}
      </Text>
    </Stack>
  );
}

export type Filters = {
  index: string;
  kind: PeriodKind;
  period: string;
  channel: string | null;
  /** for indices of no sector (kiosk, SMS): which units to compare */
  sector?: 'administration' | 'health';
};

export function ScoreFilters({
  indices,
  value,
  onChange,
  timeZone,
  showIndex = true,
}: {
  indices: IndexSummary[];
  value: Filters;
  onChange: (f: Filters) => void;
  timeZone: string;
  showIndex?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const current = indices.find((x) => x.code === value.index);
  const groups = (['administration', 'health', null] as const)
    .map((s) => ({
      group: t(`scores.sector.${s ?? 'any'}`),
      items: indices.filter((x) => x.sector === s).map((x) => ({ value: x.code, label: nameOf(x, lang) })),
    }))
    .filter((g) => g.items.length);
  const periods = periodChoices(value.kind, timeZone, lang);
  return (
    <Group align="flex-end" gap="sm" wrap="wrap">
      {showIndex && (
        <Select
          label={t('scores.index')}
          data={groups}
          value={value.index}
          allowDeselect={false}
          searchable
          onChange={(v) => v && onChange({ ...value, index: v, channel: null })}
          w={{ base: '100%', sm: 380 }}
          data-testid="score-index"
        />
      )}
      <Stack gap={4}>
        <Text size="sm" fw={500} id="period-kind-label">
          {t('scores.periodKind')}
        </Text>
        <SegmentedControl
          aria-labelledby="period-kind-label"
          value={value.kind}
          onChange={(k) => {
            const kind = k as PeriodKind;
            onChange({ ...value, kind, period: periodChoices(kind, timeZone, lang)[0]?.value ?? value.period });
          }}
          data={(['month', 'quarter', 'year'] as const).map((k) => ({ value: k, label: t(`scores.kind.${k}`) }))}
          data-testid="score-period-kind"
        />
      </Stack>
      <Select
        label={t('scores.period')}
        data={periods}
        value={value.period}
        allowDeselect={false}
        onChange={(v) => v && onChange({ ...value, period: v })}
        w={{ base: '100%', xs: 200 }}
        data-testid="score-period"
      />
      {showIndex && current && current.sector === null && (
        <Select
          label={t('publication.sector')}
          data={(['administration', 'health'] as const).map((x) => ({ value: x, label: t(`scores.sector.${x}`) }))}
          value={value.sector ?? 'administration'}
          allowDeselect={false}
          onChange={(v) => v && onChange({ ...value, sector: v as 'administration' | 'health' })}
          w={{ base: '100%', xs: 200 }}
          data-testid="score-sector"
        />
      )}
      {showIndex && current && current.channels.length > 1 && (
        <Select
          label={t('scores.channel')}
          data={current.channels.map((c) => ({ value: c, label: t(`scores.channels.${c as 'phone'}`) }))}
          value={value.channel ?? current.channels[0] ?? null}
          allowDeselect={false}
          onChange={(v) => v && onChange({ ...value, channel: v })}
          w={{ base: '100%', xs: 220 }}
          data-testid="score-channel"
        />
      )}
    </Group>
  );
}
