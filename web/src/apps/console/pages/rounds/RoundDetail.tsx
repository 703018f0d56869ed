// One round. A draft shows its plan before anything is drawn, and can be
// changed, discarded or published; a published or closed round shows its
// progress and rates, interviewers, records, exports and the plan it was drawn from.
import { Alert, Anchor, Button, Code, Group, Loader, Modal, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../shared/api';
import { formatDateTime, formatNumber, formatPercent } from '../../../../shared/format';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { linkHandler, navigate } from '../../router';
import { canEverywhere, queryClient, useSession } from '../../session';
import { InterviewersPanel } from './InterviewersPanel';
import { CONFIDENCE, ROUNDS_KEY, type RoundDetail, roundKey } from './model';
import { PlanTable } from './PlanTable';
import { ProgressPanel } from './ProgressPanel';
import { RoundStatusBadge, useMonths } from './parts';
import { RecordsPanel } from './RecordsPanel';
import { RoundFormModal } from './RoundForm';

export function RoundDetailView({ id }: { id: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: roundKey(id),
    queryFn: ({ signal }) => api.get<RoundDetail>(`/api/v1/rounds/${encodeURIComponent(id)}`, signal),
  });
  const back = (
    <Anchor href="/rounds" onClick={linkHandler('/rounds')} size="sm" data-testid="rounds-back">
      ← {t('rounds.backToList')}
    </Anchor>
  );
  if (!q.data) {
    return (
      <Stack>
        {back}
        {q.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </Stack>
    );
  }
  return <Round round={q.data} back={back} />;
}

function Round({ round, back }: { round: RoundDetail; back: ReactNode }) {
  const { t } = useTranslation();
  const me = useSession();
  // Rounds are the whole tenant's: the server wants a tenant-wide grant to run them.
  const canManage = canEverywhere(me, 'rounds.manage');
  const draft = round.status === 'draft';
  return (
    <Stack>
      {back}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4} style={{ minWidth: 0, flex: '1 1 320px' }}>
          <Group gap="sm" wrap="wrap">
            <Title order={1} size="h2" data-testid="round-title" style={{ overflowWrap: 'anywhere' }}>
              {round.name}
            </Title>
            <RoundStatusBadge status={round.status} />
          </Group>
        </Stack>
        {canManage && (draft ? <DraftActions round={round} /> : <PublishedActions round={round} />)}
      </Group>
      <Facts round={round} />
      {draft ? (
        <Stack>
          <Alert color="blue" variant="light" data-testid="round-draft-note">
            {t('rounds.draftNote')}
          </Alert>
          <PlanTable plan={round.plan} design={round.design} />
        </Stack>
      ) : (
        <Tabs defaultValue="progress" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="progress" data-testid="tab-progress">
              {t('rounds.tabs.progress')}
            </Tabs.Tab>
            <Tabs.Tab value="interviewers" data-testid="tab-interviewers">
              {t('rounds.tabs.interviewers')}
            </Tabs.Tab>
            <Tabs.Tab value="records" data-testid="tab-records">
              {t('rounds.tabs.records')}
            </Tabs.Tab>
            <Tabs.Tab value="plan" data-testid="tab-plan">
              {t('rounds.tabs.plan')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="progress" pt="md">
            <ProgressPanel round={round} />
          </Tabs.Panel>
          <Tabs.Panel value="interviewers" pt="md">
            <InterviewersPanel round={round} />
          </Tabs.Panel>
          <Tabs.Panel value="records" pt="md">
            <RecordsPanel round={round} canManage={canManage} />
          </Tabs.Panel>
          <Tabs.Panel value="plan" pt="md">
            <PlanTable plan={round.plan} design={round.design} />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

/** Months, kinds, units, instrument, design, seed, frame hash and dates. */
function Facts({ round }: { round: RoundDetail }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const lang = i18n.language;
  const months = useMonths();
  const when = (iso: string) => formatDateTime(iso, lang, me.tenant.timeZone);
  const d = round.design;
  const level = CONFIDENCE.find((c) => c.z === d.z)?.level;
  const fact = (label: string, value: ReactNode, testId?: string) => (
    <Stack gap={0} data-testid={testId}>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {value}
      </Text>
    </Stack>
  );
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs" data-testid="round-facts">
      {fact(t('rounds.facts.months'), months(round.periodFrom, round.periodTo))}
      {fact(t('rounds.facts.kinds'), round.kinds.map((k) => t(`event.kind.${k}`)).join(', '))}
      {fact(
        t('rounds.facts.units'),
        round.units?.length ? round.units.join(', ') : t('rounds.facts.allUnits', { count: round.plan.length }),
      )}
      {fact(t('rounds.facts.instrument'), round.instrument ?? t('rounds.facts.instrumentDefault'))}
      {fact(
        t('rounds.facts.design'),
        t('rounds.facts.designValue', {
          margin: formatPercent(d.margin, lang),
          proportion: formatPercent(d.proportion, lang),
          confidence: level ? `${level}%` : `z = ${formatNumber(d.z, lang)}`,
          floor: formatNumber(d.floor, lang),
          splitAbove: formatNumber(d.splitAbove, lang),
        }),
      )}
      {fact(t('rounds.facts.seed'), <Code>{round.seed}</Code>, 'round-seed-value')}
      {fact(
        t('rounds.facts.frameHash'),
        round.frameHash ? (
          <Code title={round.frameHash}>{round.frameHash.slice(0, 16)}…</Code>
        ) : (
          <Text span size="sm" c="dimmed">
            {t('rounds.facts.frameHashDraft')}
          </Text>
        ),
        'round-frame-hash',
      )}
      {fact(
        t('rounds.facts.dates'),
        <Stack gap={0}>
          <span>{t('rounds.facts.created', { date: when(round.createdAt) })}</span>
          {round.publishedAt && <span>{t('rounds.facts.published', { date: when(round.publishedAt) })}</span>}
          {round.closedAt && <span>{t('rounds.facts.closed', { date: when(round.closedAt) })}</span>}
        </Stack>,
      )}
    </SimpleGrid>
  );
}

function DraftActions({ round }: { round: RoundDetail }) {
  const { t, i18n } = useTranslation();
  const n = (v: number) => formatNumber(v, i18n.language);
  const mobile = useMediaQuery('(max-width: 36em)');
  const [editing, setEditing] = useState(false);
  const [discarding, setDiscarding] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const discard = useMutation({
    mutationFn: () => api.delete(`/api/v1/rounds/${round.id}`),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: roundKey(round.id) });
      void queryClient.invalidateQueries({ queryKey: ROUNDS_KEY, exact: true });
      navigate('/rounds', { replace: true });
    },
  });
  const publish = useMutation({
    mutationFn: () => api.post<RoundDetail>(`/api/v1/rounds/${round.id}/publish`),
    onSuccess: (r) => {
      setPublishing(false);
      queryClient.setQueryData(roundKey(round.id), r);
      void queryClient.invalidateQueries({ queryKey: ROUNDS_KEY });
    },
  });
  const drawn = round.plan.reduce((s, p) => s + p.drawn, 0);
  const unitsDrawn = round.plan.filter((p) => p.drawn > 0).length;
  const short = round.plan.filter((p) => p.shortfall).length;
  return (
    <Group gap="xs">
      <Button variant="default" onClick={() => setEditing(true)} data-testid="round-edit">
        {t('rounds.edit')}
      </Button>
      <Button variant="subtle" color="red" onClick={() => setDiscarding(true)} data-testid="round-discard">
        {t('rounds.discard')}
      </Button>
      <Button onClick={() => setPublishing(true)} disabled={drawn === 0} data-testid="round-publish">
        {t('rounds.publish')}
      </Button>
      <RoundFormModal opened={editing} round={round} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <ConfirmModal
        opened={discarding}
        title={t('rounds.discard')}
        message={t('rounds.discardConfirm', { name: round.name })}
        confirmLabel={t('rounds.discard')}
        pending={discard.isPending}
        error={discard.error}
        onClose={() => {
          setDiscarding(false);
          discard.reset();
        }}
        onConfirm={() => discard.mutate()}
      />
      <Modal
        opened={publishing}
        onClose={() => {
          setPublishing(false);
          publish.reset();
        }}
        title={t('rounds.publishTitle')}
        centered
        fullScreen={mobile}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack data-testid="publish-dialog">
          <Text size="xl" fw={700} data-testid="publish-total">
            {t('rounds.publishTotal', { count: drawn, n: n(drawn), units: n(unitsDrawn) })}
          </Text>
          <Text size="sm">{t('rounds.publishExplain', { seed: round.seed })}</Text>
          {short > 0 && (
            <Alert color="orange" variant="light">
              {t('rounds.publishShort', { count: short })}
            </Alert>
          )}
          <ErrorAlert error={publish.error} />
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() => {
                setPublishing(false);
                publish.reset();
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button loading={publish.isPending} onClick={() => publish.mutate()} data-testid="publish-confirm">
              {t('rounds.publishConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Group>
  );
}

const exportUrl = (id: string, format: 'csv' | 'xlsx') => `/api/v1/rounds/${id}/export?format=${format}`;

function PublishedActions({ round }: { round: RoundDetail }) {
  const { t } = useTranslation();
  const [closing, setClosing] = useState(false);
  const close = useMutation({
    mutationFn: () => api.post<RoundDetail>(`/api/v1/rounds/${round.id}/close`),
    onSuccess: (r) => {
      setClosing(false);
      queryClient.setQueryData(roundKey(round.id), r);
      void queryClient.invalidateQueries({ queryKey: ROUNDS_KEY });
    },
  });
  const open = round.total.pending + round.total.callback;
  return (
    <Group gap="xs">
      {/* Plain links: the browser downloads with the session cookie. */}
      <Button component="a" href={exportUrl(round.id, 'csv')} download variant="default" data-testid="round-csv">
        {t('rounds.downloadCsv')}
      </Button>
      <Button component="a" href={exportUrl(round.id, 'xlsx')} download variant="default" data-testid="round-xlsx">
        {t('rounds.downloadXlsx')}
      </Button>
      {round.status === 'published' && (
        <Button color="red" variant="light" onClick={() => setClosing(true)} data-testid="round-close">
          {t('rounds.close')}
        </Button>
      )}
      <ConfirmModal
        opened={closing}
        title={t('rounds.close')}
        message={t('rounds.closeConfirm', { count: open, name: round.name })}
        confirmLabel={t('rounds.close')}
        pending={close.isPending}
        error={close.error}
        onClose={() => {
          setClosing(false);
          close.reset();
        }}
        onConfirm={() => close.mutate()}
      />
    </Group>
  );
}
