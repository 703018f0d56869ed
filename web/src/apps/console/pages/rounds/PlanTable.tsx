// The plan of a round per unit: records of the months, each reason a record
// left the frame, eligible, target, drawn, strata, and why a unit falls short.
import { Alert, Badge, Code, List, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../../../shared/format';
import { ScrollTable } from '../../components/ScrollTable';
import { type Design, EXCLUSIONS, mainExclusions, planTotals, type Shortfall, type UnitPlan } from './model';

export function PlanTable({ plan, design }: { plan: UnitPlan[]; design: Design }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const totals = planTotals(plan);
  const short = plan.filter((p) => p.shortfall);
  // Strata get a column only when some unit is large enough to be split by procedure field.
  const split = plan.some((p) => p.strata.some((x) => x.key));
  return (
    <Stack gap="sm">
      {short.length > 0 && (
        <Alert
          color="orange"
          variant="light"
          title={t('rounds.plan.shortTitle', { count: short.length })}
          styles={{ title: { color: 'var(--mantine-color-dark-7)' } }}
          data-testid="plan-short"
        >
          <Text size="sm">{t('rounds.plan.shortIntro', { floor: n(design.floor) })}</Text>
        </Alert>
      )}
      <ScrollTable minWidth={split ? 1100 : 940} label={t('rounds.tabs.plan')}>
        <Table
          striped
          withTableBorder
          withColumnBorders
          verticalSpacing="xs"
          fz="sm"
          data-testid="plan-table"
          style={{ fontVariantNumeric: 'tabular-nums' }}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th rowSpan={2} miw={200}>
                {t('rounds.plan.unit')}
              </Table.Th>
              <Table.Th rowSpan={2} ta="right">
                {t('rounds.plan.records')}
              </Table.Th>
              <Table.Th colSpan={EXCLUSIONS.length} ta="center">
                {t('rounds.plan.excluded')}
              </Table.Th>
              <Table.Th rowSpan={2} ta="right">
                {t('rounds.plan.eligible')}
              </Table.Th>
              <Table.Th rowSpan={2} ta="right">
                {t('rounds.plan.target')}
              </Table.Th>
              <Table.Th rowSpan={2} ta="right">
                {t('rounds.plan.drawn')}
              </Table.Th>
              {split && (
                <Table.Th rowSpan={2} miw={160}>
                  {t('rounds.plan.strata')}
                </Table.Th>
              )}
            </Table.Tr>
            <Table.Tr>
              {EXCLUSIONS.map((e) => (
                <Table.Th key={e} ta="right" fw={500} fz="xs" maw={90} style={{ verticalAlign: 'bottom' }}>
                  {t(`rounds.exclusion.${e}`)}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={EXCLUSIONS.length + (split ? 6 : 5)}>
                  <Text size="sm" c="dimmed">
                    {t('rounds.plan.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {plan.map((p) => (
              <Table.Tr
                key={p.unit.code}
                data-testid="plan-row"
                data-unit={p.unit.code}
                data-shortfall={p.shortfall ?? undefined}
                bg={p.shortfall ? 'red.0' : undefined}
              >
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <Text size="sm" fw={500}>
                      {p.unit.name}
                    </Text>
                    <Code>{p.unit.code}</Code>
                    {p.shortfall && <ShortfallNote plan={p} shortfall={p.shortfall} design={design} />}
                  </Stack>
                </Table.Td>
                <Table.Td ta="right">{n(p.records)}</Table.Td>
                {EXCLUSIONS.map((e) => (
                  <Table.Td
                    key={e}
                    ta="right"
                    c={p.excluded[e] ? undefined : 'dimmed'}
                    data-testid={`excluded-${e}`}
                    data-count={p.excluded[e] ?? 0}
                  >
                    {n(p.excluded[e] ?? 0)}
                  </Table.Td>
                ))}
                <Table.Td ta="right" fw={600} data-testid="plan-eligible">
                  {n(p.eligible)}
                </Table.Td>
                <Table.Td ta="right" data-testid="plan-target">
                  {n(p.target)}
                </Table.Td>
                <Table.Td ta="right" fw={600} data-testid="plan-drawn">
                  {n(p.drawn)}
                </Table.Td>
                {split && (
                  <Table.Td>
                    <Strata plan={p} />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
          {plan.length > 1 && (
            <Table.Tfoot>
              <Table.Tr fw={600} data-testid="plan-total">
                <Table.Td>{t('rounds.plan.total')}</Table.Td>
                <Table.Td ta="right">{n(totals.records)}</Table.Td>
                {EXCLUSIONS.map((e) => (
                  <Table.Td key={e} ta="right">
                    {n(totals.excluded[e])}
                  </Table.Td>
                ))}
                <Table.Td ta="right">{n(totals.eligible)}</Table.Td>
                <Table.Td ta="right">{n(totals.target)}</Table.Td>
                <Table.Td ta="right">{n(totals.drawn)}</Table.Td>
                {split && <Table.Td />}
              </Table.Tr>
            </Table.Tfoot>
          )}
        </Table>
      </ScrollTable>
      <Text size="xs" c="dimmed">
        {t('rounds.plan.rules')} {split ? '' : t('rounds.plan.noneSplit', { above: n(design.splitAbove) })}
      </Text>
    </Stack>
  );
}

/** The warning of a unit that cannot reach its target, with the reasons that cost it most. */
function ShortfallNote({ plan: p, shortfall, design }: { plan: UnitPlan; shortfall: Shortfall; design: Design }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const reasons = mainExclusions(p).slice(0, 3);
  return (
    <Stack gap={4} data-testid="plan-shortfall">
      <Badge color="red.9" variant="filled" style={{ minWidth: 'max-content' }}>
        ⚠ {t(`rounds.shortfall.${shortfall}.badge`)}
      </Badge>
      <Text size="xs" c="red.9" maw={300}>
        {t(`rounds.shortfall.${shortfall}.why`, { eligible: n(p.eligible), floor: n(design.floor), records: n(p.records) })}
      </Text>
      {shortfall === 'too_few' && reasons.length > 0 && (
        <List size="xs" c="red.9" spacing={0} withPadding>
          {reasons.map((r) => (
            <List.Item key={r.reason}>
              {t(`rounds.exclusion.${r.reason}`)}: {n(r.count)}
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

function Strata({ plan: p }: { plan: UnitPlan }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  // One stratum without a key: the unit is not split.
  if (p.strata.length <= 1 && !p.strata[0]?.key) {
    return (
      <Text size="xs" c="dimmed">
        {t('rounds.plan.notSplit')}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      {p.strata.map((s) => (
        <Text key={s.key} size="xs">
          {s.key || t('rounds.plan.noField')}: {t('rounds.plan.stratum', { eligible: n(s.eligible), target: n(s.target) })}
        </Text>
      ))}
    </Stack>
  );
}
