// Publication of scores: freeze a period for a sector, let units reply while
// the window is open, correct (logged), then publish for the public portal.
import {
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Loader,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { formatInstant, previousMonth } from '../../../shared/format';
import { ConfirmModal } from '../components/ConfirmModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { ServiceUnitSelect } from '../components/selects';
import { can, canEverywhere, queryClient, useSession } from '../session';
import { type PeriodKind, periodChoices, type ScoreRow } from './scores/model';
import { useUnits } from './UnitsPage';

type Snapshot = {
  id: string;
  period: string;
  sector: 'administration' | 'health';
  status: 'review' | 'published';
  methodVersion: string;
  inputsHash: string;
  replyUntil: string;
  createdBy: string | null;
  createdAt: string;
  publishedAt: string | null;
};
type SnapshotDetail = Snapshot & {
  method: Record<string, number>;
  results: { index: string; version: number; channel: string | null; ranked: boolean; province: ScoreRow; rows: ScoreRow[] }[];
  replies: { id: string; unit: string; unitName: string; text: string; author: string; createdAt: string }[];
  corrections: { reason: string; oldHash: string; newHash: string; changedRows: number; by: string; at: string }[];
};

const KEY = ['snapshots'] as const;

export function PublicationPage() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const list = useQuery({ queryKey: KEY, queryFn: ({ signal }) => api.get<Snapshot[]>('/api/v1/snapshots', signal) });
  const [selected, setSelected] = useState<string | null>(null);
  const manage = canEverywhere(me, 'snapshots.manage');

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('publication.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('publication.intro')}
      </Text>
      {manage && <CreateSnapshot timeZone={tz} onCreated={setSelected} />}
      <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {list.data && list.data.length === 0 && <Text c="dimmed">{t('publication.empty')}</Text>}
      {list.data && list.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped verticalSpacing="xs" fz="sm" highlightOnHover data-testid="snapshots-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('scores.period')}</Table.Th>
                <Table.Th>{t('publication.sector')}</Table.Th>
                <Table.Th>{t('publication.status')}</Table.Th>
                <Table.Th>{t('publication.replyUntil')}</Table.Th>
                <Table.Th>{t('publication.publishedAt')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.map((s) => (
                <Table.Tr key={s.id} data-testid="snapshot-row" data-id={s.id}>
                  <Table.Td>{s.period}</Table.Td>
                  <Table.Td>{t(`scores.sector.${s.sector}`)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={s.status} />
                  </Table.Td>
                  <Table.Td>{formatInstant(s.replyUntil, i18n.language, tz)}</Table.Td>
                  <Table.Td>{s.publishedAt ? formatInstant(s.publishedAt, i18n.language, tz) : '—'}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="light" onClick={() => setSelected(s.id)} data-testid="snapshot-open">
                      {t('publication.open')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {selected && <Detail id={selected} />}
    </Stack>
  );
}

function StatusBadge({ status }: { status: Snapshot['status'] }) {
  const { t } = useTranslation();
  return (
    <Badge color={status === 'published' ? 'teal.9' : 'gray.8'} variant="outline" style={{ minWidth: 'max-content' }}>
      {t(`publication.statuses.${status}`)}
    </Badge>
  );
}

function CreateSnapshot({ timeZone, onCreated }: { timeZone: string; onCreated: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<PeriodKind>('month');
  const [period, setPeriod] = useState(previousMonth(timeZone));
  const [sector, setSector] = useState<'administration' | 'health'>('administration');
  const [days, setDays] = useState<number | string>(7);
  const create = useMutation({
    mutationFn: () =>
      api.post<{ id: string }>('/api/v1/snapshots', {
        period,
        sector,
        replyDays: typeof days === 'number' ? days : Number(days) || 0,
      }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      onCreated(r.id);
    },
  });
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        {t('publication.create')}
      </Text>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('scores.periodKind')}
          data={(['month', 'quarter', 'year'] as const).map((k) => ({ value: k, label: t(`scores.kind.${k}`) }))}
          value={kind}
          allowDeselect={false}
          onChange={(v) => {
            const k = (v ?? 'month') as PeriodKind;
            setKind(k);
            setPeriod(periodChoices(k, timeZone, i18n.language)[0]?.value ?? period);
          }}
          w={140}
        />
        <Select
          label={t('scores.period')}
          data={periodChoices(kind, timeZone, i18n.language)}
          value={period}
          allowDeselect={false}
          onChange={(v) => v && setPeriod(v)}
          w={200}
          data-testid="publication-period"
        />
        <Select
          label={t('publication.sector')}
          data={(['administration', 'health'] as const).map((s) => ({ value: s, label: t(`scores.sector.${s}`) }))}
          value={sector}
          allowDeselect={false}
          onChange={(v) => v && setSector(v as 'administration' | 'health')}
          w={200}
        />
        <NumberInput label={t('publication.replyDays')} min={0} max={60} value={days} onChange={setDays} w={160} />
        <Button onClick={() => create.mutate()} loading={create.isPending} data-testid="publication-create">
          {t('publication.freeze')}
        </Button>
      </Group>
      <ErrorAlert error={create.error} />
    </Card>
  );
}

function Detail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const tz = me.tenant.timeZone;
  const d = useQuery({
    queryKey: [...KEY, id],
    queryFn: ({ signal }) => api.get<SnapshotDetail>(`/api/v1/snapshots/${id}`, signal),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: KEY });
  const [confirm, setConfirm] = useState(false);
  const [reason, setReason] = useState('');
  const [replyUnit, setReplyUnit] = useState<string | null>(null);
  const [replyText, setReplyText] = useState('');
  const units = useUnits(can(me, 'snapshots.reply'));
  const publish = useMutation({
    mutationFn: () => api.post(`/api/v1/snapshots/${id}/publish`),
    onSuccess: () => {
      setConfirm(false);
      refresh();
    },
  });
  const recompute = useMutation({
    mutationFn: () => api.post(`/api/v1/snapshots/${id}/recompute`, { reason }),
    onSuccess: () => {
      setReason('');
      refresh();
    },
  });
  const reply = useMutation({
    mutationFn: () => api.post(`/api/v1/snapshots/${id}/replies`, { unit: replyUnit, text: replyText }),
    onSuccess: () => {
      setReplyText('');
      refresh();
    },
  });
  if (d.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  if (d.error) return <ErrorAlert error={d.error} onRetry={() => void d.refetch()} />;
  const s = d.data;
  const open = s.status === 'review' && Date.parse(s.replyUntil) > Date.now();
  const manage = canEverywhere(me, 'snapshots.manage');
  return (
    <Card withBorder data-testid="snapshot-detail">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3">
            {t('publication.detailTitle', { period: s.period, sector: t(`scores.sector.${s.sector}`) })}
          </Title>
          <StatusBadge status={s.status} />
        </Group>
        <Text size="sm">
          {t('publication.method')} <Code>{s.methodVersion}</Code> · {t('publication.hash')}{' '}
          <Code>{s.inputsHash.slice(0, 16)}…</Code>
        </Text>
        <Text size="sm" data-testid="reply-window">
          {open
            ? t('publication.windowOpen', { until: formatInstant(s.replyUntil, i18n.language, tz) })
            : t('publication.windowClosed')}
        </Text>
        {s.status === 'published' && (
          <Group gap="sm">
            <Anchor href={`/api/public/v1/snapshots/${s.id}`} target="_blank" size="sm">
              {t('publication.openJson')}
            </Anchor>
            <Anchor href={`/api/public/v1/snapshots/${s.id}?format=csv`} size="sm">
              {t('publication.openCsv')}
            </Anchor>
          </Group>
        )}

        <Title order={3} size="h4">
          {t('publication.replies')}
        </Title>
        {s.replies.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('publication.noReplies')}
          </Text>
        )}
        {s.replies.map((r) => (
          <Card key={r.id} withBorder padding="xs" data-testid="reply">
            <Text size="sm" fw={600}>
              {r.unitName}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {r.text}
            </Text>
            <Text size="xs" c="dimmed">
              {r.author} · {formatInstant(r.createdAt, i18n.language, tz)}
            </Text>
          </Card>
        ))}
        {open && can(me, 'snapshots.reply') && units.data && (
          <Stack gap="xs">
            <ServiceUnitSelect label={t('publication.replyUnit')} units={units.data} value={replyUnit} onChange={setReplyUnit} />
            <Textarea
              label={t('publication.replyText')}
              value={replyText}
              onChange={(e) => setReplyText(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={4000}
              data-testid="reply-text"
            />
            <Group>
              <Button
                onClick={() => reply.mutate()}
                loading={reply.isPending}
                disabled={!replyUnit || !replyText.trim()}
                data-testid="reply-send"
              >
                {t('publication.sendReply')}
              </Button>
            </Group>
            <ErrorAlert error={reply.error} />
          </Stack>
        )}

        {s.corrections.length > 0 && (
          <>
            <Title order={3} size="h4">
              {t('publication.corrections')}
            </Title>
            {s.corrections.map((c) => (
              <Text key={c.at} size="sm" data-testid="correction">
                {formatInstant(c.at, i18n.language, tz)} · {c.by}: {c.reason} (
                {t('publication.changedRows', { count: c.changedRows })})
              </Text>
            ))}
          </>
        )}

        {manage && s.status === 'review' && (
          <Stack gap="xs">
            <Textarea
              label={t('publication.correctionReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              autosize
              minRows={1}
              data-testid="correction-reason"
            />
            <Group>
              <Button
                variant="default"
                onClick={() => recompute.mutate()}
                loading={recompute.isPending}
                disabled={reason.trim().length < 3}
              >
                {t('publication.recompute')}
              </Button>
              <Button onClick={() => setConfirm(true)} disabled={open} data-testid="publish">
                {t('publication.publish')}
              </Button>
            </Group>
            {open && (
              <Text size="xs" c="dimmed">
                {t('publication.publishAfterWindow')}
              </Text>
            )}
            <ErrorAlert error={recompute.error} />
          </Stack>
        )}
      </Stack>
      <ConfirmModal
        opened={confirm}
        title={t('publication.publish')}
        message={t('publication.publishConfirm', { period: s.period })}
        confirmLabel={t('publication.publish')}
        onConfirm={() => publish.mutate()}
        onClose={() => setConfirm(false)}
        pending={publish.isPending}
        error={publish.error}
      />
    </Card>
  );
}
