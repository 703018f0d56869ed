// Citizens' messages for review: ratings, comments, opt-outs and other
// feedback, marked as read by staff. With the development recorder an
// administrator can type a reply as if a citizen had sent it.
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Pagination,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../../../shared/api';
import { formatNumber } from '../../../../shared/format';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ScrollTable } from '../../components/ScrollTable';
import { queryClient } from '../../session';
import { useSmsT } from './i18n';
import { INBOUND_KEY, INBOUND_KINDS, type InboundKind, type InboundMessage, MESSAGES_KEY, type Page, STATS_KEY } from './model';
import { inboundKindLabel, useWhen } from './parts';

const PAGE = 50;
const ANY = '*';

const KIND_COLOR: Record<InboundKind, string> = { rating: 'green', comment: 'blue', opt_out: 'red', feedback: 'grape' };

export function InboundPanel({ canSimulate }: { canSimulate: boolean }) {
  const { t, tc, lang } = useSmsT();
  const when = useWhen();
  const n = (v: number) => formatNumber(v, lang);
  const [kind, setKind] = useState<InboundKind | ''>('');
  const [unreviewed, setUnreviewed] = useState(false);
  const [page, setPage] = useState(1);
  const qs = new URLSearchParams({ limit: String(PAGE), offset: String((page - 1) * PAGE) });
  if (kind) qs.set('kind', kind);
  if (unreviewed) qs.set('unreviewed', 'true');
  const list = useQuery({
    queryKey: [...INBOUND_KEY, qs.toString()],
    queryFn: ({ signal }) => api.get<Page<InboundMessage>>(`/api/v1/sms/inbound?${qs}`, signal),
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  const review = useMutation({
    mutationFn: (id: string) => api.post<{ id: string }>(`/api/v1/sms/inbound/${id}/review`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: INBOUND_KEY }),
  });
  const items = list.data?.items ?? [];
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE));

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('sms.inbound.intro')}
      </Text>
      {canSimulate && <SimulateReply />}
      <Group align="flex-end" gap="sm">
        <Select
          label={t('sms.inbound.kind')}
          allowDeselect={false}
          value={kind || ANY}
          onChange={(v) => {
            setKind(v && v !== ANY ? (v as InboundKind) : '');
            setPage(1);
          }}
          data={[
            { value: ANY, label: tc('common.all') },
            ...INBOUND_KINDS.map((k) => ({ value: k, label: t(`sms.inbound.kinds.${k}`) })),
          ]}
          w={220}
          data-testid="sms-inbound-kind"
        />
        <Switch
          label={t('sms.inbound.unreviewed')}
          checked={unreviewed}
          onChange={(e) => {
            setUnreviewed(e.currentTarget.checked);
            setPage(1);
          }}
          mb={8}
          data-testid="sms-inbound-unreviewed"
        />
      </Group>
      <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      <ErrorAlert error={review.error} />
      {list.isPending && <Loader size="sm" aria-label={tc('app.loading')} />}
      {list.data && (
        <>
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed" data-testid="sms-inbound-total" aria-live="polite">
              {t('sms.inbound.total', { count: list.data.total, n: n(list.data.total) })}
            </Text>
            <Button
              size="compact-sm"
              variant="subtle"
              onClick={() => void list.refetch()}
              loading={list.isFetching}
              data-testid="sms-inbound-refresh"
            >
              {tc('common.refresh')}
            </Button>
          </Group>
          <ScrollTable minWidth={980} label={t('sms.tabs.inbound')}>
            <Table striped verticalSpacing="xs" fz="sm" data-testid="sms-inbound-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('sms.inbound.time')}</Table.Th>
                  <Table.Th>{t('sms.inbound.phone')}</Table.Th>
                  <Table.Th>{t('sms.inbound.kind')}</Table.Th>
                  <Table.Th ta="right">{t('sms.inbound.rating')}</Table.Th>
                  <Table.Th>{t('sms.inbound.text')}</Table.Th>
                  <Table.Th>{t('sms.inbound.unit')}</Table.Th>
                  <Table.Th>{t('sms.inbound.dossier')}</Table.Th>
                  <Table.Th>{t('sms.inbound.review')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={8}>
                      <Text size="sm" c="dimmed">
                        {t('sms.inbound.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {items.map((m) => (
                  <Table.Tr key={m.id} data-testid="sms-inbound-row" data-id={m.id} data-kind={m.kind}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(m.receivedAt)}</Table.Td>
                    <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }} data-testid="sms-inbound-phone">
                      {m.phoneMasked}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={KIND_COLOR[m.kind] ?? 'gray'} c="dark.7" style={{ minWidth: 'max-content' }}>
                        {inboundKindLabel(t, m.kind)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right" fw={600} data-testid="sms-inbound-rating">
                      {m.rating ?? '—'}
                    </Table.Td>
                    <Table.Td miw={220} style={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
                      {m.text}
                    </Table.Td>
                    <Table.Td>{m.unit ? <Code>{m.unit}</Code> : '—'}</Table.Td>
                    <Table.Td>{m.dossier ? <Code style={{ whiteSpace: 'nowrap' }}>{m.dossier}</Code> : '—'}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {m.reviewedAt ? (
                        <Text size="xs" c="dimmed" data-testid="sms-inbound-reviewed">
                          {m.reviewedBy
                            ? t('sms.inbound.reviewedBy', { name: m.reviewedBy, time: when(m.reviewedAt) })
                            : t('sms.inbound.reviewedAnonymous', { time: when(m.reviewedAt) })}
                        </Text>
                      ) : (
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => review.mutate(m.id)}
                          loading={review.isPending && review.variables === m.id}
                          aria-label={t('sms.inbound.markReviewedLabel', { time: when(m.receivedAt) })}
                          data-testid="sms-inbound-review"
                        >
                          {t('sms.inbound.markReviewed')}
                        </Button>
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
              data-testid="sms-inbound-pages"
            />
          )}
        </>
      )}
    </Stack>
  );
}

