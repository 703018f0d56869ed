// The message texts, one card per kind: variables to insert, a live counter
// and example worked out with the server's own functions (src/modules/sms/text.ts),
// so what the editor shows is what the dispatcher will send and pay for.
import { Alert, Badge, Button, Code, Group, Loader, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ApiError, api, request } from '../../../../shared/api';
import { formatNumber } from '../../../../shared/format';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { queryClient } from '../../session';
import { type SmsT, useSmsT } from './i18n';
import {
  accentedChars,
  encodingOf,
  render,
  SETTINGS_KEY,
  type SettingsResponse,
  type SmsTemplate,
  sampleValues,
  smsSize,
  TEMPLATES_KEY,
  type TemplateKind,
  templateProblems,
} from './model';

export function TemplatesPanel({ canEdit }: { canEdit: boolean }) {
  const { t, tc } = useSmsT();
  const templates = useQuery({
    queryKey: TEMPLATES_KEY,
    queryFn: ({ signal }) => api.get<SmsTemplate[]>('/api/v1/sms/templates', signal),
  });
  // The sender fills {sender} in the examples; only administrators may read the settings.
  const settings = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: ({ signal }) => api.get<SettingsResponse>('/api/v1/sms/settings', signal),
    enabled: canEdit,
  });
  const sender = settings.data?.settings.sender ?? null;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('sms.templates.intro')}
      </Text>
      {!canEdit && (
        <Alert color="blue" variant="light" data-testid="templates-readonly">
          {t('sms.templates.readOnly')}
        </Alert>
      )}
      {templates.isPending && <Loader size="sm" aria-label={tc('app.loading')} />}
      <ErrorAlert error={templates.error} onRetry={() => void templates.refetch()} />
      {templates.data && (
        <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
          {templates.data.map((tpl) => (
            <TemplateCard key={tpl.kind} template={tpl} canEdit={canEdit} sender={sender} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

type Problem = { variable: string; message?: string };

/** The server's own words in English; in Vietnamese the same sentence, translated. */
function problemText(t: SmsT, lang: string, variables: readonly string[], p: Problem) {
  if (lang === 'en' && p.message) return p.message;
  return t('sms.templates.badVariable', {
    variable: `{${p.variable}}`,
    allowed: variables.map((v) => `{${v}}`).join(', '),
  });
}

function TemplateCard({ template, canEdit, sender }: { template: SmsTemplate; canEdit: boolean; sender: string | null }) {
  const { t, lang } = useSmsT();
  const n = (v: number) => formatNumber(v, lang);
  const kind = template.kind;
  const [draft, setDraft] = useState(template.body);
  const [saved, setSaved] = useState(false);
  const [resetting, setResetting] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  const put = (body: string) =>
    request<{ kind: TemplateKind; body: string; custom: boolean }>(`/api/v1/sms/templates/${kind}`, {
      method: 'PUT',
      body: { body },
    });
  const after = (r: { body: string; custom: boolean }) => {
    setDraft(r.body);
    setSaved(true);
    queryClient.setQueryData<SmsTemplate[]>(TEMPLATES_KEY, (list) =>
      list?.map((x) => (x.kind === kind ? { ...x, body: r.body, custom: r.custom } : x)),
    );
  };
  const save = useMutation({ mutationFn: () => put(draft), onSuccess: after });
  const reset = useMutation({
    mutationFn: () => put(''),
    onSuccess: (r) => {
      setResetting(false);
      after(r);
    },
  });

  const change = (v: string) => {
    setDraft(v);
    setSaved(false);
    save.reset();
  };
  /** Puts {variable} where the cursor is (or over the selection) and leaves the cursor after it. */
  const insert = (variable: string) => {
    const el = area.current;
    const token = `{${variable}}`;
    const start = el?.selectionStart ?? draft.length;
    const end = el?.selectionEnd ?? draft.length;
    change(draft.slice(0, start) + token + draft.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const gsm = encodingOf(draft) === 'gsm7';
  // Unaccented templates get unaccented values too, as the dispatcher does.
  const example = render(draft, sampleValues(sender), gsm);
  const size = smsSize(example);
  const accented = gsm ? [] : accentedChars(draft, (ch) => encodingOf(ch) === 'gsm7');
  const serverProblems =
    save.error instanceof ApiError && save.error.code === 'sms.template_variable'
      ? save.error.errors.map((e) => ({ variable: String((e as { variable?: unknown }).variable ?? ''), message: e.message }))
      : null;
  const problems: Problem[] = serverProblems ?? templateProblems(kind, draft);
  const otherError = save.error && !serverProblems ? save.error : null;
  const dirty = draft !== template.body;

  return (
    <Paper withBorder p="md" radius="md" data-testid="template-card" data-kind={kind}>
      <Stack gap="xs">
        <Group gap="xs" justify="space-between" align="flex-start">
          <Stack gap={2} style={{ flex: '1 1 260px', minWidth: 0 }}>
            <Group gap="xs">
              <Title order={2} size="h4">
                {t(`sms.kind.${kind}`)}
              </Title>
              <Badge variant="light" color={template.custom ? 'blue' : 'gray'} c="dark.7" data-testid="template-custom">
                {template.custom ? t('sms.templates.custom') : t('sms.templates.builtIn')}
              </Badge>
              {dirty && canEdit && (
                <Badge variant="outline" color="orange.9" c="dark.7" data-testid="template-dirty">
                  {t('sms.templates.unsaved')}
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              {t(`sms.kindHelp.${kind}`)}
            </Text>
          </Stack>
        </Group>

        <Stack gap={4}>
          <Text size="xs" c="dimmed" fw={500} id={`tpl-vars-${kind}`}>
            {canEdit ? t('sms.templates.variables') : t('sms.templates.variablesList')}
          </Text>
          <Group gap={6} role="group" aria-labelledby={`tpl-vars-${kind}`}>
            {template.variables.map((v) =>
              canEdit ? (
                <Button
                  key={v}
                  size="compact-sm"
                  radius="xl"
                  variant="light"
                  onClick={() => insert(v)}
                  aria-label={t('sms.templates.insert', { variable: `{${v}}`, meaning: variableMeaning(t, v) })}
                  title={variableMeaning(t, v)}
                  data-testid="template-variable"
                  data-variable={v}
                >
                  {`{${v}}`}
                </Button>
              ) : (
                <Code key={v} title={variableMeaning(t, v)}>{`{${v}}`}</Code>
              ),
            )}
          </Group>
        </Stack>

        <Textarea
          ref={area}
          label={t('sms.templates.body', { kind: t(`sms.kind.${kind}`) })}
          value={draft}
          onChange={(e) => change(e.currentTarget.value)}
          readOnly={!canEdit}
          autosize
          minRows={2}
          maxRows={10}
          maxLength={1000}
          spellCheck={false}
          // Mantine turns the text error-red, too light to read at 4.5:1: the border alone marks it.
          styles={{ input: { color: 'var(--mantine-color-text)' } }}
          error={
            problems.length ? (
              <Stack gap={2} component="span" data-testid="template-problems" data-source={serverProblems ? 'server' : 'local'}>
                {problems.map((p) => (
                  // Mantine's error red is too light on white: the darkest shade reads at 4.5:1.
                  <Text key={p.variable} span size="xs" c="red.9">
                    {problemText(t, lang, template.variables, p)}
                  </Text>
                ))}
              </Stack>
            ) : undefined
          }
          data-testid="template-body"
        />
        <Text
          size="sm"
          aria-live="polite"
          data-testid="template-counter"
          data-parts={size.parts}
          data-encoding={size.encoding}
          data-characters={size.characters}
          fw={size.parts > 1 || size.encoding === 'ucs2' ? 700 : undefined}
          c={size.encoding === 'ucs2' ? 'red.9' : undefined}
        >
          {t('sms.templates.counter', {
            characters: n(size.characters),
            encoding: t(`sms.encoding.${size.encoding}`),
            parts: n(size.parts),
            left: n(size.left),
          })}
        </Text>
        <Text size="xs" c="dimmed" mt={-6}>
          {t('sms.templates.counterNote')}
        </Text>
        {size.encoding === 'ucs2' && (
          <Alert color="orange" variant="light" data-testid="template-ucs2">
            <Text size="sm" c="dark.7">
              {t('sms.templates.ucs2', { chars: accented.slice(0, 12).join(' ') })}
            </Text>
          </Alert>
        )}
        {kind === 'invitation' && (
          <Text size="xs" c="dimmed">
            {t('sms.templates.linkNote')}
          </Text>
        )}

        <Stack gap={4}>
          <Text size="xs" c="dimmed" fw={500}>
            {t('sms.templates.preview')}
          </Text>
          <Paper p="sm" radius="md" bg="gray.0" withBorder>
            <Text
              size="sm"
              ff="monospace"
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              data-testid="template-preview"
            >
              {example}
            </Text>
          </Paper>
        </Stack>

        {otherError ? <ErrorAlert error={otherError} /> : null}
        {serverProblems && (
          <Alert color="red" variant="light" role="alert" data-testid="template-error">
            {t('errors.sms.template_variable')}
          </Alert>
        )}
        {saved && !dirty && (
          <Text size="sm" c="green.9" role="status" data-testid="template-saved">
            {t('sms.templates.saved')}
          </Text>
        )}
        {canEdit && (
          <Group gap="xs" justify="flex-end">
            {template.custom && (
              <Button variant="subtle" onClick={() => setResetting(true)} data-testid="template-reset">
                {t('sms.templates.reset')}
              </Button>
            )}
            <Button
              onClick={() => save.mutate()}
              loading={save.isPending}
              disabled={!dirty || !draft.trim()}
              data-testid="template-save"
            >
              {t('sms.templates.save')}
            </Button>
          </Group>
        )}
      </Stack>
      <ConfirmModal
        opened={resetting}
        title={t('sms.templates.reset')}
        message={t('sms.templates.resetConfirm', { kind: t(`sms.kind.${kind}`) })}
        confirmLabel={t('sms.templates.reset')}
        pending={reset.isPending}
        error={reset.error}
        onClose={() => {
          setResetting(false);
          reset.reset();
        }}
        onConfirm={() => reset.mutate()}
      />
    </Paper>
  );
}

const variableMeaning = (t: SmsT, v: string) => {
  const known = ['unit', 'code', 'service', 'link', 'keyword', 'sender', 'status', 'date', 'period', 'due'] as const;
  return (known as readonly string[]).includes(v) ? t(`sms.variable.${v as (typeof known)[number]}`) : v;
};
