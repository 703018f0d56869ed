// One item of a draft: its header (number, code, type, moves) and, opened, every field.
import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Checkbox,
  Code,
  Collapse,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type InstrumentDefinition,
  type InstrumentItem,
  ITEM_TYPES,
  type ItemOption,
  type ItemType,
  type LocalText,
  type ShowIf,
  type ShowIfOp,
} from '../../../../shared/types';
import { languageName, useEditLanguages } from './Languages';
import {
  changeType,
  defaultShowIf,
  freeCode,
  hasNoOpinion,
  itemTexts,
  lt,
  MONO,
  missingLanguages,
  noOpinionValue,
  opsFor,
  optionsOf,
  SCALE_MAX,
  withOp,
  withText,
} from './model';
import { LocalTextFields } from './TextFields';

export interface ItemEditorProps {
  itemKey: string;
  item: InstrumentItem;
  index: number;
  count: number;
  /** the items before this one: what its skip logic may refer to */
  earlier: InstrumentItem[];
  def: Pick<InstrumentDefinition, 'lists' | 'sections'>;
  expanded: boolean;
  hasError: boolean;
  onToggle: (key: string) => void;
  onChange: (key: string, item: InstrumentItem) => void;
  onMove: (key: string, by: -1 | 1) => void;
  onDelete: (key: string) => void;
}

const toCode = (v: string) => v.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
const toOptionCode = (v: string) => v.toLowerCase().replace(/[^a-z0-9_]/g, '_');

export const ItemEditor = memo(function ItemEditor(props: ItemEditorProps) {
  const { t, i18n } = useTranslation();
  const { item: it, index, count, itemKey, expanded, hasError } = props;
  const set = (patch: Partial<InstrumentItem>) => {
    const next: InstrumentItem = { ...it, ...patch };
    for (const k of Object.keys(patch) as (keyof InstrumentItem)[]) if (next[k] === undefined) delete next[k];
    props.onChange(itemKey, next);
  };
  const typeLabel =
    it.type === 'scale' ? t('instruments.type.scaleRange', { max: it.max ?? 5 }) : t(`instruments.type.${it.type}`);
  const languages = useEditLanguages();
  const missing = missingLanguages(itemTexts(it), languages);

  return (
    <Paper
      withBorder
      radius="md"
      data-testid="item-card"
      data-code={it.code}
      data-index={index}
      data-error={hasError ? 'true' : undefined}
      style={hasError ? { borderColor: 'var(--mantine-color-red-5)' } : undefined}
    >
      <Group gap={6} wrap="nowrap" px="sm" py={8} align="center">
        <Text size="sm" c="dimmed" w={24} ta="right" style={{ flexShrink: 0 }}>
          {index + 1}.
        </Text>
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="wrap">
            <Code>{it.code}</Code>
            <Badge size="sm" variant="light">
              {typeLabel}
            </Badge>
            {it.required && (
              <Badge size="sm" variant="light" color="red">
                {t('instruments.item.requiredBadge')}
              </Badge>
            )}
            {it.showIf && (
              <Badge size="sm" variant="light" color="orange" c="dark.7">
                {t('instruments.item.conditionalBadge', { item: it.showIf.item })}
              </Badge>
            )}
          </Group>
          <Text size="sm" truncate mt={2} c={lt(it.label, i18n.language) ? undefined : 'red'}>
            {lt(it.label, i18n.language) || t('instruments.item.noLabel')}
          </Text>
          {missing.length > 0 && (
            <Text
              size="xs"
              c="dimmed"
              data-testid="item-missing"
              data-langs={missing.join(' ')}
              title={missing.map(languageName).join(', ')}
            >
              <Box
                component="span"
                aria-hidden
                w={8}
                h={8}
                mr={6}
                bg="orange.7"
                style={{ display: 'inline-block', borderRadius: 4 }}
              />
              {t('instruments.item.missing', { langs: missing.join(', ') })}
            </Text>
          )}
        </Box>
        <Group gap={2} wrap="nowrap" style={{ flexShrink: 0 }}>
          <ActionIcon
            variant="subtle"
            color="gray"
            disabled={index === 0}
            onClick={() => props.onMove(itemKey, -1)}
            aria-label={t('instruments.item.moveUp', { code: it.code })}
            data-testid="item-move-up"
          >
            <span aria-hidden>↑</span>
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="gray"
            disabled={index === count - 1}
            onClick={() => props.onMove(itemKey, 1)}
            aria-label={t('instruments.item.moveDown', { code: it.code })}
            data-testid="item-move-down"
          >
            <span aria-hidden>↓</span>
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="red"
            disabled={count === 1}
            onClick={() => props.onDelete(itemKey)}
            aria-label={t('instruments.item.delete', { code: it.code })}
            data-testid="item-delete"
          >
            <span aria-hidden>✕</span>
          </ActionIcon>
          <Button
            size="compact-sm"
            variant={expanded ? 'light' : 'subtle'}
            onClick={() => props.onToggle(itemKey)}
            aria-expanded={expanded}
            data-testid="item-toggle"
          >
            {expanded ? t('instruments.item.close') : t('instruments.item.edit')}
          </Button>
        </Group>
      </Group>
      <Collapse expanded={expanded}>{expanded && <ItemFields {...props} set={set} />}</Collapse>
    </Paper>
  );
});

