// The sampled records of a round: filters, masked numbers, status and quality
// flags; open records can be selected and moved to another interviewer.
import { Alert, Badge, Checkbox, Code, Group, Loader, Pagination, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../../shared/api';
import { formatInstant, formatNumber } from '../../../../shared/format';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ScrollTable } from '../../components/ScrollTable';
import { useSession } from '../../session';
import { OPEN_STATUSES, RECORD_STATUSES, type RoundDetail, type RoundRecord, roundKey } from './model';
import { MoveAll, MoveSelected, useInterviewerOptions, useInterviewers } from './Reassign';

const PAGE = 50;
const ALL = '*';

type Filters = { unit: string; status: string; interviewer: string; flagged: boolean };

export function RecordsPanel({ round, canManage }: { round: RoundDetail; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const when = (iso: string | null) => (iso ? formatInstant(iso, lang, me.tenant.timeZone) : '—');
  const [f, setF] = useState<Filters>({ unit: ALL, status: ALL, interviewer: ALL, flagged: false });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [moved, setMoved] = useState<number | null>(null);
  const movable = canManage && round.status === 'published';
  const interviewers = useInterviewers(canManage);
  const interviewerOptions = useInterviewerOptions(interviewers.data).slice(1);

  const qs = new URLSearchParams({ limit: String(PAGE), offset: String((page - 1) * PAGE) });
  if (f.unit !== ALL) qs.set('unit', f.unit);
  if (f.status !== ALL) qs.set('status', f.status);
  if (f.interviewer !== ALL) qs.set('interviewer', f.interviewer);
  if (f.flagged) qs.set('flagged', 'true');
  const records = useQuery({
    queryKey: [...roundKey(round.id), 'records', qs.toString()],
    queryFn: ({ signal }) => api.get<{ total: number; items: RoundRecord[] }>(`/api/v1/rounds/${round.id}/records?${qs}`, signal),
    placeholderData: keepPreviousData,
  });
  const filter = (patch: Partial<Filters>) => {
    setF((x) => ({ ...x, ...patch }));
    setPage(1);
    setSelected(new Set());
  };
  const items = records.data?.items ?? [];
  const openOnPage = items.filter((r) => OPEN_STATUSES.has(r.status));
  const allOnPage = openOnPage.length > 0 && openOnPage.every((r) => selected.has(r.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const done = (count: number) => {
    setSelected(new Set());
    setMoved(count);
  };
  const pages = Math.max(1, Math.ceil((records.data?.total ?? 0) / PAGE));
  const cols = 9 + (movable ? 1 : 0);

  return (
    <Stack>
      <Group align="flex-end" gap="sm">
        <Select
          label={t('rounds.records.unit')}
          data={[
            { value: ALL, label: t('rounds.records.allUnits') },
            ...round.plan.filter((p) => p.drawn > 0).map((p) => ({ value: p.unit.code, label: p.unit.name })),
          ]}
          value={f.unit}
          onChange={(v) => filter({ unit: v ?? ALL })}
          allowDeselect={false}
          searchable
          w={300}
          data-testid="records-unit"
        />
        <Select
          label={t('rounds.records.status')}
          data={[
            { value: ALL, label: t('common.all') },
            ...RECORD_STATUSES.map((s) => ({ value: s, label: t(`rounds.recordStatus.${s}`) })),
          ]}
          value={f.status}
          onChange={(v) => filter({ status: v ?? ALL })}
          allowDeselect={false}
          w={200}
          data-testid="records-status"
        />
        {canManage && (
          <Select
            label={t('rounds.records.interviewer')}
            data={[{ value: ALL, label: t('common.all') }, ...interviewerOptions]}
            value={f.interviewer}
            onChange={(v) => filter({ interviewer: v ?? ALL })}
            allowDeselect={false}
            searchable
            w={220}
            data-testid="records-interviewer"
          />
        )}
        <Switch
          label={t('rounds.records.flaggedOnly')}
          checked={f.flagged}
          onChange={(e) => filter({ flagged: e.currentTarget.checked })}
          mb={8}
          data-testid="records-flagged"
        />
      </Group>

      {movable && <MoveAll roundId={round.id} onDone={done} />}
      {moved !== null && (
        <Alert
          color="green"
          variant="light"
          withCloseButton
          closeButtonLabel={t('common.close')}
          onClose={() => setMoved(null)}
          data-testid="records-moved"
        >
          {t('rounds.reassign.moved', { count: moved, n: n(moved) })}
        </Alert>
      )}
      {movable && selected.size > 0 && <MoveSelected roundId={round.id} ids={[...selected]} onDone={done} />}

      <ErrorAlert error={records.error} onRetry={() => void records.refetch()} />
      {records.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      {records.data && (
        <>
          <Text size="sm" c="dimmed" data-testid="records-total">
            {t('rounds.records.total', { count: records.data.total, n: n(records.data.total) })}
          </Text>
          <ScrollTable minWidth={1000} label={t('rounds.tabs.records')}>
            <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid="records-table">
              <Table.Thead>
                <Table.Tr>
                  {movable && (
                    <Table.Th w={40}>
                      <Checkbox
                        aria-label={t('rounds.records.selectPage')}
                        checked={allOnPage}
                        indeterminate={!allOnPage && openOnPage.some((r) => selected.has(r.id))}
                        disabled={openOnPage.length === 0}
                        onChange={(e) => {
                          const on = e.currentTarget.checked;
                          setSelected((s) => {
                            const next = new Set(s);
                            for (const r of openOnPage) {
                              if (on) next.add(r.id);
                              else next.delete(r.id);
                            }
                            return next;
                          });
                        }}
                        data-testid="records-select-page"
                      />
                    </Table.Th>
                  )}
                  <Table.Th>{t('rounds.records.record')}</Table.Th>
                  <Table.Th>{t('rounds.records.phone')}</Table.Th>
                  <Table.Th>{t('rounds.records.status')}</Table.Th>
                  <Table.Th>{t('rounds.records.interviewer')}</Table.Th>
                  <Table.Th ta="right">{t('rounds.records.attempts')}</Table.Th>
                  <Table.Th>{t('rounds.records.lastOutcome')}</Table.Th>
                  <Table.Th>{t('rounds.records.nextAt')}</Table.Th>
                  <Table.Th>{t('rounds.records.person')}</Table.Th>
                  <Table.Th>{t('rounds.records.flags')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={cols}>
                      <Text size="sm" c="dimmed">
                        {t('rounds.records.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {items.map((r) => (
                  <Table.Tr key={r.id} data-testid="record-row" data-id={r.id} data-status={r.status}>
                    {movable && (
                      <Table.Td>
                        {OPEN_STATUSES.has(r.status) && (
                          <Checkbox
                            aria-label={t('rounds.records.select', { id: r.externalId })}
                            checked={selected.has(r.id)}
                            onChange={(e) => toggle(r.id, e.currentTarget.checked)}
                            data-testid="record-select"
                          />
                        )}
                      </Table.Td>
                    )}
                    <Table.Td miw={170}>
                      <Stack gap={2} align="flex-start">
                        <Code style={{ whiteSpace: 'nowrap' }}>{r.externalId}</Code>
                        <Text size="xs" c="dimmed">
                          {r.unit.name}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="record-phone">
                      {r.phoneMasked ?? '—'}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={statusColor(r.status)} c="dark.7" style={{ minWidth: 'max-content' }}>
                        {t(`rounds.recordStatus.${r.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td data-testid="record-interviewer">
                      {r.interviewer ? (
                        r.interviewer.name
                      ) : (
                        <Text size="sm" c="dimmed">
                          {OPEN_STATUSES.has(r.status) ? t('rounds.reassign.pool') : '—'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{n(r.attempts)}</Table.Td>
                    <Table.Td>
                      {r.lastOutcome ? (
                        <Stack gap={0}>
                          <Text size="sm">{t(`rounds.outcome.${r.lastOutcome}`, { defaultValue: r.lastOutcome })}</Text>
                          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                            {when(r.lastAttemptAt)}
                          </Text>
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('rounds.records.notCalled')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{OPEN_STATUSES.has(r.status) ? when(r.nextAt) : '—'}</Table.Td>
                    <Table.Td miw={110}>
                      {[
                        isGender(r.gender) ? t(`event.gender.${r.gender}`) : null,
                        r.ethnicMinority ? t('rounds.records.minority') : null,
                      ]
                        .filter(Boolean)
                        .join(' · ') || '—'}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {r.flags.map((fl) => (
                          <Badge key={fl} color="red.9" variant="outline" style={{ minWidth: 'max-content' }}>
                            {t(`rounds.flag.${fl}`)}
                          </Badge>
                        ))}
                      </Group>
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
              getControlProps={(c) => ({ 'aria-label': t(`rounds.records.page.${c}`) })}
              data-testid="records-pages"
            />
          )}
        </>
      )}
    </Stack>
  );
}

function statusColor(s: string): string {
  switch (s) {
    case 'completed':
      return 'green';
    case 'partial':
    case 'callback':
      return 'yellow';
    case 'refused':
    case 'do_not_call':
      return 'red';
    case 'pending':
      return 'blue';
    default:
      return 'gray';
  }
}

const GENDERS = ['female', 'male', 'other'] as const;
const isGender = (g: string | null): g is (typeof GENDERS)[number] => (GENDERS as readonly (string | null)[]).includes(g);
