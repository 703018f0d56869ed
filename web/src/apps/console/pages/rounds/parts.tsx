// Small pieces the round screens share: status badge, months, a rate with its
// fraction, and the short definitions of the rates.
import { Badge, Code, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatMonth, formatNumber, formatPercent } from '../../../../shared/format';
import { RATES, type Rate, type RoundStatus } from './model';

const STATUS_COLOR: Record<RoundStatus, string> = { draft: 'yellow', published: 'blue', closed: 'gray' };

export function RoundStatusBadge({ status }: { status: RoundStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={STATUS_COLOR[status]}
      variant="light"
      c={status === 'draft' ? 'dark.7' : undefined}
      style={{ minWidth: 'max-content' }}
      data-testid="round-status"
      data-status={status}
    >
      {t(`rounds.status.${status}`)}
    </Badge>
  );
}

export function useMonths() {
  const { i18n } = useTranslation();
  return (from: string, to: string) =>
    from === to ? formatMonth(from, i18n.language) : `${formatMonth(from, i18n.language)} – ${formatMonth(to, i18n.language)}`;
}

/** A rate as a percentage; its numerator and denominator on hover and for screen readers. */
export function RateCell({ rate, strong }: { rate: Rate; strong?: boolean }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  if (rate.value === null) {
    return (
      <Table.Td ta="right" c="dimmed">
        {t('common.none')}
      </Table.Td>
    );
  }
  return (
    <Table.Td
      ta="right"
      fw={strong ? 600 : undefined}
      title={t('rounds.rates.fraction', { numerator: n(rate.numerator), denominator: n(rate.denominator) })}
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatPercent(rate.value, i18n.language)}
    </Table.Td>
  );
}

export function formatRate(rate: Rate, lang: string): string {
  return rate.value === null ? '—' : formatPercent(rate.value, lang);
}

/** What each rate counts, after AAPOR's Standard Definitions. */
export function RateDefinitions() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0" data-testid="rate-definitions">
      <Stack gap={6}>
        <Title order={3} size="h5">
          {t('rounds.rates.definitionsTitle')}
        </Title>
        <List size="sm" spacing={4}>
          {RATES.map((r) => (
            <List.Item key={r}>
              <Text span size="sm" fw={600}>
                {t(`rounds.rates.${r}`)}
              </Text>
              {r === 'response' || r === 'cooperation' || r === 'contact' || r === 'refusal' ? (
                <>
                  {' '}
                  <Code>{t(`rounds.rates.aapor.${r}`)}</Code>
                </>
              ) : null}
              {' = '}
              <Text span size="sm">
                {t(`rounds.rates.definition.${r}`)}
              </Text>
            </List.Item>
          ))}
        </List>
        <Text size="xs" c="dimmed">
          {t('rounds.rates.note')}
        </Text>
      </Stack>
    </Paper>
  );
}