function ItemFields({ item: it, earlier, def, set }: ItemEditorProps & { set: (p: Partial<InstrumentItem>) => void }) {
  const { t } = useTranslation();
  const languages = useEditLanguages();
  const codeValid = /^[A-Z][A-Z0-9_]{0,31}$/.test(it.code);
  return (
    <Stack
      gap="sm"
      px="sm"
      pb="sm"
      pt={4}
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
      data-testid="item-editor"
    >
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
        <TextInput
          label={t('instruments.field.code')}
          description={t('instruments.item.codeHint')}
          value={it.code}
          onChange={(e) => set({ code: toCode(e.currentTarget.value) })}
          error={codeValid ? undefined : t('instruments.problem.itemCodeFormat')}
          maxLength={32}
          spellCheck={false}
          autoComplete="off"
          styles={MONO}
          data-testid="item-code"
        />
        <Select
          label={t('instruments.field.type')}
          description={t('instruments.item.typeHint')}
          allowDeselect={false}
          value={it.type}
          onChange={(v) => v && set(changeType(it, v as ItemType))}
          data={ITEM_TYPES.map((ty) => ({ value: ty, label: t(`instruments.type.${ty}`) }))}
          data-testid="item-type"
        />
      </SimpleGrid>
      <LocalTextFields
        label={t('instruments.field.label')}
        value={it.label}
        onChange={(v) => set({ label: v ?? { vi: '' } })}
        multiline
        testId="item-label"
        error
      />
      <LocalTextFields
        label={t('instruments.field.help')}
        value={it.help}
        onChange={(v) => set({ help: v })}
        optional
        testId="item-help"
      />
      <LocalTextFields
        label={t('instruments.field.script')}
        value={it.script}
        onChange={(v) => set({ script: v })}
        optional
        multiline
        testId="item-script"
      />

      <Group gap="lg" wrap="wrap">
        <Checkbox
          label={t('instruments.field.required')}
          checked={it.required ?? false}
          onChange={(e) => set({ required: e.currentTarget.checked })}
          data-testid="item-required"
        />
        {(it.type === 'phone' || it.type === 'text') && (
          <Checkbox
            label={t('instruments.field.personal')}
            checked={it.personal ?? false}
            onChange={(e) => set({ personal: e.currentTarget.checked || undefined })}
          />
        )}
        {def.sections && def.sections.length > 0 && (
          <Select
            size="xs"
            label={t('instruments.field.section')}
            clearable
            value={it.section ?? null}
            onChange={(v) => set({ section: v ?? undefined })}
            data={def.sections.map((s) => ({ value: s.code, label: lt(s.label, 'vi') }))}
            w={260}
          />
        )}
      </Group>

      {it.type === 'scale' && (
        <Stack gap="xs">
          <Select
            label={t('instruments.field.scale')}
            allowDeselect={false}
            maw={200}
            value={String(it.max ?? 5)}
            onChange={(v) => v && set({ min: 1, max: Number(v) })}
            data={SCALE_MAX.map((m) => ({ value: String(m), label: `1–${m}` }))}
            data-testid="item-scale"
          />
          <LocalTextFields
            label={t('instruments.field.minLabel')}
            value={it.minLabel}
            onChange={(v) => set({ minLabel: v })}
            optional
          />
          <LocalTextFields
            label={t('instruments.field.maxLabel')}
            value={it.maxLabel}
            onChange={(v) => set({ maxLabel: v })}
            optional
          />
        </Stack>
      )}

      {it.type === 'number' && (
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NumberInput
            label={t('instruments.field.min')}
            w={120}
            value={it.min ?? ''}
            onChange={(v) => set({ min: typeof v === 'number' ? v : undefined })}
            data-testid="item-min"
          />
          <NumberInput
            label={t('instruments.field.max')}
            w={120}
            value={it.max ?? ''}
            onChange={(v) => set({ max: typeof v === 'number' ? v : undefined })}
            data-testid="item-max"
          />
          <Checkbox
            mb={8}
            label={t('instruments.field.integer')}
            checked={it.integer ?? false}
            onChange={(e) => set({ integer: e.currentTarget.checked || undefined })}
          />
        </Group>
      )}

      {it.type === 'text' && (
        <NumberInput
          label={t('instruments.field.maxLength')}
          w={200}
          min={1}
          max={5000}
          allowDecimal={false}
          value={it.maxLength ?? ''}
          onChange={(v) => set({ maxLength: typeof v === 'number' ? v : undefined })}
        />
      )}

      {(it.type === 'single' || it.type === 'multiple') && <OptionsEditor it={it} def={def} set={set} />}

      {hasNoOpinion(it.type) && (
        <Stack gap={6}>
          <Checkbox
            label={t('instruments.field.noOpinion')}
            description={t('instruments.item.noOpinionHint')}
            checked={Boolean(it.noOpinion)}
            onChange={(e) =>
              set({
                noOpinion: e.currentTarget.checked
                  ? {
                      value: noOpinionValue(it.type),
                      label: languages.includes('en')
                        ? { vi: t('instruments.item.noOpinionVi'), en: t('instruments.item.noOpinionEn') }
                        : { vi: t('instruments.item.noOpinionVi') },
                    }
                  : undefined,
              })
            }
            data-testid="item-no-opinion"
          />
          {it.noOpinion && (
            <LocalTextFields
              label={t('instruments.field.noOpinionLabel')}
              value={it.noOpinion.label}
              onChange={(v) => it.noOpinion && set({ noOpinion: { ...it.noOpinion, label: v ?? { vi: '' } } })}
            />
          )}
        </Stack>
      )}

      <ShowIfEditor it={it} earlier={earlier} def={def} set={set} />
    </Stack>
  );
}

