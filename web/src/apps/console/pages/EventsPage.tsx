import {
  Alert,
  Badge,
  Button,
  Code,
  Drawer,
  Group,
  Loader,
  Pagination,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Timeline,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatInstant } from '../../../shared/format';
import {
  EVENT_KINDS,
  EVENT_STATUSES,
  type EventKind,
  type EventPage,
  type EventStatus,
  type ServiceEvent,
  type ServiceEventDetail,
  type Timeliness,
} from '../../../shared/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { MonthSelect, serviceUnits, toUnitCode, UnitSelect, WHOLE_TENANT } from '../components/selects';
import { can, useSession } from '../session';
import { useUnits } from './UnitsPage';

const EVENTS_KEY = ['events'] as const;
const PAGE_SIZE = 50;
/** Select value for "no filter". */
const ANY = '*';

interface Filters {
  unit: string;
  period: string;
  kind: EventKind | '';
  status: EventStatus | '';
  late: boolean;
}

const TIMELINESS_COLOR: Record<Timeliness, string> = {
  early: 'green',
  on_time: 'green',
  late: 'red',
  overdue: 'red',
  pending: 'gray',
  unknown: 'gray',
};

export function TimelinessBadge({ value }: { value: Timeliness }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={TIMELINESS_COLOR[value]}
      variant={value === 'unknown' ? 'outline' : 'light'}
      data-testid="timeliness"
      data-value={value}
      style={{ minWidth: 'max-content' }}
    >
      {t(`event.timeliness.${value}`)}
    </Badge>
  );
}

function queryString(f: Filters, page: number): string {
  const q = new URLSearchParams();
  const unit = toUnitCode(f.unit);
  if (unit) q.set('unit', unit);
  if (f.period) q.set('period', f.period);
  if (f.kind) q.set('kind', f.kind);
  if (f.status) q.set('status', f.status);
  if (f.late) q.set('late', 'true');
  q.set('limit', String(PAGE_SIZE));
  q.set('offset', String((page - 1) * PAGE_SIZE));
  return q.toString();
}

