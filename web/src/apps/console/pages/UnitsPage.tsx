import { ActionIcon, Badge, Box, Button, Code, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { memo, useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatDate, todayIn } from '../../../shared/format';
import { matchesQuery } from '../../../shared/normalize';
import type { Unit } from '../../../shared/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { UnitImport } from '../components/UnitImport';
import { can, useSession } from '../session';
import { ancestorNames, indexUnits, treeRows } from '../unitTree';
import { SurveyQrModal } from './instruments/SurveyQrModal';

export const UNITS_KEY = ['units'] as const;

export function useUnits(enabled = true) {
  return useQuery({
    queryKey: UNITS_KEY,
    queryFn: ({ signal }) => api.get<Unit[]>('/api/v1/units', signal),
    enabled,
  });
}

export function UnitsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const units = useUnits();
  const [query, setQuery] = useState('');
  const debounced = useDeferredValue(query);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [qrUnit, setQrUnit] = useState<Unit | null>(null);
  const canQr = can(me, 'surveys.links');

  const index = useMemo(() => indexUnits(units.data ?? []), [units.data]);
  const today = todayIn(me.tenant.timeZone);
  const searching = debounced.trim() !== '';

  const rows = useMemo(() => {
    if (!searching) return treeRows(index, collapsed).map((r) => ({ ...r, path: null as string | null }));
    return (units.data ?? [])
      .filter((u) => matchesQuery(debounced, index.keys.get(u.code) ?? ''))
      .map((unit) => ({ unit, depth: 0, hasChildren: false, path: ancestorNames(index, unit).join(' › ') || null }));
  }, [searching, index, collapsed, units.data, debounced]);

  const toggle = (code: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(code)) next.delete(code);
      else next.add(code);
      return next;
    });
  const collapseAll = () => setCollapsed(new Set([...index.children.keys()].filter((k): k is string => k !== null)));

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('units.title')}
      </Title>
      {can(me, 'units.write') && <UnitImport />}

      <TextInput
        data-testid="unit-search"
        type="search"
        aria-label={t('units.searchLabel')}
        placeholder={t('units.searchPlaceholder')}
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        autoComplete="off"
        spellCheck={false}
      />

      {units.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />

      {units.data && (
        <>
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed" data-testid="unit-count" aria-live="polite">
              {searching ? t('units.matches', { count: rows.length }) : t('units.count', { count: units.data.length })}
            </Text>
            {!searching && index.children.size > 1 && (
              <Group gap="xs">
                <Button size="compact-xs" variant="subtle" onClick={() => setCollapsed(new Set())}>
                  {t('units.expandAll')}
                </Button>
                <Button size="compact-xs" variant="subtle" onClick={collapseAll}>
                  {t('units.collapseAll')}
                </Button>
              </Group>
            )}
          </Group>
          <Paper withBorder radius="md">
            {rows.length === 0 ? (
              <Text p="md" c="dimmed" size="sm">
                {searching ? t('units.noMatch', { query: debounced.trim() }) : t('units.empty')}
              </Text>
            ) : (
              <Box component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
                {rows.map((r) => (
                  <UnitRow
                    key={r.unit.code}
                    unit={r.unit}
                    depth={r.depth}
                    path={r.path}
                    expandable={r.hasChildren}
                    expanded={!collapsed.has(r.unit.code)}
                    onToggle={toggle}
                    today={today}
                    tree={!searching}
                    onQr={canQr ? setQrUnit : undefined}
                  />
                ))}
              </Box>
            )}
          </Paper>
        </>
      )}
      <SurveyQrModal unit={qrUnit} onClose={() => setQrUnit(null)} />
    </Stack>
  );
}

interface UnitRowProps {
  unit: Unit;
  depth: number;
  path: string | null;
  expandable: boolean;
  expanded: boolean;
  onToggle: (code: string) => void;
  today: string;
  tree: boolean;
  /** opens the unit's QR survey (units that serve citizens, when allowed) */
  onQr?: (unit: Unit) => void;
}

const UnitRow = memo(function UnitRow({ unit, depth, path, expandable, expanded, onToggle, today, tree, onQr }: UnitRowProps) {
  const { t, i18n } = useTranslation();
  // validTo is the last day the unit existed.
  const closed = unit.validTo !== null && unit.validTo < today;
  const closing = unit.validTo !== null && !closed;
  const notYet = unit.validFrom > today;
  return (
    <Box
      component="li"
      data-testid="unit-row"
      data-code={unit.code}
      data-closed={closed ? 'true' : undefined}
      py={6}
      pr="sm"
      style={{
        paddingLeft: `calc(var(--mantine-spacing-xs) + ${depth} * min(1.5rem, 5vw))`,
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        opacity: closed ? 0.6 : 1,
      }}
    >
      <Group gap={6} wrap="nowrap" align="flex-start">
        {tree &&
          (expandable ? (
            <ActionIcon
              variant="subtle"
              size="sm"
              color="gray"
              onClick={() => onToggle(unit.code)}
              aria-expanded={expanded}
              aria-label={t(expanded ? 'units.collapse' : 'units.expand', { name: unit.name })}
            >
              <span aria-hidden>{expanded ? '▾' : '▸'}</span>
            </ActionIcon>
          ) : (
            <Box w={22} style={{ flexShrink: 0 }} />
          ))}
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          {path && (
            <Text size="xs" c="dimmed" data-testid="unit-path">
              {path}
            </Text>
          )}
          <Group gap={6} wrap="wrap">
            <Text fw={depth === 0 ? 600 : 500} c={closed ? 'dimmed' : undefined}>
              {unit.name}
            </Text>
            <Code>{unit.code}</Code>
            <Badge size="sm" variant="light" color={closed ? 'gray' : 'blue'}>
              {t(`unit.kind.${unit.kind}`)}
            </Badge>
            {unit.sector && (
              <Badge size="sm" variant="outline" color={closed ? 'gray' : unit.sector === 'health' ? 'teal.9' : 'indigo'}>
                {t(`unit.sector.${unit.sector}`)}
              </Badge>
            )}
            {unit.kiosks > 0 && (
              <Badge size="sm" variant="default">
                {t('units.kiosks', { count: unit.kiosks })}
              </Badge>
            )}
            {unit.validTo !== null && (
              <Text size="xs" c={closed ? 'dimmed' : 'orange.8'} data-testid="unit-validity">
                {t(closing ? 'units.closingFrom' : 'units.closedSince', { date: formatDate(unit.validTo, i18n.language) })}
                {unit.successorCode && <> · {t('units.successor', { code: unit.successorCode })}</>}
              </Text>
            )}
            {notYet && (
              <Text size="xs" c="dimmed">
                {t('units.notYetValid', { date: formatDate(unit.validFrom, i18n.language) })}
              </Text>
            )}
          </Group>
        </Stack>
        {onQr && unit.sector !== null && !closed && (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={() => onQr(unit)}
            aria-label={t('instruments.qr.openFor', { name: unit.name })}
            data-testid="unit-qr"
            style={{ flexShrink: 0 }}
          >
            {t('instruments.qr.button')}
          </Button>
        )}
      </Group>
    </Box>
  );
});
