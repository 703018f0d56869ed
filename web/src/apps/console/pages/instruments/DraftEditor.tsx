// The open draft of an instrument: texts and items edited locally, saved as a
// whole (PUT draft), thrown away, or published for good.
import { Alert, Badge, Box, Button, Group, List, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, request } from '../../../../shared/api';
import { tryTranslate } from '../../../../shared/i18n';
import type { InstrumentDefinition, InstrumentItem, SurveyChannel } from '../../../../shared/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { queryClient } from '../../session';
import { ItemEditor } from './ItemEditor';
import { LanguagesContext, LanguagesControl, languageName } from './Languages';
import {
  ADD_KINDS,
  type AddKind,
  countTexts,
  editLanguages,
  errorTarget,
  freeCode,
  INSTRUMENTS_KEY,
  knownProblem,
  LANGUAGE_CODE,
  missingLanguages,
  newItem,
  nextKey,
  stableStringify,
  withoutLanguage,
} from './model';
import { Preview } from './Preview';
import { LocalTextFields } from './TextFields';

interface Keyed {
  key: string;
  item: InstrumentItem;
}

interface DefinitionProblem {
  /** key of the item it concerns, when it concerns one */
  key: string | null;
  itemCode: string | null;
  itemNumber: number | null;
  field: string;
  code: string;
  message: string;
}

const toDefinition = (base: Omit<InstrumentDefinition, 'items'>, items: Keyed[]): InstrumentDefinition => ({
  ...base,
  items: items.map((k) => k.item),
});

