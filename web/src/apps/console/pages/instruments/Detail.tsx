// One instrument: its versions, the chosen one previewed per channel (a draft
// edited by those who may), and the answers counted so far.
import { Alert, Anchor, Badge, Box, Button, Code, Group, Loader, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../../../shared/api';
import { formatDateTime } from '../../../../shared/format';
import type { InstrumentDetail, InstrumentVersion } from '../../../../shared/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import { linkHandler, navigate } from '../../router';
import { can, canEverywhere, queryClient, useSession } from '../../session';
import { DraftEditor } from './DraftEditor';
import { InstrumentFormModal } from './InstrumentForm';
import { languageName } from './Languages';
import { editLanguages, INSTRUMENTS_KEY, instrumentKey, lt } from './model';
import { conditionText, Preview } from './Preview';
import { Results } from './Results';

const detailUrl = (code: string, version?: number) =>
  `/instruments?code=${encodeURIComponent(code)}${version ? `&version=${version}` : ''}`;

/** The version shown first: the draft to those who edit, else the latest published one. */
function defaultVersion(i: InstrumentDetail, canWrite: boolean): InstrumentVersion | undefined {
  const draft = i.versions.find((v) => v.status === 'draft');
  if (draft && canWrite) return draft;
  return i.versions.filter((v) => v.status === 'published').at(-1) ?? i.versions.at(-1);
}

export function InstrumentDetailView({ code, version }: { code: string; version: number | null }) {
  const { t, i18n } = useTranslation();
  const me = useSession();
  const canWrite = canEverywhere(me, 'surveys.write');
  const wide = useMediaQuery('(min-width: 75em)') ?? false;
  const [editingMeta, setEditingMeta] = useState(false);
  const q = useQuery({
    queryKey: instrumentKey(code),
    queryFn: ({ signal }) => api.get<InstrumentDetail>(`/api/v1/instruments/${encodeURIComponent(code)}`, signal),
  });

  const copy = useMutation({
    mutationFn: (from: InstrumentVersion) =>
      request<{ version: number }>(`/api/v1/instruments/${encodeURIComponent(code)}/draft`, {
        method: 'PUT',
        body: { definition: from.definition },
      }),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: INSTRUMENTS_KEY });
      navigate(detailUrl(code, r.version), { replace: true });
    },
  });

  const back = (
    <Anchor href="/instruments" onClick={linkHandler('/instruments')} size="sm" data-testid="instruments-back">
      ← {t('instruments.backToList')}
    </Anchor>
  );
  if (q.isPending) {
    return (
      <Stack>
        {back}
        <Loader size="sm" aria-label={t('app.loading')} />
      </Stack>
    );
  }
  if (q.isError || !q.data) {
    return (
      <Stack>
        {back}
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      </Stack>
    );
  }

  const inst = q.data;
  const selected = inst.versions.find((v) => v.version === version) ?? defaultVersion(inst, canWrite);
  const draft = inst.versions.find((v) => v.status === 'draft');
  const lang = i18n.language;
  const when = (iso: string) => formatDateTime(iso, lang, me.tenant.timeZone);

  return (
    <Stack gap="md" data-testid="instrument-detail" data-code={inst.code}>
      {back}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4} style={{ minWidth: 0, flex: '1 1 320px' }}>
          <Title order={1} size="h2">
            {lt(inst.name, lang)}
          </Title>
          <Group gap={6}>
            <Code>{inst.code}</Code>
            {inst.sector ? (
              <Badge variant="outline" color={inst.sector === 'health' ? 'teal' : 'indigo'}>
                {t(`unit.sector.${inst.sector}`)}
              </Badge>
            ) : (
              <Badge variant="outline" color="gray">
                {t('instruments.anySector')}
              </Badge>
            )}
            {inst.channels.map((c) => (
              <Badge key={c} variant="light" color="grape">
                {t(`instruments.channel.${c}`)}
              </Badge>
            ))}
            {inst.builtin && (
              <Badge variant="dot" color="gray">
                {t('instruments.builtin')}
              </Badge>
            )}
            {inst.framework && (
              <Text size="xs" c="dimmed">
                {t('instruments.frameworkOf', { framework: inst.framework })}
              </Text>
            )}
          </Group>
        </Stack>
        {canWrite && (
          <Button variant="default" size="sm" onClick={() => setEditingMeta(true)} data-testid="instrument-edit-meta">
            {t('instruments.editMeta')}
          </Button>
        )}
      </Group>

      <Paper withBorder p="sm" radius="md">
        <Group gap="sm" align="flex-end" wrap="wrap">
          <Select
            label={t('instruments.version')}
            allowDeselect={false}
            value={selected ? String(selected.version) : null}
            onChange={(v) => v && navigate(detailUrl(code, Number(v)), { replace: true })}
            data={[...inst.versions].reverse().map((v) => ({
              value: String(v.version),
              label:
                v.status === 'draft'
                  ? `${t('instruments.versionN', { version: v.version })} · ${t('instruments.draft')}`
                  : `${t('instruments.versionN', { version: v.version })} · ${t('instruments.published')}`,
            }))}
            w={260}
            data-testid="version-select"
          />
          {selected && (
            <Text size="sm" c="dimmed" pb={8} data-testid="version-info" data-status={selected.status}>
              {selected.status === 'published'
                ? t('instruments.publishedInfo', {
                    date: selected.publishedAt ? when(selected.publishedAt) : '',
                    by: selected.publishedBy ?? '—',
                  })
                : t('instruments.draftInfo', { by: selected.createdBy ?? '—' })}
              {selected.note ? ` · ${selected.note}` : ''}
            </Text>
          )}
        </Group>
      </Paper>

      {selected && selected.status === 'draft' && canWrite ? (
        <DraftEditor
          key={`${inst.code}-${selected.version}`}
          code={inst.code}
          version={selected.version}
          definition={selected.definition}
          channels={inst.channels}
          tenantName={me.tenant.name}
          twoColumns={wide}
          onPublished={(v) => navigate(detailUrl(code, v), { replace: true })}
          onDiscarded={() => navigate(detailUrl(code), { replace: true })}
        />
      ) : selected ? (
        <>
          {selected.status === 'published' && (
            <Alert color="blue" variant="light" data-testid="version-frozen">
              <Group justify="space-between" gap="sm">
                <Text size="sm" style={{ flex: '1 1 280px' }}>
                  {canWrite && draft
                    ? t('instruments.frozenWithDraft', { version: draft.version })
                    : canWrite
                      ? t('instruments.frozenCanCopy')
                      : t('instruments.frozen')}
                </Text>
                {canWrite &&
                  (draft ? (
                    <Button
                      size="sm"
                      variant="light"
                      onClick={() => navigate(detailUrl(code, draft.version), { replace: true })}
                      data-testid="open-draft"
                    >
                      {t('instruments.openDraft', { version: draft.version })}
                    </Button>
                  ) : (
                    <Button size="sm" onClick={() => copy.mutate(selected)} loading={copy.isPending} data-testid="new-version">
                      {t('instruments.newVersion')}
                    </Button>
                  ))}
              </Group>
            </Alert>
          )}
          <ErrorAlert error={copy.error} />
          <ReadOnlyVersion
            key={selected.version}
            version={selected}
            wide={wide}
            channels={inst.channels}
            tenantName={me.tenant.name}
          />
        </>
      ) : (
        <Text c="dimmed">{t('instruments.noVersions')}</Text>
      )}

      {can(me, 'responses.read') && (
        <Box pt="md">
          <Results code={inst.code} versions={inst.versions} />
        </Box>
      )}

      <InstrumentFormModal opened={editingMeta} onClose={() => setEditingMeta(false)} existing={inst} />
    </Stack>
  );
}

