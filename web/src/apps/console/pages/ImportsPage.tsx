import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Drawer,
  Group,
  Loader,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type ChangeEvent, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, upload } from '../../../shared/api';
import { formatDateTime, formatNumber } from '../../../shared/format';
import { tryTranslate } from '../../../shared/i18n';
import {
  EVENT_KINDS,
  type EventKind,
  IMPORT_FIELDS,
  type ImportBatch,
  type ImportBatchDetail,
  type ImportCellError,
  type ImportField,
  type ImportPreview,
  type ImportQuality,
  type ImportReport,
  type ImportStatus,
} from '../../../shared/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { ServiceUnitSelect } from '../components/selects';
import { can, queryClient, useSession } from '../session';
import { useUnits } from './UnitsPage';

export const IMPORTS_KEY = ['imports'] as const;
const HISTORY_LIMIT = 50;
const POLL_MS = 2000;
/** Select value of a column that is not imported. */
const SKIP = '-';

type ColumnMapping = Record<number, ImportField>;
type Phase = { phase: 'upload'; percent: number } | { phase: 'processing' };

/** Multipart body: the plain fields first, the file last (the server reads the parts in order). */
function formOf(file: File, fields: Record<string, string | null | undefined>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) if (value) form.append(name, value);
  form.append('file', file, file.name);
  return form;
}

function isField(v: string | undefined): v is ImportField {
  return (IMPORT_FIELDS as readonly string[]).includes(v ?? '');
}

function toColumnMapping(mapping: Record<string, string>): ColumnMapping {
  const out: ColumnMapping = {};
  for (const [col, field] of Object.entries(mapping)) if (isField(field)) out[Number(col)] = field;
  return out;
}

