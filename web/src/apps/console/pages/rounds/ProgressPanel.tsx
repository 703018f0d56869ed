// Progress of a published round: headline figures with completion and
// cooperation apart, dispositions and rates per unit with the totals, the
// breakdown by gender and ethnic-minority status, and what each rate means.
import { Code, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../../shared/format';
import { ScrollTable } from '../../components/ScrollTable';
import { DISPOSITION_COLUMNS, type Dispositions, RATES, type RoundDetail } from './model';
import { formatRate, RateCell, RateDefinitions } from './parts';

/** The server's group keys and their labels, in the order shown. */
const GROUP_ORDER = [
  ['gender:female', 'rounds.group.gender.female'],
  ['gender:male', 'rounds.group.gender.male'],
  ['gender:other', 'rounds.group.gender.other'],
  ['gender:unknown', 'rounds.group.gender.unknown'],
  ['ethnicMinority:yes', 'rounds.group.ethnicMinority.yes'],
  ['ethnicMinority:no', 'rounds.group.ethnicMinority.no'],
  ['ethnicMinority:unknown', 'rounds.group.ethnicMinority.unknown'],
] as const;

export function ProgressPanel({ round }: { round: RoundDetail }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const total = round.total;
  const unitRows: Row[] = round.plan
    .filter((p) => p.progress.sampled > 0)
    .map((p) => ({
      key: p.unit.code,
      label: (
        <Stack gap={2} align="flex-start">
          <Text size="sm">{p.unit.name}</Text>
          <Code>{p.unit.code}</Code>
        </Stack>
      ),
      d: p.progress,
    }));
  const groups = GROUP_ORDER.filter(([k]) => round.groups[k]).map(([k, label]) => ({
    k,
    label,
    d: round.groups[k] as Dispositions,
  }));
  const figure = (label: string, value: string, sub: string | null, testId: string) => (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="xl" fw={700} data-testid="figure-value">
        {value}
      </Text>
      {sub && (
        <Text size="xs" c="dimmed">
          {sub}
        </Text>
      )}
    </Paper>
  );
  const fraction = (k: (typeof RATES)[number]) =>
    t('rounds.rates.fraction', { numerator: n(total.rates[k].numerator), denominator: n(total.rates[k].denominator) });

  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
        {figure(t('rounds.progress.sampled'), n(total.sampled), null, 'figure-sampled')}
        {figure(t('rounds.progress.completed'), n(total.completed), null, 'figure-completed')}
        {figure(t('rounds.progress.open'), n(total.pending + total.callback), null, 'figure-open')}
        {figure(
          t('rounds.rates.completion'),
          formatRate(total.rates.completion, lang),
          fraction('completion'),
          'figure-completion',
        )}
        {figure(
          t('rounds.rates.cooperation'),
          formatRate(total.rates.cooperation, lang),
          fraction('cooperation'),
          'figure-cooperation',
        )}
        {figure(t('rounds.rates.response'), formatRate(total.rates.response, lang), fraction('response'), 'figure-response')}
      </SimpleGrid>

      <RateDefinitions />

      <Title order={2} size="h4">
        {t('rounds.progress.ratesByUnit')}
      </Title>
      <RatesTable
        rows={unitRows}
        total={total}
        first={t('rounds.plan.unit')}
        label={t('rounds.progress.ratesByUnit')}
        testId="rates-table"
      />

      <Title order={2} size="h4">
        {t('rounds.progress.byUnit')}
      </Title>
      <DispositionTable rows={unitRows} total={total} testId="progress-table" label={t('rounds.progress.byUnit')} />

      <Title order={2} size="h4">
        {t('rounds.progress.byGroup')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('rounds.progress.byGroupIntro')}
      </Text>
      <RatesTable
        rows={groups.map(({ k, label, d }) => ({ key: k, label: <Text size="sm">{t(label)}</Text>, d }))}
        first={t('rounds.progress.group')}
        label={t('rounds.progress.byGroup')}
        testId="groups-table"
      />
    </Stack>
  );
}

type Row = { key: string; label: ReactNode; d: Dispositions };

/** Sampled, completed and the five rates of each row; completion and cooperation in bold. */
function RatesTable({
  rows,
  total,
  first,
  label,
  testId,
}: {
  rows: Row[];
  total?: Dispositions;
  first: string;
  label: string;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const cells = (d: Dispositions) => (
    <>
      <Table.Td ta="right" data-col="sampled">
        {n(d.sampled)}
      </Table.Td>
      <Table.Td ta="right" data-col="completed">
        {n(d.completed)}
      </Table.Td>
      {RATES.map((r) => (
        <RateCell key={r} rate={d.rates[r]} strong={r === 'completion' || r === 'cooperation'} />
      ))}
    </>
  );
  return (
    <ScrollTable minWidth={760} label={label}>
      <Table
        striped
        withTableBorder
        verticalSpacing="xs"
        fz="sm"
        data-testid={testId}
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={200}>{first}</Table.Th>
            <Table.Th ta="right">{t('rounds.disposition.sampled')}</Table.Th>
            <Table.Th ta="right">{t('rounds.disposition.completed')}</Table.Th>
            {RATES.map((r) => (
              <Table.Th key={r} ta="right">
                {t(`rounds.rates.${r}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <RowsAndTotal rows={rows} total={total} testId={testId} colSpan={3 + RATES.length} cells={cells} />
      </Table>
    </ScrollTable>
  );
}

function DispositionTable({ rows, total, testId, label }: { rows: Row[]; total?: Dispositions; testId: string; label: string }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const cells = (d: Dispositions) => (
    <>
      {DISPOSITION_COLUMNS.map((c) => (
        <Table.Td key={c} ta="right" c={d[c] ? undefined : 'dimmed'} data-col={c}>
          {n(d[c])}
        </Table.Td>
      ))}
    </>
  );
  return (
    <ScrollTable minWidth={980} label={label}>
      <Table
        striped
        withTableBorder
        verticalSpacing="xs"
        fz="sm"
        data-testid={testId}
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={200}>{t('rounds.plan.unit')}</Table.Th>
            {DISPOSITION_COLUMNS.map((c) => (
              <Table.Th key={c} ta="right" fz="xs" fw={500} style={{ verticalAlign: 'bottom' }}>
                {t(`rounds.disposition.${c}`)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <RowsAndTotal rows={rows} total={total} testId={testId} colSpan={1 + DISPOSITION_COLUMNS.length} cells={cells} />
      </Table>
    </ScrollTable>
  );
}

/** The rows of a progress table, a line when there are none, and the total. */
function RowsAndTotal({
  rows,
  total,
  testId,
  colSpan,
  cells,
}: {
  rows: Row[];
  total?: Dispositions;
  testId: string;
  colSpan: number;
  cells: (d: Dispositions) => ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Tbody>
        {rows.length === 0 && (
          <Table.Tr>
            <Table.Td colSpan={colSpan}>
              <Text size="sm" c="dimmed">
                {t('rounds.progress.empty')}
              </Text>
            </Table.Td>
          </Table.Tr>
        )}
        {rows.map((r) => (
          <Table.Tr key={r.key} data-testid={`${testId}-row`} data-key={r.key}>
            <Table.Td>{r.label}</Table.Td>
            {cells(r.d)}
          </Table.Tr>
        ))}
      </Table.Tbody>
      {total && (
        <Table.Tfoot>
          <Table.Tr fw={600} data-testid={`${testId}-total`}>
            <Table.Td>{t('rounds.plan.total')}</Table.Td>
            {cells(total)}
          </Table.Tr>
        </Table.Tfoot>
      )}
    </>
  );
}