function ReadOnlyVersion({
  version,
  wide,
  channels,
  tenantName,
}: {
  version: InstrumentVersion;
  wide: boolean;
  channels: InstrumentDetail['channels'];
  tenantName: string;
}) {
  const { t, i18n } = useTranslation();
  const def = version.definition;
  const lang = i18n.language === 'en' ? 'en' : 'vi';
  const fixed = i18n.getFixedT(lang);
  const items = (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('instruments.itemsOf', { count: def.items.length })}
      </Title>
      <Text size="sm" c="dimmed" data-testid="version-languages">
        {t('instruments.languages.list', { names: editLanguages(def.languages).map(languageName).join(', ') })}
      </Text>
      <Table fz="sm" verticalSpacing={6} striped data-testid="version-items">
        <Table.Tbody>
          {def.items.map((it, i) => (
            <Table.Tr key={it.code} data-testid="version-item" data-code={it.code}>
              <Table.Td c="dimmed" w={36} ta="right" style={{ verticalAlign: 'top' }}>
                {i + 1}.
              </Table.Td>
              <Table.Td>
                <Group gap={6} mb={2}>
                  <Text size="xs" ff="monospace" fw={600}>
                    {it.code}
                  </Text>
                  <Badge size="xs" variant="light">
                    {it.type === 'scale'
                      ? t('instruments.type.scaleRange', { max: it.max ?? 5 })
                      : t(`instruments.type.${it.type}`)}
                  </Badge>
                </Group>
                <Text size="sm">
                  {lt(it.label, lang)}
                  {it.required && (
                    <Text span c="red" aria-label={t('instruments.item.requiredBadge')}>
                      {' *'}
                    </Text>
                  )}
                </Text>
                {it.showIf && (
                  <Text size="xs" c="dimmed" fs="italic">
                    {fixed('instruments.preview.script.onlyIf', {
                      condition: conditionText(it.showIf, def, lang, fixed as never),
                    })}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
  const preview = <Preview def={def} channels={channels} tenantName={tenantName} />;
  return wide ? (
    <Group align="flex-start" gap="lg" wrap="nowrap">
      <Box style={{ flex: '1 1 0', minWidth: 0 }}>{items}</Box>
      <Box style={{ flex: '0 0 440px', minWidth: 0 }}>{preview}</Box>
    </Group>
  ) : (
    <Stack gap="lg">
      {items}
      {preview}
    </Stack>
  );
}
