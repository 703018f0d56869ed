// The message log: filters, masked numbers, status and delivery per message;
// a row opens the text as sent with its delivery reports; failed, uncertain
// and given-up messages can be queued again by an administrator.
import {
  Alert,
  Button,
  Checkbox,
  Code,
  Drawer,
  Group,
  Loader,
  Modal,
  Pagination,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api } from '../../../../shared/api';
import { formatNumber } from '../../../../shared/format';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ScrollTable } from '../../components/ScrollTable';
import { MonthSelect, serviceUnits, toUnitCode, UnitSelect, WHOLE_TENANT } from '../../components/selects';
import { can, queryClient, useSession } from '../../session';
import { useUnits } from '../UnitsPage';
import { useSmsT } from './i18n';
import {
  MESSAGE_STATUSES,
  MESSAGES_KEY,
  type MessageStatus,
  type Page,
  REPLAYABLE,
  type SmsMessage,
  type SmsMessageDetail,
  STATS_KEY,
  TEMPLATE_KINDS,
  type TemplateKind,
} from './model';
import { deliveryLabel, kindLabel, StatusBadge, skipLabel, useWhen } from './parts';

const PAGE = 50;
const ANY = '*';

type Filters = { status: MessageStatus | ''; kind: TemplateKind | ''; unit: string; period: string };

function queryString(f: Filters, page: number): string {
  const q = new URLSearchParams({ limit: String(PAGE), offset: String((page - 1) * PAGE) });
  if (f.status) q.set('status', f.status);
  if (f.kind) q.set('kind', f.kind);
  const unit = toUnitCode(f.unit);
  if (unit) q.set('unit', unit);
  if (f.period) q.set('period', f.period);
  return q.toString();
}