export function EventsPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const units = useUnits(can(me, 'units.read'));
  const [filters, setFilters] = useState<Filters>({ unit: WHOLE_TENANT, period: '', kind: '', status: '', late: false });
  const [page, setPage] = useState(1);
  const [opened, setOpened] = useState<ServiceEvent | null>(null);

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => {
    setFilters((f) => ({ ...f, [key]: value }));
    setPage(1);
  };

  const events = useQuery({
    queryKey: [...EVENTS_KEY, filters, page],
    queryFn: ({ signal }) => api.get<EventPage>(`/api/v1/events?${queryString(filters, page)}`, signal),
    placeholderData: keepPreviousData,
  });
  const pages = events.data ? Math.max(1, Math.ceil(events.data.total / PAGE_SIZE)) : 1;
  const date = (iso: string | null) => (iso ? formatInstant(iso, i18n.language, tz) : t('common.none'));

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('events.title')}
      </Title>

      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" data-testid="events-filters">
        <UnitSelect
          label={t('events.unit')}
          units={serviceUnits(units.data ?? [])}
          value={filters.unit}
          onChange={(v) => set('unit', v)}
          data-testid="events-unit"
        />
        <MonthSelect
          label={t('events.month')}
          timeZone={tz}
          value={filters.period}
          onChange={(v) => set('period', v)}
          allLabel={t('events.allMonths')}
          data-testid="events-month"
        />
        <Select
          label={t('events.kind')}
          allowDeselect={false}
          value={filters.kind || ANY}
          onChange={(v) => set('kind', v && v !== ANY ? (v as EventKind) : '')}
          data={[{ value: ANY, label: t('common.all') }, ...EVENT_KINDS.map((k) => ({ value: k, label: t(`event.kind.${k}`) }))]}
          data-testid="events-kind"
        />
        <Select
          label={t('events.status')}
          allowDeselect={false}
          value={filters.status || ANY}
          onChange={(v) => set('status', v && v !== ANY ? (v as EventStatus) : '')}
          data={[
            { value: ANY, label: t('common.all') },
            ...EVENT_STATUSES.map((s) => ({ value: s, label: t(`event.status.${s}`) })),
          ]}
          data-testid="events-status"
        />
      </SimpleGrid>
      <Group justify="space-between" gap="xs">
        <Switch
          label={t('events.lateOnly')}
          checked={filters.late}
          onChange={(e) => set('late', e.currentTarget.checked)}
          data-testid="events-late"
        />
        {events.data && (
          <Text size="sm" c="dimmed" data-testid="events-total" aria-live="polite">
            {t('events.total', { count: events.data.total })}
          </Text>
        )}
      </Group>

      {events.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={events.error} onRetry={() => void events.refetch()} />

      {events.data && (
        <Table.ScrollContainer minWidth={940}>
          <Table
            striped
            highlightOnHover
            verticalSpacing="xs"
            fz="sm"
            data-testid="events-table"
            style={{ opacity: events.isPlaceholderData ? 0.6 : 1 }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('events.externalId')}</Table.Th>
                <Table.Th>{t('events.unit')}</Table.Th>
                <Table.Th>{t('events.kind')}</Table.Th>
                <Table.Th>{t('events.receivedAt')}</Table.Th>
                <Table.Th>{t('events.dueAt')}</Table.Th>
                <Table.Th>{t('events.returnedAt')}</Table.Th>
                <Table.Th>{t('events.status')}</Table.Th>
                <Table.Th>{t('events.timeliness')}</Table.Th>
                <Table.Th>{t('events.phone')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text c="dimmed" size="sm">
                      {t('events.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {events.data.items.map((e) => (
                <Table.Tr
                  key={e.id}
                  data-testid="events-row"
                  data-id={e.id}
                  data-external-id={e.externalId}
                  onClick={() => setOpened(e)}
                  style={{ cursor: 'pointer' }}
                >
                  <Table.Td>
                    <UnstyledButton
                      onClick={(ev) => {
                        ev.stopPropagation();
                        setOpened(e);
                      }}
                      aria-label={t('events.open', { code: e.externalId })}
                      ff="monospace"
                      fz="sm"
                      c="blue.8"
                      style={{ whiteSpace: 'nowrap' }}
                    >
                      {e.externalId}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    <Code style={{ whiteSpace: 'nowrap' }}>{e.unit}</Code>
                  </Table.Td>
                  <Table.Td>{t(`event.kind.${e.kind}`)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{date(e.receivedAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{date(e.dueAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{date(e.returnedAt)}</Table.Td>
                  <Table.Td>{t(`event.status.${e.status}`)}</Table.Td>
                  <Table.Td>
                    <TimelinessBadge value={e.timeliness} />
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }} ff="monospace" data-testid="events-phone">
                    {e.phoneMasked ?? t('common.none')}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {pages > 1 && (
        <Pagination
          value={page}
          onChange={setPage}
          total={pages}
          siblings={1}
          boundaries={1}
          size="sm"
          aria-label={t('events.page')}
          data-testid="events-pagination"
        />
      )}

      <Drawer
        opened={opened !== null}
        onClose={() => setOpened(null)}
        position="right"
        size="lg"
        title={opened ? t('events.detailTitle', { code: opened.externalId }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
        styles={{ content: { maxWidth: '100vw' } }}
      >
        {opened && <EventDetail key={opened.id} id={opened.id} />}
      </Drawer>
    </Stack>
  );
}

function EventDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const narrow = useMediaQuery('(max-width: 36em)');
  const detail = useQuery({
    queryKey: [...EVENTS_KEY, 'detail', id],
    queryFn: ({ signal }) => api.get<ServiceEventDetail>(`/api/v1/events/${encodeURIComponent(id)}`, signal),
  });
  // The full number is never cached: it lives in this mutation until the drawer closes.
  const reveal = useMutation({
    mutationFn: () => api.post<{ phone: string | null }>(`/api/v1/events/${encodeURIComponent(id)}/reveal-phone`),
  });

  if (detail.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  if (detail.error) return <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />;
  const e = detail.data;
  const when = (iso: string | null) => (iso ? formatInstant(iso, i18n.language, tz) : t('common.none'));
  const yesNo = (v: boolean | null) => (v === null ? t('common.none') : v ? t('common.yes') : t('common.no'));

  const rows: [string, ReactNode][] = [
    [t('events.externalId'), <Code key="id">{e.externalId}</Code>],
    [
      t('events.unit'),
      <>
        {e.unitName} <Code style={{ whiteSpace: 'nowrap' }}>{e.unit}</Code>
      </>,
    ],
    [t('events.kind'), t(`event.kind.${e.kind}`)],
    [t('events.service'), e.service ?? t('common.none')],
    ...(e.department ? ([[t('events.department'), e.department]] as [string, ReactNode][]) : []),
    [t('events.channel'), e.channel ? t(`event.channel.${e.channel}`) : t('common.none')],
    [t('events.receivedAt'), when(e.receivedAt)],
    [t('events.dueAt'), when(e.dueAt)],
    ...(e.promisedAt ? ([[t('events.promisedAt'), when(e.promisedAt)]] as [string, ReactNode][]) : []),
    [t('events.returnedAt'), when(e.returnedAt)],
    [t('events.status'), t(`event.status.${e.status}`)],
    [t('events.timeliness'), <TimelinessBadge key="tl" value={e.timeliness} />],
    [t('events.name'), e.name ?? t('common.none')],
    [t('events.gender'), e.gender ? t(`event.gender.${e.gender}`) : t('common.none')],
    [t('events.ethnicMinority'), yesNo(e.ethnicMinority)],
    [t('events.source'), t(`event.source.${e.source}`)],
  ];

  return (
    <Stack data-testid="event-detail" data-id={e.id}>
      <SimpleGrid cols={narrow ? 1 : 2} spacing={4} verticalSpacing={narrow ? 4 : 'xs'} component="dl" m={0}>
        {rows.map(([label, value]) => (
          <Stack key={label} gap={0}>
            <Text component="dt" size="xs" c="dimmed">
              {label}
            </Text>
            <Text component="dd" size="sm" m={0} style={{ wordBreak: 'break-word' }}>
              {value}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>

      <Stack gap={6}>
        <Text size="xs" c="dimmed">
          {t('events.phone')}
        </Text>
        <Group gap="sm">
          <Text ff="monospace" size="lg" data-testid="event-phone">
            {reveal.data?.phone ?? e.phoneMasked ?? t('events.noPhone')}
          </Text>
          {e.phoneKind === 'landline' && (
            <Badge variant="outline" color="gray">
              {t('events.landline')}
            </Badge>
          )}
          {can(me, 'events.reveal_phone') && e.phoneMasked && !reveal.data && (
            <Button
              size="xs"
              variant="light"
              color="orange"
              onClick={() => reveal.mutate()}
              loading={reveal.isPending}
              data-testid="reveal-phone"
            >
              {t('events.reveal')}
            </Button>
          )}
        </Group>
        {reveal.data && (
          <Alert color="orange" variant="light" data-testid="reveal-note">
            {t('events.revealedNote')}
          </Alert>
        )}
        <ErrorAlert error={reveal.error} />
      </Stack>

      <Stack gap="xs">
        <Text fw={600} size="sm">
          {t('events.history')}
        </Text>
        {e.history.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('events.historyEmpty')}
          </Text>
        ) : (
          <Timeline active={e.history.length - 1} bulletSize={14} lineWidth={2} data-testid="event-history">
            {e.history.map((h, i) => (
              <Timeline.Item
                // biome-ignore lint/suspicious/noArrayIndexKey: the history is append-only
                key={i}
                title={t(`event.status.${h.status}`)}
              >
                <Text size="xs" c="dimmed">
                  {formatInstant(h.at, i18n.language, tz)}
                  {h.promisedAt
                    ? ` · ${t('events.promisedUntil', { date: formatInstant(h.promisedAt, i18n.language, tz) })}`
                    : ''}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </Stack>
    </Stack>
  );
}