export function DraftEditor({
  code,
  version,
  definition,
  channels,
  tenantName,
  onPublished,
  onDiscarded,
  twoColumns,
}: {
  code: string;
  version: number;
  definition: InstrumentDefinition;
  channels: SurveyChannel[];
  tenantName: string;
  onPublished: (version: number) => void;
  onDiscarded: () => void;
  twoColumns: boolean;
}) {
  const { t } = useTranslation();
  const [base, setBase] = useState<Omit<InstrumentDefinition, 'items'>>(() => {
    const { items: _i, ...rest } = definition;
    return rest;
  });
  const [items, setItems] = useState<Keyed[]>(() => definition.items.map((item) => ({ key: nextKey(), item })));
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [saved, setSaved] = useState(() => stableStringify(definition));
  const [problems, setProblems] = useState<DefinitionProblem[]>([]);
  const [confirm, setConfirm] = useState<'publish' | 'discard' | null>(null);
  const [justAdded, setJustAdded] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const current = useMemo(() => toDefinition(base, items), [base, items]);
  const dirty = stableStringify(current) !== saved;
  const languages = useMemo(() => editLanguages(base.languages), [base.languages]);
  const addLanguage = (code: string) =>
    setBase((b) => (b.languages.includes(code) ? b : { ...b, languages: [...b.languages, code] }));
  const removeLanguage = (code: string) => {
    const next = withoutLanguage(base, items, code);
    setBase(next.base);
    setItems(next.items);
  };
  const textsMissing = missingLanguages([base.intro, base.consent, base.thanks], languages);

  // Leaving the page with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const save = useMutation({
    mutationFn: async (def: InstrumentDefinition) => {
      const snapshot = items;
      try {
        return await request<{ version: number }>(`/api/v1/instruments/${encodeURIComponent(code)}/draft`, {
          method: 'PUT',
          body: { definition: def },
        });
      } catch (err) {
        if (err instanceof ApiError && err.code === 'instrument.definition_invalid' && err.errors.length) {
          setProblems(
            err.errors.map((e) => {
              const target = errorTarget(e.path);
              const k = target.index !== null ? snapshot[target.index] : undefined;
              return {
                key: k?.key ?? null,
                itemCode: k?.item.code ?? null,
                itemNumber: target.index !== null ? target.index + 1 : null,
                field: target.field,
                code: e.code,
                message: e.message,
              };
            }),
          );
        }
        throw err;
      }
    },
    onMutate: () => {
      setProblems([]);
      setNotice(null);
    },
    onSuccess: async (_r, def) => {
      setSaved(stableStringify(def));
      await queryClient.invalidateQueries({ queryKey: INSTRUMENTS_KEY });
    },
  });

  const publish = useMutation({
    mutationFn: async () => {
      if (dirty) await save.mutateAsync(current);
      await request<void>(`/api/v1/instruments/${encodeURIComponent(code)}/versions/${version}/publish`, { method: 'POST' });
    },
    onSuccess: async () => {
      setConfirm(null);
      await queryClient.invalidateQueries({ queryKey: INSTRUMENTS_KEY });
      onPublished(version);
    },
    onError: (err) => {
      // The definition's problems are listed under the editor, not in the dialog.
      if (err instanceof ApiError && err.code === 'instrument.definition_invalid') setConfirm(null);
    },
  });

  const discard = useMutation({
    mutationFn: () => request<void>(`/api/v1/instruments/${encodeURIComponent(code)}/draft`, { method: 'DELETE' }),
    onSuccess: async () => {
      setConfirm(null);
      setSaved(stableStringify(current)); // nothing left to warn about
      await queryClient.invalidateQueries({ queryKey: INSTRUMENTS_KEY });
      onDiscarded();
    },
  });

  const onToggle = useCallback(
    (key: string) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (next.has(key)) next.delete(key);
        else next.add(key);
        return next;
      }),
    [],
  );
  const onChange = useCallback((key: string, item: InstrumentItem) => {
    setItems((prev) => {
      const before = prev.find((k) => k.key === key)?.item.code;
      return prev.map((k) => {
        if (k.key === key) return { key, item };
        // A renamed item keeps the skip logic that refers to it.
        if (before && before !== item.code && k.item.showIf?.item === before)
          return { ...k, item: { ...k.item, showIf: { ...k.item.showIf, item: item.code } } };
        return k;
      });
    });
  }, []);
  const onMove = useCallback((key: string, by: -1 | 1) => {
    setItems((prev) => {
      const i = prev.findIndex((k) => k.key === key);
      const j = i + by;
      if (i < 0 || j < 0 || j >= prev.length) return prev;
      const next = [...prev];
      [next[i], next[j]] = [next[j] as Keyed, next[i] as Keyed];
      return next;
    });
  }, []);
  const onDelete = useCallback((key: string) => setItems((prev) => prev.filter((k) => k.key !== key)), []);

  const add = (kind: AddKind) => {
    const key = nextKey();
    setItems((prev) => [...prev, { key, item: newItem(kind, freeCode(prev.map((k) => k.item.code))) }]);
    setExpanded((prev) => new Set(prev).add(key));
    setJustAdded(key);
  };
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!justAdded) return;
    const el = listRef.current?.querySelector(`[data-key="${justAdded}"]`);
    el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el?.querySelector<HTMLInputElement>('[data-testid="item-label-vi"]')?.focus({ preventScroll: true });
    setJustAdded(null);
  }, [justAdded]);

  // The server's objections come into view where they are listed, under the toolbar.
  const problemsRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) problemsRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [problems]);

  const errorKeys = useMemo(() => new Set(problems.map((p) => p.key).filter((k): k is string => k !== null)), [problems]);
  const saveNow = () => save.mutate(current, { onSuccess: () => setNotice(t('instruments.editor.saved')) });
  const definitionError = (err: unknown) =>
    err instanceof ApiError && err.code === 'instrument.definition_invalid' && problems.length > 0 ? null : err;
  const sticky = useMediaQuery('(min-width: 75em)');
  const small = useMediaQuery('(max-width: 36em)');
  const buttonSize = small ? 'xs' : 'sm';

  const editor = (
    <Stack gap="md">
      <Paper
        withBorder
        p="sm"
        radius="md"
        data-testid="draft-toolbar"
        style={{ position: 'sticky', top: 64, zIndex: 5, background: 'var(--mantine-color-body)' }}
      >
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Badge color="yellow" variant="light" c="dark.7" size={small ? 'md' : 'lg'}>
              {t('instruments.draftOf', { version })}
            </Badge>
            <Text size={buttonSize} c={dirty ? 'orange.8' : 'dimmed'} data-testid="draft-state" aria-live="polite">
              {dirty ? t('instruments.editor.unsaved') : (notice ?? t('instruments.editor.upToDate'))}
            </Text>
          </Group>
          <Group gap="xs">
            <Button
              variant="default"
              color="red"
              size={buttonSize}
              onClick={() => setConfirm('discard')}
              data-testid="draft-discard"
            >
              {t('instruments.editor.discard')}
            </Button>
            <Button
              size={buttonSize}
              variant="light"
              disabled={!dirty}
              loading={save.isPending && !publish.isPending}
              onClick={saveNow}
              data-testid="draft-save"
            >
              {t('instruments.editor.save')}
            </Button>
            <Button size={buttonSize} color="teal.9" onClick={() => setConfirm('publish')} data-testid="draft-publish">
              {t('instruments.editor.publish')}
            </Button>
          </Group>
        </Group>
      </Paper>

      {problems.length > 0 && (
        <div ref={problemsRef}>
          <ProblemList problems={problems} />
        </div>
      )}
      <ErrorAlert error={definitionError(save.error)} testId="draft-error" />

      <LanguagesControl
        languages={base.languages}
        onAdd={addLanguage}
        onRemove={removeLanguage}
        textCount={(code) =>
          countTexts(
            base,
            items.map((k) => k.item),
            code,
          )
        }
      />

      <Paper withBorder p="sm" radius="md">
        <Stack gap="xs">
          <Group justify="space-between" gap="xs">
            <Title order={3} size="h5">
              {t('instruments.editor.texts')}
            </Title>
            {textsMissing.length > 0 && (
              <Text size="xs" c="dimmed" data-testid="texts-missing" data-langs={textsMissing.join(' ')}>
                {t('instruments.item.missing', { langs: textsMissing.join(', ') })}
              </Text>
            )}
          </Group>
          <LocalTextFields
            label={t('instruments.field.intro')}
            value={base.intro}
            onChange={(v) => setBase((b) => ({ ...b, intro: v }))}
            optional
            multiline
            testId="def-intro"
          />
          <LocalTextFields
            label={t('instruments.field.consent')}
            value={base.consent}
            onChange={(v) => setBase((b) => ({ ...b, consent: v }))}
            optional
            multiline
            testId="def-consent"
          />
          <LocalTextFields
            label={t('instruments.field.thanks')}
            value={base.thanks}
            onChange={(v) => setBase((b) => ({ ...b, thanks: v }))}
            optional
            multiline
            testId="def-thanks"
          />
        </Stack>
      </Paper>

      <Group justify="space-between" gap="xs">
        <Title order={3} size="h5">
          {t('instruments.editor.items', { count: items.length })}
        </Title>
        <AddItemMenu onAdd={add} />
      </Group>
      <Stack gap="xs" ref={listRef} data-testid="item-list">
        {items.map((k, i) => (
          <Box key={k.key} data-key={k.key}>
            <ItemEditor
              itemKey={k.key}
              item={k.item}
              index={i}
              count={items.length}
              earlier={items.slice(0, i).map((e) => e.item)}
              def={base}
              expanded={expanded.has(k.key)}
              hasError={errorKeys.has(k.key)}
              onToggle={onToggle}
              onChange={onChange}
              onMove={onMove}
              onDelete={onDelete}
            />
          </Box>
        ))}
      </Stack>
      <Group justify="flex-end">
        <AddItemMenu onAdd={add} />
      </Group>
    </Stack>
  );

  const preview = (
    <Box
      style={
        sticky && twoColumns
          ? { position: 'sticky', top: 64, maxHeight: 'calc(100dvh - 80px)', overflowY: 'auto', paddingRight: 4 }
          : undefined
      }
    >
      <Preview def={current} channels={channels} tenantName={tenantName} />
    </Box>
  );

  return (
    <LanguagesContext.Provider value={languages}>
      {twoColumns ? (
        <Group align="flex-start" gap="lg" wrap="nowrap">
          <Box style={{ flex: '1 1 0', minWidth: 0 }}>{editor}</Box>
          <Box style={{ flex: '0 0 440px', minWidth: 0 }}>{preview}</Box>
        </Group>
      ) : (
        <Stack gap="lg">
          {editor}
          {preview}
        </Stack>
      )}

      <ConfirmModal
        opened={confirm === 'publish'}
        title={t('instruments.editor.publishTitle', { version })}
        message={`${t('instruments.editor.publishConfirm', { version })}${dirty ? ` ${t('instruments.editor.publishSavesFirst')}` : ''}`}
        confirmLabel={t('instruments.editor.publishButton', { version })}
        onConfirm={() => publish.mutate()}
        onClose={() => {
          setConfirm(null);
          publish.reset();
        }}
        pending={publish.isPending}
        error={definitionError(publish.error)}
      />
      <ConfirmModal
        opened={confirm === 'discard'}
        title={t('instruments.editor.discardTitle', { version })}
        message={t('instruments.editor.discardConfirm', { version })}
        confirmLabel={t('instruments.editor.discard')}
        onConfirm={() => discard.mutate()}
        onClose={() => {
          setConfirm(null);
          discard.reset();
        }}
        pending={discard.isPending}
        error={discard.error}
      />
    </LanguagesContext.Provider>
  );
}