export function MessageLog({ canReplay }: { canReplay: boolean }) {
  const { t, tc, lang } = useSmsT();
  const me = useSession();
  const when = useWhen();
  const n = (v: number) => formatNumber(v, lang);
  const units = useUnits(can(me, 'units.read'));
  const [f, setF] = useState<Filters>({ status: '', kind: '', unit: WHOLE_TENANT, period: '' });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Map<string, MessageStatus>>(new Map());
  const [confirming, setConfirming] = useState(false);
  const [replayed, setReplayed] = useState<number | null>(null);
  const [opened, setOpened] = useState<SmsMessage | null>(null);
  const mobile = useMediaQuery('(max-width: 36em)');

  const list = useQuery({
    queryKey: [...MESSAGES_KEY, f, page],
    queryFn: ({ signal }) => api.get<Page<SmsMessage>>(`/api/v1/sms/messages?${queryString(f, page)}`, signal),
    placeholderData: keepPreviousData,
    // The dispatcher changes statuses by the second: come back to fresh rows.
    staleTime: 5_000,
  });
  const replay = useMutation({
    mutationFn: (ids: string[]) => api.post<{ replayed: number; ids: string[] }>('/api/v1/sms/messages/replay', { ids }),
    onSuccess: (r) => {
      setConfirming(false);
      setSelected(new Map());
      setReplayed(r.replayed);
      void queryClient.invalidateQueries({ queryKey: MESSAGES_KEY });
      void queryClient.invalidateQueries({ queryKey: STATS_KEY });
    },
  });
  const filter = (patch: Partial<Filters>) => {
    setF((x) => ({ ...x, ...patch }));
    setPage(1);
    setSelected(new Map());
  };
  const items = list.data?.items ?? [];
  const replayable = canReplay ? items.filter((m) => REPLAYABLE.has(m.status)) : [];
  const allOnPage = replayable.length > 0 && replayable.every((m) => selected.has(m.id));
  const toggle = (m: SmsMessage, on: boolean) =>
    setSelected((s) => {
      const next = new Map(s);
      if (on) next.set(m.id, m.status);
      else next.delete(m.id);
      return next;
    });
  const uncertain = [...selected.values()].filter((s) => s === 'uncertain').length;
  const closeReplay = () => {
    setConfirming(false);
    replay.reset();
  };
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE));
  const cols = 9 + (canReplay ? 1 : 0);

  return (
    <Stack>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" data-testid="sms-log-filters">
        <Select
          label={t('sms.log.status')}
          allowDeselect={false}
          value={f.status || ANY}
          onChange={(v) => filter({ status: v && v !== ANY ? (v as MessageStatus) : '' })}
          data={[
            { value: ANY, label: tc('common.all') },
            ...MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`sms.status.${s}`) })),
          ]}
          data-testid="sms-log-status"
        />
        <Select
          label={t('sms.log.kind')}
          allowDeselect={false}
          value={f.kind || ANY}
          onChange={(v) => filter({ kind: v && v !== ANY ? (v as TemplateKind) : '' })}
          data={[
            { value: ANY, label: tc('common.all') },
            ...TEMPLATE_KINDS.map((k) => ({ value: k, label: t(`sms.kind.${k}`) })),
          ]}
          data-testid="sms-log-kind"
        />
        <UnitSelect
          label={t('sms.log.unit')}
          units={serviceUnits(units.data ?? [])}
          value={f.unit}
          onChange={(v) => filter({ unit: v })}
          data-testid="sms-log-unit"
        />
        <MonthSelect
          label={t('sms.log.month')}
          timeZone={me.tenant.timeZone}
          value={f.period}
          onChange={(v) => filter({ period: v })}
          allLabel={t('sms.log.allMonths')}
          data-testid="sms-log-month"
        />
      </SimpleGrid>

      {canReplay && (
        <Paper withBorder p="xs" radius="md" data-testid="sms-replay-bar">
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              {selected.size ? t('sms.log.selected', { n: n(selected.size) }) : t('sms.log.replayHelp')}
            </Text>
            <Button size="xs" disabled={selected.size === 0} onClick={() => setConfirming(true)} data-testid="sms-replay">
              {t('sms.log.replay')}
            </Button>
          </Group>
        </Paper>
      )}
      {replayed !== null && (
        <Alert
          color="green"
          variant="light"
          withCloseButton
          closeButtonLabel={tc('common.close')}
          onClose={() => setReplayed(null)}
          data-testid="sms-replayed"
        >
          {t('sms.log.replayed', { count: replayed, n: n(replayed) })}
        </Alert>
      )}

      <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending && <Loader size="sm" aria-label={tc('app.loading')} />}
      {list.data && (
        <>
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed" data-testid="sms-log-total" aria-live="polite">
              {t('sms.log.total', { count: list.data.total, n: n(list.data.total) })}
            </Text>
            <Button
              size="compact-sm"
              variant="subtle"
              onClick={() => void list.refetch()}
              loading={list.isFetching}
              data-testid="sms-log-refresh"
            >
              {tc('common.refresh')}
            </Button>
          </Group>
          <ScrollTable minWidth={960} label={t('sms.tabs.log')}>
            <Table
              striped
              highlightOnHover
              verticalSpacing="xs"
              horizontalSpacing="xs"
              fz="sm"
              data-testid="sms-log-table"
              style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}
            >
              <Table.Thead>
                <Table.Tr>
                  {canReplay && (
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={t('sms.log.selectPage')}
                        checked={allOnPage}
                        indeterminate={!allOnPage && replayable.some((m) => selected.has(m.id))}
                        disabled={replayable.length === 0}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setSelected((s) => {
                            const next = new Map(s);
                            for (const m of replayable) {
                              if (on) next.set(m.id, m.status);
                              else next.delete(m.id);
                            }
                            return next;
                          });
                        }}
                        data-testid="sms-select-page"
                      />
                    </Table.Th>
                  )}
                  <Table.Th>{t('sms.log.time')}</Table.Th>
                  <Table.Th>{t('sms.log.kind')}</Table.Th>
                  <Table.Th>{t('sms.log.unit')}</Table.Th>
                  <Table.Th>{t('sms.log.dossier')}</Table.Th>
                  <Table.Th>{t('sms.log.phone')}</Table.Th>
                  <Table.Th>{t('sms.log.status')}</Table.Th>
                  <Table.Th>{t('sms.log.delivery')}</Table.Th>
                  <Table.Th ta="right">{t('sms.log.attempts')}</Table.Th>
                  <Table.Th>{t('sms.log.lastError')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={cols}>
                      <Text size="sm" c="dimmed">
                        {t('sms.log.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {items.map((m) => (
                  <Table.Tr
                    key={m.id}
                    data-testid="sms-row"
                    data-id={m.id}
                    data-status={m.status}
                    onClick={() => setOpened(m)}
                    style={{ cursor: 'pointer' }}
                  >
                    {canReplay && (
                      <Table.Td onClick={(e) => e.stopPropagation()}>
                        {REPLAYABLE.has(m.status) && (
                          <Checkbox
                            aria-label={t('sms.log.select', { time: when(m.createdAt) })}
                            checked={selected.has(m.id)}
                            onChange={(e) => toggle(m, e.currentTarget.checked)}
                            data-testid="sms-select"
                          />
                        )}
                      </Table.Td>
                    )}
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <UnstyledButton
                        onClick={(e) => {
                          e.stopPropagation();
                          setOpened(m);
                        }}
                        aria-label={t('sms.log.open', { time: when(m.createdAt) })}
                        fz="sm"
                        c="blue.8"
                        td="underline"
                        data-testid="sms-open"
                      >
                        {when(m.createdAt)}
                      </UnstyledButton>
                    </Table.Td>
                    <Table.Td miw={96}>{kindLabel(t, m.kind)}</Table.Td>
                    <Table.Td miw={150}>
                      {m.unit ? (
                        <Stack gap={2} align="flex-start">
                          <Text size="sm">{m.unitName}</Text>
                          <Code>{m.unit}</Code>
                        </Stack>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                    <Table.Td>{m.dossier ? <Code style={{ whiteSpace: 'nowrap' }}>{m.dossier}</Code> : '—'}</Table.Td>
                    <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }} data-testid="sms-phone">
                      {m.phoneMasked ?? '—'}
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={m.status} skipReason={m.skipReason} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {m.deliveryState ? deliveryLabel(t, m.deliveryState) : '—'}
                    </Table.Td>
                    <Table.Td ta="right">{n(m.attempts)}</Table.Td>
                    <Table.Td miw={120} maw={240} style={{ overflowWrap: 'anywhere' }}>
                      {m.lastError ? (
                        <Text size="xs" ff="monospace">
                          {m.lastError}
                        </Text>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          {pages > 1 && (
            <Pagination
              total={pages}
              value={page}
              onChange={setPage}
              size="sm"
              getControlProps={(c) => ({ 'aria-label': t(`sms.log.page.${c}`) })}
              data-testid="sms-log-pages"
            />
          )}
        </>
      )}

      <MessageDrawer message={opened} onClose={() => setOpened(null)} />

      <Modal
        opened={confirming}
        onClose={closeReplay}
        title={t('sms.log.replayTitle')}
        centered
        fullScreen={mobile}
        closeButtonProps={{ 'aria-label': tc('common.close') }}
      >
        <Stack data-testid="sms-replay-dialog">
          <Text size="sm">{t('sms.log.replayConfirm', { n: n(selected.size) })}</Text>
          {uncertain > 0 && (
            <Alert color="orange" variant="light" data-testid="sms-replay-uncertain">
              <Text size="sm" c="dark.7" fw={500}>
                {t('sms.log.replayUncertain', { n: n(uncertain) })}
              </Text>
            </Alert>
          )}
          <ErrorAlert error={replay.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={closeReplay}>
              {tc('common.cancel')}
            </Button>
            <Button
              loading={replay.isPending}
              onClick={() => replay.mutate([...selected.keys()])}
              data-testid="sms-replay-confirm"
            >
              {t('sms.log.replay')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function MessageDrawer({ message, onClose }: { message: SmsMessage | null; onClose: () => void }) {
  const { t, tc } = useSmsT();
  return (
    <Drawer
      opened={message !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={message ? t('sms.detail.title', { kind: kindLabel(t, message.kind) }) : ''}
      closeButtonProps={{ 'aria-label': tc('common.close') }}
      styles={{ content: { maxWidth: '100vw' } }}
    >
      {message && <MessageDetail key={message.id} id={message.id} />}
    </Drawer>
  );
}

function MessageDetail({ id }: { id: string }) {
  const { t, tc, lang } = useSmsT();
  const when = useWhen();
  const narrow = useMediaQuery('(max-width: 36em)');
  const q = useQuery({
    queryKey: [...MESSAGES_KEY, 'detail', id],
    queryFn: ({ signal }) => api.get<SmsMessageDetail>(`/api/v1/sms/messages/${encodeURIComponent(id)}`, signal),
  });
  if (q.isPending) return <Loader size="sm" aria-label={tc('app.loading')} />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const m = q.data;
  const rows: [string, ReactNode][] = [
    [t('sms.log.status'), <StatusBadge key="s" status={m.status} />],
    ...(m.skipReason ? ([[t('sms.detail.skipReason'), skipLabel(t, m.skipReason)]] as [string, ReactNode][]) : []),
    [t('sms.log.unit'), m.unit ? `${m.unitName ?? ''} (${m.unit})` : '—'],
    [t('sms.log.dossier'), m.dossier ? <Code key="d">{m.dossier}</Code> : '—'],
    [
      t('sms.log.phone'),
      <Text key="p" span ff="monospace" size="sm" data-testid="sms-detail-phone">
        {m.phoneMasked ?? '—'}
      </Text>,
    ],
    [t('sms.log.attempts'), formatNumber(m.attempts, lang)],
    [t('sms.detail.created'), when(m.createdAt)],
    ...(m.status === 'queued' ? ([[t('sms.detail.due'), when(m.notBefore)]] as [string, ReactNode][]) : []),
    [t('sms.detail.sent'), when(m.sentAt)],
    [t('sms.detail.delivered'), when(m.deliveredAt)],
    ...(m.repliedAt ? ([[t('sms.detail.replied'), when(m.repliedAt)]] as [string, ReactNode][]) : []),
    [t('sms.log.delivery'), m.deliveryState ? deliveryLabel(t, m.deliveryState) : '—'],
    ...(m.deliveryError ? ([[t('sms.detail.deliveryError'), m.deliveryError]] as [string, ReactNode][]) : []),
    [t('sms.detail.gateway'), m.gateway ?? '—'],
  ];
  return (
    <Stack data-testid="sms-detail" data-id={m.id}>
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {t('sms.detail.text')}
        </Text>
        {m.body ? (
          <>
            <Paper withBorder p="sm" radius="md" bg="gray.0">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="sms-detail-body">
                {m.body}
              </Text>
            </Paper>
            <Text size="xs" c="dimmed" data-testid="sms-detail-size">
              {t('sms.detail.size', {
                characters: formatNumber([...m.body].length, lang),
                encoding: m.encoding ? t(`sms.encoding.${m.encoding}`) : '—',
                parts: formatNumber(m.parts ?? 1, lang),
              })}
            </Text>
          </>
        ) : (
          <Text size="sm" c="dimmed" data-testid="sms-detail-body">
            {t('sms.detail.notSent')}
          </Text>
        )}
      </Stack>
      {m.lastError && (
        <Alert color="red" variant="light" title={t('sms.log.lastError')}>
          <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {m.lastError}
          </Text>
        </Alert>
      )}
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
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {t('sms.detail.reports')}
        </Text>
        {m.reports.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('sms.detail.reportsEmpty')}
          </Text>
        ) : (
          <ScrollTable minWidth={420} label={t('sms.detail.reports')}>
            <Table fz="sm" verticalSpacing={4} data-testid="sms-detail-reports">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sms.detail.reportState')}</Table.Th>
                  <Table.Th>{t('sms.detail.reportAt')}</Table.Th>
                  <Table.Th>{t('sms.detail.reportError')}</Table.Th>
                  <Table.Th>{t('sms.detail.reportId')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {m.reports.map((r) => (
                  <Table.Tr key={`${r.receivedAt}-${r.state}-${r.gatewayMessageId ?? ''}`} data-testid="sms-detail-report">
                    <Table.Td>{deliveryLabel(t, r.state)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(r.at)}</Table.Td>
                    <Table.Td>{r.error ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="xs" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                        {r.gatewayMessageId ?? '—'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </Stack>
    </Stack>
  );
}
