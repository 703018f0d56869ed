import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type ChangeEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type ProblemFieldError, request } from '../../../shared/api';
import { tryTranslate } from '../../../shared/i18n';
import type { ImportResult } from '../../../shared/types';
import { queryClient } from '../session';
import { ErrorAlert } from './ErrorAlert';

interface Outcome {
  file: string;
  result?: ImportResult;
  rowErrors?: ProblemFieldError[];
  error?: unknown;
}

/** Row number of a row error (0: the whole file); a path such as "/3/kind" is accepted too. */
function rowOf(e: ProblemFieldError): number | null {
  if (typeof e.row === 'number') return e.row;
  const m = e.path ? /\d+/.exec(e.path) : null;
  return m ? Number(m[0]) : null;
}

export function UnitImport() {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const upload = useMutation({
    mutationFn: async (file: File) => {
      const text = await file.text();
      return request<ImportResult>('/api/v1/units/import', { method: 'POST', body: text, contentType: 'text/csv' });
    },
    onMutate: (file) => setOutcome({ file: file.name }),
    onSuccess: (result, file) => {
      setOutcome({ file: file.name, result, rowErrors: result.errors?.length ? result.errors : undefined });
      void queryClient.invalidateQueries({ queryKey: ['units'] });
    },
    onError: (error, file) => {
      const rows = error instanceof ApiError && error.code === 'import.rows_invalid' ? error.errors : undefined;
      setOutcome({ file: file.name, rowErrors: rows?.length ? rows : undefined, error: rows?.length ? undefined : error });
    },
  });

  const pick = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    e.currentTarget.value = ''; // choosing the same file again must fire change
    if (file) upload.mutate(file);
  };

  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap">
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv"
          hidden
          onChange={pick}
          data-testid="unit-import-input"
          aria-label={t('units.import.button')}
        />
        <Button
          variant="light"
          size="sm"
          loading={upload.isPending}
          onClick={() => input.current?.click()}
          data-testid="unit-import"
        >
          {t('units.import.button')}
        </Button>
        <Text size="xs" c="dimmed" style={{ flex: 1, minWidth: 200 }}>
          {t('units.import.help')}
        </Text>
      </Group>
      {outcome && <ImportOutcome outcome={outcome} pending={upload.isPending} />}
    </Stack>
  );
}

function ImportOutcome({ outcome, pending }: { outcome: Outcome; pending: boolean }) {
  const { t } = useTranslation();
  if (pending) {
    return (
      <Text size="sm" data-testid="unit-import-result" aria-live="polite">
        {t('units.import.running', { file: outcome.file })}
      </Text>
    );
  }
  if (outcome.error) {
    return (
      <div data-testid="unit-import-result">
        <ErrorAlert error={outcome.error} />
      </div>
    );
  }
  if (outcome.rowErrors) {
    return (
      <Alert
        color="red"
        role="alert"
        data-testid="unit-import-result"
        title={t('units.import.failed', { file: outcome.file, count: outcome.rowErrors.length })}
      >
        <Table.ScrollContainer minWidth={360} maxHeight={320}>
          <Table striped withRowBorders={false} fz="xs" data-testid="unit-import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('units.import.row')}</Table.Th>
                <Table.Th>{t('units.import.code')}</Table.Th>
                <Table.Th>{t('units.import.message')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {outcome.rowErrors.map((e) => {
                const translated = tryTranslate(`errors.${e.code}`);
                return (
                  <Table.Tr key={`${e.row ?? e.path}-${e.code}-${e.message}`} data-testid="unit-import-error">
                    <Table.Td>{rowOf(e) || t('units.import.wholeFile')}</Table.Td>
                    <Table.Td>
                      <code>{e.code}</code>
                    </Table.Td>
                    <Table.Td>
                      {translated ?? e.message}
                      {translated && e.message && e.message !== translated && (
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
      </Alert>
    );
  }
  if (outcome.result) {
    const r = outcome.result;
    return (
      <Alert color="green" role="status" data-testid="unit-import-result">
        {t('units.import.done', { file: outcome.file, created: r.created, updated: r.updated, unchanged: r.unchanged })}
      </Alert>
    );
  }
  return null;
}