function SimulateReply() {
  const { t } = useSmsT();
  const [phone, setPhone] = useState('');
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: () =>
      api.post<{ id: string; kind: InboundKind; duplicate: boolean }>('/api/v1/sms/recorder/inbound', {
        phone: phone.trim(),
        text: text.trim(),
      }),
    onSuccess: () => {
      // The full number is not kept on the page once it has been used.
      setPhone('');
      setText('');
      for (const key of [INBOUND_KEY, MESSAGES_KEY, STATS_KEY]) void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (phone.trim().length >= 8 && text.trim()) send.mutate();
  };
  return (
    <Paper withBorder p="sm" radius="md" bg="gray.0" data-testid="sms-simulate">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={2} size="h5">
            {t('sms.inbound.simulate.title')}
          </Title>
          <Text size="xs" c="dimmed">
            {t('sms.inbound.simulate.help')}
          </Text>
          <Group align="flex-end" gap="sm">
            <TextInput
              label={t('sms.inbound.simulate.phone')}
              type="tel"
              inputMode="tel"
              autoComplete="off"
              required
              value={phone}
              onChange={(e) => {
                setPhone(e.currentTarget.value);
                send.reset();
              }}
              w={200}
              data-testid="sms-simulate-phone"
            />
            <TextInput
              label={t('sms.inbound.simulate.text')}
              required
              maxLength={480}
              value={text}
              onChange={(e) => {
                setText(e.currentTarget.value);
                send.reset();
              }}
              style={{ flex: '1 1 220px' }}
              maw={420}
              data-testid="sms-simulate-text"
            />
            <Button
              type="submit"
              loading={send.isPending}
              disabled={phone.trim().length < 8 || !text.trim()}
              data-testid="sms-simulate-send"
            >
              {t('sms.inbound.simulate.send')}
            </Button>
          </Group>
          <ErrorAlert error={send.error} testId="sms-simulate-error" />
          {send.data && (
            <Alert color="green" variant="light" role="status" data-testid="sms-simulate-result">
              {t('sms.inbound.simulate.received', { kind: inboundKindLabel(t, send.data.kind) })}
            </Alert>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