function AddItemMenu({ onAdd }: { onAdd: (kind: AddKind) => void }) {
  const { t } = useTranslation();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="sm" variant="light" data-testid="add-item">
          {t('instruments.editor.addItem')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {ADD_KINDS.map((k) => (
          <Menu.Item key={k} onClick={() => onAdd(k)} data-testid={`add-item-${k}`}>
            {t(`instruments.addKind.${k}`)}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** The server's objections to the definition, by item code where there is one. */
function ProblemList({ problems }: { problems: DefinitionProblem[] }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="red"
      role="alert"
      data-testid="definition-errors"
      title={t('instruments.editor.problems', { count: problems.length })}
    >
      <List size="sm" spacing={4}>
        {problems.map((p, i) => {
          const known = knownProblem(p.message, p.code);
          const text = known ? tryTranslate(`instruments.problem.${known}`) : undefined;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the same problem may be reported twice
            <List.Item key={i} data-testid="definition-error" data-item={p.itemCode ?? ''}>
              <Text size="sm" span fw={600}>
                {p.itemCode
                  ? t('instruments.editor.problemItem', { n: p.itemNumber, code: p.itemCode })
                  : p.itemNumber !== null
                    ? t('instruments.editor.problemItemNumber', { n: p.itemNumber })
                    : t('instruments.editor.problemWhole')}
              </Text>
              {p.field && (
                <Text size="sm" span>
                  {' · '}
                  {fieldName(p.field)}
                </Text>
              )}
              <Text size="sm" span>
                {': '}
                {text ?? p.message}
              </Text>
              {text && (
                <Text size="xs" c="dimmed" span>
                  {` (${p.message})`}
                </Text>
              )}
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
}

/** "options.2.label.en" -> "Lựa chọn 3 · Câu hỏi · English". */
function fieldName(path: string): string {
  const parts = path.split('.');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    const next = parts[i + 1];
    if (p === 'options' && next !== undefined && /^\d+$/.test(next)) {
      out.push(tryTranslate('instruments.field.optionN', { n: Number(next) + 1 }) ?? `${p}.${next}`);
      i++;
    } else {
      const field = tryTranslate(`instruments.field.${p}`);
      // The last part of a text's path is its language: "label.bru" -> "Câu hỏi · Tiếng Vân Kiều".
      out.push(field ?? (i === parts.length - 1 && LANGUAGE_CODE.test(p) ? languageName(p) : p));
    }
  }
  return out.join(' · ');
}