function OptionsEditor({
  it,
  def,
  set,
}: {
  it: InstrumentItem;
  def: Pick<InstrumentDefinition, 'lists'>;
  set: (p: Partial<InstrumentItem>) => void;
}) {
  const { t } = useTranslation();
  const languages = useEditLanguages();
  const lists = Object.keys(def.lists ?? {});
  if (it.optionsFrom) {
    return (
      <Stack gap={6}>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <Select
            label={t('instruments.field.optionsFrom')}
            allowDeselect={false}
            value={it.optionsFrom}
            onChange={(v) => v && set({ optionsFrom: v })}
            data={lists}
            w={220}
          />
          <Button
            variant="default"
            size="sm"
            onClick={() =>
              set({ options: optionsOf(it, def).map((o) => ({ ...o, label: { ...o.label } })), optionsFrom: undefined })
            }
          >
            {t('instruments.item.copyList')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          {optionsOf(it, def)
            .map((o) => lt(o.label, 'vi'))
            .join(' · ')}
        </Text>
      </Stack>
    );
  }
  const options = it.options ?? [];
  const setOption = (i: number, o: ItemOption) => set({ options: options.map((x, j) => (j === i ? o : x)) });
  const move = (i: number, by: -1 | 1) => {
    const next = [...options];
    const [o] = next.splice(i, 1);
    if (o) next.splice(i + by, 0, o);
    set({ options: next });
  };
  return (
    <Stack gap={6} data-testid="item-options">
      <Group justify="space-between" gap="xs">
        <Text size="sm" fw={500}>
          {t('instruments.field.options')}
        </Text>
        {lists.length > 0 && (
          <Select
            size="xs"
            placeholder={t('instruments.item.useList')}
            aria-label={t('instruments.item.useList')}
            value={null}
            onChange={(v) => v && set({ optionsFrom: v, options: undefined })}
            data={lists}
            w={200}
          />
        )}
      </Group>
      {options.map((o, i) => (
        <Group
          // biome-ignore lint/suspicious/noArrayIndexKey: option codes are edited here, the position is the identity
          key={i}
          gap={6}
          wrap="nowrap"
          align="flex-start"
          data-testid="item-option"
        >
          <TextInput
            aria-label={t('instruments.item.optionCode', { n: i + 1 })}
            placeholder={t('instruments.field.code')}
            value={o.code}
            onChange={(e) => setOption(i, { ...o, code: toOptionCode(e.currentTarget.value) })}
            w={110}
            styles={MONO}
            spellCheck={false}
            style={{ flexShrink: 0 }}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={6} verticalSpacing={6} style={{ flex: 1 }}>
            {languages.map((lang) => (
              <TextInput
                key={lang}
                aria-label={t('instruments.item.optionLabel', { n: i + 1, lang: languageName(lang) })}
                placeholder={languageName(lang)}
                value={o.label[lang] ?? ''}
                onChange={(e) => setOption(i, { ...o, label: withText(o.label, lang, e.currentTarget.value) as LocalText })}
                lang={lang}
                data-testid={`item-option-label-${lang}`}
              />
            ))}
          </SimpleGrid>
          <Group gap={0} wrap="nowrap" style={{ flexShrink: 0 }}>
            <ActionIcon
              variant="subtle"
              color="gray"
              disabled={i === 0}
              onClick={() => move(i, -1)}
              aria-label={t('instruments.item.optionUp', { n: i + 1 })}
            >
              <span aria-hidden>↑</span>
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              disabled={options.length === 1}
              onClick={() => set({ options: options.filter((_, j) => j !== i) })}
              aria-label={t('instruments.item.optionDelete', { n: i + 1 })}
            >
              <span aria-hidden>✕</span>
            </ActionIcon>
          </Group>
        </Group>
      ))}
      <Button
        variant="light"
        size="compact-sm"
        w="fit-content"
        onClick={() =>
          set({
            options: [
              ...options,
              {
                code: freeCode(
                  options.map((o) => o.code),
                  'o',
                ),
                label: { vi: '' },
              },
            ],
          })
        }
        data-testid="item-option-add"
      >
        {t('instruments.item.addOption')}
      </Button>
    </Stack>
  );
}

function ShowIfEditor({
  it,
  earlier,
  def,
  set,
}: {
  it: InstrumentItem;
  earlier: InstrumentItem[];
  def: Pick<InstrumentDefinition, 'lists'>;
  set: (p: Partial<InstrumentItem>) => void;
}) {
  const { t } = useTranslation();
  const c = it.showIf;
  const source = c ? earlier.find((e) => e.code === c.item) : undefined;
  const setCond = (next: ShowIf) => set({ showIf: next });
  return (
    <Stack gap={6}>
      <Checkbox
        label={t('instruments.field.showIf')}
        description={earlier.length === 0 ? t('instruments.item.showIfFirst') : undefined}
        disabled={earlier.length === 0 && !c}
        checked={Boolean(c)}
        onChange={(e) => {
          const first = earlier[earlier.length - 1];
          set({ showIf: e.currentTarget.checked && first ? defaultShowIf(first, def) : undefined });
        }}
        data-testid="item-show-if"
      />
      {c && (
        <Group gap="xs" align="flex-end" wrap="wrap" pl={{ base: 0, xs: 'lg' }}>
          <Select
            label={t('instruments.field.showIfItem')}
            allowDeselect={false}
            value={c.item}
            onChange={(v) => {
              const src = earlier.find((e) => e.code === v);
              if (src) setCond(defaultShowIf(src, def));
            }}
            data={[
              ...earlier.map((e) => ({ value: e.code, label: e.code })),
              ...(source ? [] : [{ value: c.item, label: c.item }]),
            ]}
            error={source ? undefined : t('instruments.problem.showIfEarlier')}
            w={200}
            data-testid="item-show-if-item"
          />
          <Select
            label={t('instruments.field.showIfOp')}
            allowDeselect={false}
            value={c.op}
            onChange={(v) => v && setCond(withOp(c, v as ShowIfOp))}
            data={opsFor(source?.type).map((op) => ({ value: op, label: t(`instruments.op.${op}`) }))}
            w={170}
            data-testid="item-show-if-op"
          />
          {c.op !== 'answered' && <ConditionValue c={c} source={source} def={def} onChange={setCond} />}
        </Group>
      )}
    </Stack>
  );
}

function ConditionValue({
  c,
  source,
  def,
  onChange,
}: {
  c: ShowIf;
  source: InstrumentItem | undefined;
  def: Pick<InstrumentDefinition, 'lists'>;
  onChange: (c: ShowIf) => void;
}) {
  const { t } = useTranslation();
  const label = t('instruments.field.showIfValue');
  if (source?.type === 'yesno') {
    return (
      <Select
        label={label}
        allowDeselect={false}
        value={c.value === false ? 'false' : 'true'}
        onChange={(v) => onChange({ ...c, value: v === 'true' })}
        data={[
          { value: 'true', label: t('common.yes') },
          { value: 'false', label: t('common.no') },
        ]}
        w={120}
        data-testid="item-show-if-value"
      />
    );
  }
  if (source?.type === 'single' || source?.type === 'multiple') {
    const data = optionsOf(source, def).map((o) => ({ value: o.code, label: `${lt(o.label, 'vi')} (${o.code})` }));
    if (c.op === 'in') {
      return (
        <MultiSelect
          label={label}
          value={Array.isArray(c.value) ? c.value.map(String) : []}
          onChange={(v) => onChange({ ...c, value: v })}
          data={data}
          miw={220}
          style={{ flex: 1 }}
          data-testid="item-show-if-value"
        />
      );
    }
    return (
      <Select
        label={label}
        allowDeselect={false}
        value={typeof c.value === 'string' ? c.value : null}
        onChange={(v) => v && onChange({ ...c, value: v })}
        data={data}
        miw={220}
        style={{ flex: 1 }}
        data-testid="item-show-if-value"
      />
    );
  }
  return (
    <NumberInput
      label={label}
      value={typeof c.value === 'number' ? c.value : ''}
      onChange={(v) => onChange({ ...c, value: typeof v === 'number' ? v : 0 })}
      min={source?.type === 'faces' ? 1 : undefined}
      max={source?.type === 'faces' ? 4 : source?.type === 'scale' ? source.max : undefined}
      w={120}
      data-testid="item-show-if-value"
    />
  );
}
