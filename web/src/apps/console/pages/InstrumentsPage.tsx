// Survey instruments: the list with their versions and channels, which
// instrument each channel runs where, and (with ?code=) one instrument.
import { Anchor, Badge, Box, Button, Code, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import type { InstrumentSummary } from '../../../shared/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { linkHandler, useLocation } from '../router';
import { canEverywhere, useSession } from '../session';
import { Assignments } from './instruments/Assignments';
import { InstrumentDetailView } from './instruments/Detail';
import { InstrumentFormModal } from './instruments/InstrumentForm';
import { INSTRUMENTS_KEY, lt } from './instruments/model';

export function InstrumentsPage() {
  const { search } = useLocation();
  const code = search.get('code');
  const version = Number(search.get('version'));
  if (code) return <InstrumentDetailView code={code} version={Number.isInteger(version) && version > 0 ? version : null} />;
  return <InstrumentList />;
}

const detailHref = (code: string) => `/instruments?code=${encodeURIComponent(code)}`;

function InstrumentList() {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const canWrite = canEverywhere(me, 'surveys.write');
  const narrow = useMediaQuery('(max-width: 48em)');
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: INSTRUMENTS_KEY,
    queryFn: ({ signal }) => api.get<InstrumentSummary[]>('/api/v1/instruments', signal),
  });
  const lang = i18n.language;

  const draft = (i: InstrumentSummary) =>
    i.draftVersion !== null && (
      <Badge color="yellow" variant="light" c="dark.7" data-testid="instrument-draft">
        {t('instruments.draftBadge', { version: i.draftVersion })}
      </Badge>
    );
  const builtin = (i: InstrumentSummary) =>
    i.builtin && (
      <Badge color="gray" variant="dot" data-testid="instrument-builtin">
        {t('instruments.builtin')}
      </Badge>
    );
  const channels = (i: InstrumentSummary) => (
    <Group gap={4}>
      {i.channels.map((c) => (
        <Badge key={c} size="sm" variant="light" color="grape">
          {t(`instruments.channel.${c}`)}
        </Badge>
      ))}
    </Group>
  );
  const sector = (i: InstrumentSummary) =>
    i.sector ? (
      t(`unit.sector.${i.sector}`)
    ) : (
      <Text span c="dimmed" size="sm">
        {t('instruments.anySector')}
      </Text>
    );
  const latest = (i: InstrumentSummary) =>
    i.latestVersion !== null ? (
      <Text size="sm" data-testid="instrument-latest">
        {t('instruments.versionN', { version: i.latestVersion })}
      </Text>
    ) : (
      <Text size="sm" c="dimmed" data-testid="instrument-latest">
        {t('instruments.unpublished')}
      </Text>
    );

  return (
    <Stack>
      <Group justify="space-between" gap="sm">
        <Title order={1} size="h2">
          {t('instruments.title')}
        </Title>
        {canWrite && (
          <Button onClick={() => setCreating(true)} data-testid="instrument-create">
            {t('instruments.create')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('instruments.intro')}
      </Text>

      {list.isPending && <Loader size="sm" aria-label={t('app.loading')} />}
      <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />

      {list.data &&
        (narrow ? (
          <Stack gap="xs" data-testid="instruments-table">
            {list.data.map((i) => (
              <Paper key={i.code} withBorder p="sm" radius="md" data-testid="instrument-row" data-code={i.code}>
                <Stack gap={6}>
                  <Anchor href={detailHref(i.code)} onClick={linkHandler(detailHref(i.code))} fw={600}>
                    {lt(i.name, lang)}
                  </Anchor>
                  <Group gap={6}>
                    <Code>{i.code}</Code>
                    {latest(i)}
                    {draft(i)}
                    {builtin(i)}
                  </Group>
                  <Group gap={6}>
                    <Text size="sm">{sector(i)}</Text>
                    {channels(i)}
                  </Group>
                </Stack>
              </Paper>
            ))}
          </Stack>
        ) : (
          <Table.ScrollContainer minWidth={860}>
            <Table striped highlightOnHover verticalSpacing="xs" data-testid="instruments-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('instruments.code')}</Table.Th>
                  <Table.Th>{t('instruments.name')}</Table.Th>
                  <Table.Th>{t('instruments.sector')}</Table.Th>
                  <Table.Th>{t('instruments.channels')}</Table.Th>
                  <Table.Th>{t('instruments.latest')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Text size="sm" c="dimmed">
                        {t('instruments.empty')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
                {list.data.map((i) => (
                  <Table.Tr key={i.code} data-testid="instrument-row" data-code={i.code}>
                    <Table.Td>
                      <Stack gap={4} align="flex-start">
                        <Anchor href={detailHref(i.code)} onClick={linkHandler(detailHref(i.code))} ff="monospace" size="sm">
                          {i.code}
                        </Anchor>
                        {builtin(i)}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Anchor
                        href={detailHref(i.code)}
                        onClick={linkHandler(detailHref(i.code))}
                        c="inherit"
                        size="sm"
                        fw={500}
                        data-testid="instrument-open"
                      >
                        {lt(i.name, lang)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {sector(i)}
                      </Text>
                    </Table.Td>
                    <Table.Td>{channels(i)}</Table.Td>
                    <Table.Td>
                      <Stack gap={4} align="flex-start">
                        {latest(i)}
                        {draft(i)}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}

      {list.data && (
        <Box pt="lg">
          <Assignments instruments={list.data} />
        </Box>
      )}

      <InstrumentFormModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