/** Spreadsheet column letter of a 0-based index: 0 -> A, 26 -> AA. */
function columnLetter(col: number): string {
  let n = col + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const refreshAfterImport = () => {
  void queryClient.invalidateQueries({ queryKey: IMPORTS_KEY });
  void queryClient.invalidateQueries({ queryKey: ['events'] });
  void queryClient.invalidateQueries({ queryKey: ['quality'] });
};

export function ImportsPage() {
  const { t } = useTranslation();
  const me = useSession();
  const units = useUnits();
  const input = useRef<HTMLInputElement>(null);
  const [unit, setUnit] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  const [kind, setKind] = useState<EventKind>('dossier');
  const [remember, setRemember] = useState(false);
  const [phase, setPhase] = useState<Phase | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  const preview = useMutation({
    mutationFn: (v: { file: File; unit: string | null }) =>
      upload<ImportPreview>('/api/v1/imports/preview', formOf(v.file, { unit: v.unit })),
  });
  const runPreview = (f: File, u: string | null) =>
    // Callbacks given to mutate() only run for the latest call: a slower earlier preview cannot win.
    preview.mutate(
      { file: f, unit: u },
      {
        onSuccess: (p) => {
          setMapping(toColumnMapping(p.mapping));
          setKind(p.kind);
          setRemember(false);
        },
      },
    );

  const importFile = useMutation({
    mutationFn: (v: { file: File; unit: string | null; kind: EventKind; mapping: string; remember: boolean }) =>
      upload<ImportReport>(
        '/api/v1/imports',
        formOf(v.file, { unit: v.unit, kind: v.kind, mapping: v.mapping, saveProfile: v.remember ? 'true' : undefined }),
        {
          // Chromium fires the upload's load event only with the response headers, that is after
          // the whole import: the last byte sent is the moment the server starts working.
          onProgress: (loaded, total) =>
            setPhase(
              loaded >= total ? { phase: 'processing' } : { phase: 'upload', percent: Math.floor((loaded / total) * 100) },
            ),
          onUploaded: () => setPhase({ phase: 'processing' }),
        },
      ),
    onMutate: () => {
      setPhase({ phase: 'upload', percent: 0 });
      setReport(null);
    },
    onSuccess: (r) => {
      setReport(r);
      setFile(null);
      preview.reset();
    },
    onSettled: () => {
      setPhase(null);
      refreshAfterImport();
    },
  });

  const history = useQuery({
    queryKey: [...IMPORTS_KEY, HISTORY_LIMIT],
    queryFn: ({ signal }) => api.get<ImportBatch[]>(`/api/v1/imports?limit=${HISTORY_LIMIT}`, signal),
    enabled: can(me, 'events.read'),
  });
  // While the server works on the file, its batch shows how many rows it has read.
  const live = useQuery({
    queryKey: [...IMPORTS_KEY, 'live'],
    queryFn: ({ signal }) => api.get<ImportBatch[]>('/api/v1/imports?limit=5', signal),
    enabled: phase?.phase === 'processing' && can(me, 'events.read'),
    refetchInterval: POLL_MS,
    staleTime: 0,
    gcTime: 0,
  });
  const sent = importFile.variables;
  const running =
    phase?.phase === 'processing' && sent
      ? live.data?.find((b) => b.status === 'running' && b.filename === sent.file.name && (!sent.unit || b.unit === sent.unit))
      : undefined;

  const pick = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.currentTarget.files?.[0];
    e.currentTarget.value = ''; // choosing the same file again must fire change
    if (!f) return;
    setFile(f);
    setReport(null);
    importFile.reset();
    runPreview(f, unit);
  };
  const chooseUnit = (u: string | null) => {
    setUnit(u);
    // The saved mapping of a layout belongs to a unit: look again.
    if (file && !importFile.isPending) runPreview(file, u);
  };

  const p = file ? preview.data : undefined;
  const hasId = Object.values(mapping).includes('externalId');
  const hasUnit = unit !== null || Object.values(mapping).includes('unit');
  const submit = () => {
    if (!file || !p) return;
    const body = { headerRow: p.headerRow, mapping: Object.fromEntries(Object.entries(mapping).map(([c, f]) => [c, f])) };
    importFile.mutate({ file, unit, kind, mapping: JSON.stringify(body), remember: remember && unit !== null });
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('imports.title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('imports.intro')}
      </Text>

      <Paper withBorder p={{ base: 'sm', sm: 'md' }} radius="md">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <ServiceUnitSelect
              data-testid="import-unit"
              label={t('imports.unit')}
              placeholder={t('imports.unitPlaceholder')}
              units={units.data ?? []}
              value={unit}
              onChange={chooseUnit}
              disabled={importFile.isPending}
              clearable
            />
            <Stack gap={4}>
              <Text size="sm" fw={500} component="label" htmlFor="import-file">
                {t('imports.file')}
              </Text>
              <Group gap="sm" wrap="nowrap">
                <input
                  ref={input}
                  id="import-file"
                  type="file"
                  accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                  hidden
                  onChange={pick}
                  data-testid="import-file"
                />
                <Button
                  variant="light"
                  onClick={() => input.current?.click()}
                  disabled={importFile.isPending}
                  style={{ flexShrink: 0 }}
                >
                  {file ? t('imports.changeFile') : t('imports.chooseFile')}
                </Button>
                <Text size="sm" c={file ? undefined : 'dimmed'} truncate data-testid="import-file-name">
                  {file?.name ?? t('imports.noFile')}
                </Text>
              </Group>
            </Stack>
          </SimpleGrid>
          <ErrorAlert error={units.error} onRetry={() => void units.refetch()} />

          {file && preview.isPending && (
            <Group gap="xs" aria-live="polite">
              <Loader size="xs" aria-hidden />
              <Text size="sm">{t('imports.previewing')}</Text>
            </Group>
          )}
          {file && <ErrorAlert error={preview.error} testId="import-preview-error" />}

          {p && file && (
            <MappingEditor
              preview={p}
              mapping={mapping}
              onChange={setMapping}
              disabled={importFile.isPending}
              hasId={hasId}
              hasUnit={hasUnit}
            />
          )}

          {p && file && (
            <Group justify="space-between" align="flex-end" gap="sm">
              <Stack gap="xs" style={{ flex: '1 1 280px' }}>
                <Select
                  label={t('imports.kind')}
                  value={kind}
                  onChange={(v) => v && setKind(v as EventKind)}
                  allowDeselect={false}
                  data={EVENT_KINDS.map((k) => ({ value: k, label: t(`event.kind.${k}`) }))}
                  disabled={importFile.isPending}
                  maw={320}
                />
                <Checkbox
                  data-testid="import-remember"
                  label={t('imports.remember')}
                  description={t('imports.rememberHint')}
                  checked={remember && unit !== null}
                  disabled={unit === null || importFile.isPending}
                  onChange={(e) => setRemember(e.currentTarget.checked)}
                />
              </Stack>
              <Button
                size="md"
                onClick={submit}
                loading={importFile.isPending}
                disabled={!hasId || !hasUnit || preview.isPending}
                data-testid="import-submit"
              >
                {t('imports.submit')}
              </Button>
            </Group>
          )}

          {phase && (
            <Stack gap={4} data-testid="import-progress" aria-live="polite">
              {phase.phase === 'upload' ? (
                <>
                  <Text size="sm">{t('imports.uploading', { percent: phase.percent })}</Text>
                  <Progress value={phase.percent} aria-label={t('imports.uploading', { percent: phase.percent })} />
                </>
              ) : (
                <>
                  <Group gap="xs">
                    <Text size="sm">{t('imports.processing')}</Text>
                    {running && (
                      <Text size="sm" c="dimmed" data-testid="import-progress-rows">
                        {t('imports.processedRows', { count: running.rows })}
                      </Text>
                    )}
                  </Group>
                  <Progress value={100} striped animated aria-label={t('imports.processing')} />
                </>
              )}
            </Stack>
          )}
          <ErrorAlert error={importFile.error} testId="import-error" />
        </Stack>
      </Paper>

      {report && (
        <Paper withBorder p={{ base: 'sm', sm: 'md' }} radius="md">
          <ReportView
            title={t('imports.resultTitle', { file: report.filename })}
            counts={report}
            quality={report.quality}
            errors={report.errors}
            errorCount={report.errorCount}
            testId="import-result"
          />
        </Paper>
      )}

      {can(me, 'events.read') && (
        <Stack gap="xs">
          <Group justify="space-between">
            <Title order={2} size="h3">
              {t('imports.history')}
            </Title>
            <Button
              variant="default"
              size="xs"
              onClick={() => void history.refetch()}
              loading={history.isFetching && !history.isPending}
            >
              {t('common.refresh')}
            </Button>
          </Group>
          {history.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
          <ErrorAlert error={history.error} onRetry={() => void history.refetch()} />
          {history.data && <HistoryTable batches={history.data} onOpen={setOpened} timeZone={me.tenant.timeZone} />}
        </Stack>
      )}

      <ReportDrawer id={opened} onClose={() => setOpened(null)} />
    </Stack>
  );
}

function MappingEditor({
  preview,
  mapping,
  onChange,
  disabled,
  hasId,
  hasUnit,
}: {
  preview: ImportPreview;
  mapping: ColumnMapping;
  onChange: (m: ColumnMapping) => void;
  disabled: boolean;
  hasId: boolean;
  hasUnit: boolean;
}) {
  const { t } = useTranslation();
  const options = useMemo(() => {
    const offered = IMPORT_FIELDS.filter((f) => preview.fields.length === 0 || preview.fields.includes(f));
    return [{ value: SKIP, label: t('imports.skip') }, ...offered.map((f) => ({ value: f, label: t(`imports.field.${f}`) }))];
  }, [preview.fields, t]);

  // Columns with neither a header nor a value in the sample are left out (trailing empty cells).
  const columns = useMemo(() => {
    const width = Math.max(preview.headers.length, ...preview.sample.map((s) => s.cells.length));
    const cols: number[] = [];
    for (let c = 0; c < width; c++) {
      const used = (preview.headers[c] ?? '').trim() || preview.sample.some((s) => (s.cells[c] ?? '').trim());
      if (used || mapping[c] !== undefined) cols.push(c);
    }
    return cols;
  }, [preview, mapping]);

  // A field belongs to one column: choosing it for a column takes it from any other.
  const assign = (col: number, value: string | null) => {
    const next: ColumnMapping = {};
    for (const [c, f] of Object.entries(mapping)) if (f !== value && Number(c) !== col) next[Number(c)] = f;
    if (isField(value ?? undefined)) next[col] = value as ImportField;
    onChange(next);
  };

  // On a phone a table would push the selects out of sight: one card per column instead.
  const narrow = useMediaQuery('(max-width: 48em)');
  const cells = columns.map((c) => ({
    c,
    header: (preview.headers[c] ?? '').trim(),
    samples: preview.sample
      .map((s) => (s.cells[c] ?? '').trim())
      .filter(Boolean)
      .slice(0, 3),
    field: mapping[c],
  }));
  const headerText = (header: string) =>
    header ? (
      <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
        {header}
      </Text>
    ) : (
      <Text size="sm" c="dimmed" fs="italic">
        {t('imports.noHeaderText')}
      </Text>
    );
  const fieldSelect = (c: number, header: string, field: ImportField | undefined) => (
    <Select
      data-testid="import-mapping-select"
      aria-label={t('imports.mappingLabel', { column: header || columnLetter(c) })}
      size={narrow ? 'sm' : 'xs'}
      value={field ?? SKIP}
      onChange={(v) => assign(c, v)}
      allowDeselect={false}
      data={options}
      disabled={disabled}
      maxDropdownHeight={320}
      styles={field ? undefined : { input: { color: 'var(--mantine-color-dimmed)' } }}
    />
  );

  return (
    <Stack gap="xs" data-testid="import-preview">
      <Group gap="xs">
        <Text size="sm" data-testid="import-header-row">
          {t('imports.headerRow', { row: preview.headerRow })}
        </Text>
        {preview.profile && (
          <Badge color="teal" variant="light" title={t('imports.profileHint')} data-testid="import-profile">
            {t('imports.profileBadge')}
          </Badge>
        )}
      </Group>
      {narrow ? (
        <Stack gap="xs" data-testid="import-mapping">
          {cells.map(({ c, header, field, samples }) => (
            <Paper
              key={c}
              withBorder
              p="xs"
              radius="md"
              data-testid="import-mapping-row"
              data-column={c}
              data-field={field ?? ''}
            >
              <Stack gap={6}>
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <Code>{columnLetter(c)}</Code>
                  {headerText(header)}
                </Group>
                {samples.length > 0 && (
                  <Text size="xs" c="dimmed" truncate title={samples.join(' · ')}>
                    {samples.join(' · ')}
                  </Text>
                )}
                {fieldSelect(c, header, field)}
              </Stack>
            </Paper>
          ))}
        </Stack>
      ) : (
        <Table verticalSpacing="xs" fz="sm" striped data-testid="import-mapping">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={48}>{t('imports.column')}</Table.Th>
              <Table.Th>{t('imports.header')}</Table.Th>
              <Table.Th>{t('imports.samples')}</Table.Th>
              <Table.Th w={220}>{t('imports.mapsTo')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cells.map(({ c, header, field, samples }) => (
              <Table.Tr key={c} data-testid="import-mapping-row" data-column={c} data-field={field ?? ''}>
                <Table.Td>
                  <Code>{columnLetter(c)}</Code>
                </Table.Td>
                <Table.Td>{headerText(header)}</Table.Td>
                <Table.Td style={{ maxWidth: 260 }}>
                  {samples.map((v, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the same value may occur twice
                    <Text key={i} size="xs" c="dimmed" truncate title={v}>
                      {v}
                    </Text>
                  ))}
                </Table.Td>
                <Table.Td>{fieldSelect(c, header, field)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {!hasId && (
        <Alert color="orange" variant="light" data-testid="import-need-id">
          {t('imports.needId')}
        </Alert>
      )}
      {hasId && !hasUnit && (
        <Alert color="orange" variant="light">
          {t('imports.needUnit')}
        </Alert>
      )}
    </Stack>
  );
}

interface Counts {
  rows: number;
  accepted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** Counts, data quality and the rows with errors of one import. */
function ReportView({
  title,
  counts,
  quality,
  errors,
  errorCount,
  testId,
}: {
  title: string;
  counts: Counts;
  quality: Partial<ImportQuality>;
  errors: ImportCellError[];
  errorCount: number;
  testId: string;
}) {
  const { t, i18n } = useTranslation();
  const stats: { key: keyof Counts; label: string; color?: string }[] = [
    { key: 'accepted', label: t('imports.accepted'), color: 'green.8' },
    { key: 'updated', label: t('imports.updated'), color: 'blue.8' },
    { key: 'unchanged', label: t('imports.unchanged') },
    { key: 'rejected', label: t('imports.rejected'), color: counts.rejected > 0 ? 'red.8' : undefined },
  ];
  return (
    <Stack
      gap="sm"
      data-testid={testId}
      data-accepted={counts.accepted}
      data-updated={counts.updated}
      data-unchanged={counts.unchanged}
      data-rejected={counts.rejected}
      aria-live="polite"
    >
      <Text fw={600} style={{ wordBreak: 'break-word' }}>
        {title}
      </Text>
      <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="xs">
        {stats.map((s) => (
          <Paper key={s.key} withBorder p="xs" radius="md" data-testid={`import-count-${s.key}`}>
            <Text size="xl" fw={700} c={s.color} lh={1.2}>
              {formatNumber(counts[s.key], i18n.language)}
            </Text>
            <Text size="xs" c="dimmed">
              {s.label}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {quality.rows !== undefined && (
        <Text size="sm" data-testid="import-quality">
          {t('imports.quality', {
            rows: quality.rows,
            validMobile: quality.validMobile ?? 0,
            withName: quality.withName ?? 0,
            withReturnDate: quality.withReturnDate ?? 0,
          })}
        </Text>
      )}
      {errors.length === 0 ? (
        errorCount === 0 && (
          <Text size="sm" c="dimmed">
            {t('imports.noErrors')}
          </Text>
        )
      ) : (
        <ErrorTable errors={errors} />
      )}
      {errorCount > errors.length && (
        <Text size="xs" c="dimmed" data-testid="import-errors-truncated">
          {t('imports.errorsTruncated', { shown: errors.length, count: errorCount })}
        </Text>
      )}
    </Stack>
  );
}

function ErrorTable({ errors }: { errors: ImportCellError[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {t('imports.errorsTitle')}
      </Text>
      <Table.ScrollContainer minWidth={480} maxHeight={360}>
        <Table striped withRowBorders={false} fz="xs" data-testid="import-errors">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={64}>{t('imports.errorRow')}</Table.Th>
              <Table.Th w={160}>{t('imports.errorColumn')}</Table.Th>
              <Table.Th>{t('imports.errorReason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {errors.map((e, i) => {
              const reason = tryTranslate(`errors.${e.code}`);
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: one cell may have the same error twice
                <Table.Tr key={`${e.row}-${e.column}-${e.code}-${i}`} data-testid="import-error-row" data-code={e.code}>
                  <Table.Td>{e.row}</Table.Td>
                  {/* Errors found after parsing name the field rather than the header. */}
                  <Table.Td>{tryTranslate(`imports.field.${e.column}`) ?? e.column}</Table.Td>
                  <Table.Td>
                    {reason ?? e.message}
                    {reason && e.message && e.message !== reason && (
                      <Text size="xs" c="dimmed">
                        {e.message}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

const STATUS_COLOR: Record<ImportStatus, string> = { running: 'blue', done: 'green', failed: 'red' };

function BatchStatus({ batch }: { batch: ImportBatch }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[batch.status]} variant="light" data-testid="import-history-status" data-status={batch.status}>
      {t(`imports.batchStatus.${batch.status}`)}
    </Badge>
  );
}

function HistoryTable({ batches, onOpen, timeZone }: { batches: ImportBatch[]; onOpen: (id: string) => void; timeZone: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" data-testid="import-history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.at')}</Table.Th>
            <Table.Th>{t('imports.file')}</Table.Th>
            <Table.Th>{t('imports.unit')}</Table.Th>
            <Table.Th>{t('imports.status')}</Table.Th>
            <Table.Th ta="right">{t('imports.rows')}</Table.Th>
            <Table.Th>{t('imports.counts')}</Table.Th>
            <Table.Th>{t('imports.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {batches.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={7}>
                <Text c="dimmed" size="sm">
                  {t('imports.historyEmpty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {batches.map((b) => (
            <Table.Tr
              key={b.id}
              data-testid="import-history-row"
              data-id={b.id}
              onClick={() => onOpen(b.id)}
              style={{ cursor: 'pointer' }}
            >
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(b.createdAt, i18n.language, timeZone)}</Table.Td>
              <Table.Td style={{ maxWidth: 260 }}>
                <UnstyledButton
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(b.id);
                  }}
                  aria-label={t('imports.open', { file: b.filename })}
                  c="blue.8"
                  fz="sm"
                  style={{ overflowWrap: 'anywhere', textAlign: 'left' }}
                >
                  {b.filename}
                </UnstyledButton>
              </Table.Td>
              <Table.Td>{b.unit ? <Code style={{ whiteSpace: 'nowrap' }}>{b.unit}</Code> : t('common.none')}</Table.Td>
              <Table.Td>
                <BatchStatus batch={b} />
              </Table.Td>
              <Table.Td ta="right">{formatNumber(b.rows, i18n.language)}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {b.accepted} / {b.updated} / {b.unchanged} /{' '}
                <Text span size="sm" c={b.rejected > 0 ? 'red.8' : undefined}>
                  {b.rejected}
                </Text>
              </Table.Td>
              <Table.Td>{b.createdBy ?? t('common.none')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ReportDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const mobile = useMediaQuery('(max-width: 36em)');
  const detail = useQuery({
    queryKey: [...IMPORTS_KEY, 'detail', id],
    queryFn: ({ signal }) => api.get<ImportBatchDetail>(`/api/v1/imports/${encodeURIComponent(id ?? '')}`, signal),
    enabled: id !== null,
  });
  const b = detail.data;
  return (
    <Drawer
      opened={id !== null}
      onClose={onClose}
      position="right"
      size={mobile ? '100%' : 'xl'}
      title={t('imports.reportTitle')}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack data-testid="import-report">
        {detail.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
        <ErrorAlert error={detail.error} onRetry={() => void detail.refetch()} />
        {b && (
          <>
            <Group gap="xs">
              <BatchStatus batch={b} />
              <Text size="sm" c="dimmed">
                {formatDateTime(b.createdAt, i18n.language, me.tenant.timeZone)}
                {b.createdBy ? ` · ${b.createdBy}` : ''}
                {b.unit ? ` · ${b.unit}` : ''}
                {b.headerRow ? ` · ${t('imports.headerRow', { row: b.headerRow })}` : ''}
              </Text>
            </Group>
            {b.status === 'failed' && b.failure && (
              <Alert color="red" variant="light">
                {t('imports.failure', { reason: tryTranslate(`errors.${b.failure}`) ?? b.failure })}
              </Alert>
            )}
            <ReportView
              title={b.filename}
              counts={b}
              quality={b.quality}
              errors={b.errors}
              errorCount={b.errorCount}
              testId="import-report-result"
            />
          </>
        )}
      </Stack>
    </Drawer>
  );
}
