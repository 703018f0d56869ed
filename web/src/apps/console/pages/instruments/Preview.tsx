// The instrument as respondents meet it on each channel: the kiosk screen at the
// counter, the web page on a phone, the interviewer's phone script, the SMS.
// Answers can be tried out, so that follow-up questions appear by their skip logic.
import {
  Badge,
  Box,
  Button,
  Checkbox,
  Divider,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import type { TFunction } from 'i18next';
import { Fragment, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstrumentDefinition, InstrumentItem, LocalText, ShowIf, SurveyChannel } from '../../../../shared/types';
import { FACE_VALUES, Face } from './Face';
import { languageName } from './Languages';
import { type Answer, editLanguages, lt, ltIn, optionsOf, shown } from './model';

export const PREVIEW_TABS = ['kiosk', 'web', 'phone', 'sms'] as const;
export type PreviewTab = (typeof PREVIEW_TABS)[number];

type Answers = Record<string, Answer>;
type Ctx = {
  def: InstrumentDefinition;
  /** the language of the definition's texts */
  lang: string;
  /** the respondent apps' own words: in English or, for every other language, in Vietnamese */
  t: TFunction;
  answers: Answers;
  set: (code: string, v: Answer) => void;
};

/** The preview tab to open first: the first channel of the instrument that has one. */
export function firstTab(channels: SurveyChannel[]): PreviewTab {
  for (const c of channels) {
    if (c === 'hotline') return 'phone';
    if (c === 'app') return 'web';
    if ((PREVIEW_TABS as readonly string[]).includes(c)) return c as PreviewTab;
  }
  return 'kiosk';
}

/** "ASKED_TO_RETURN = Có", in the preview language. */
export function conditionText(c: ShowIf, def: InstrumentDefinition, lang: string, t: TFunction): string {
  const src = def.items.find((i) => i.code === c.item);
  const one = (v: unknown): string => {
    if (typeof v === 'boolean') return v ? t('instruments.preview.yes') : t('instruments.preview.no');
    if (src && (src.type === 'single' || src.type === 'multiple')) {
      const o = optionsOf(src, def).find((x) => x.code === v);
      if (o) return `“${lt(o.label, lang)}”`;
    }
    if (src?.noOpinion && String(src.noOpinion.value) === String(v)) return `“${lt(src.noOpinion.label, lang)}”`;
    if (src?.type === 'faces' && typeof v === 'number' && v >= 1 && v <= 4)
      return `${v} (${t(`instruments.preview.faces.${v as 1 | 2 | 3 | 4}`)})`;
    return String(v);
  };
  if (c.op === 'answered') return t('instruments.preview.condAnswered', { item: c.item });
  const value = Array.isArray(c.value) ? c.value.map(one).join(', ') : one(c.value);
  return `${c.item} ${t(`instruments.preview.op.${c.op}`)} ${value}`;
}

export function Preview({
  def,
  channels,
  tenantName,
}: {
  def: InstrumentDefinition;
  channels: SurveyChannel[];
  tenantName: string;
}) {
  const { t, i18n } = useTranslation();
  const languages = editLanguages(def.languages);
  // The console's language until another one is picked here.
  const [picked, setLang] = useState<string | null>(null);
  const chosen = picked ?? (i18n.language === 'en' ? 'en' : 'vi');
  const lang = languages.includes(chosen) ? chosen : 'vi';
  // The kiosk and web pages have their own words in Vietnamese and English only.
  const appLang = lang === 'en' ? 'en' : 'vi';
  const [tab, setTab] = useState<PreviewTab>(() => firstTab(channels));
  const [answers, setAnswers] = useState<Answers>({});
  const ctx: Ctx = useMemo(
    () => ({
      def,
      lang,
      t: i18n.getFixedT(appLang) as unknown as TFunction,
      answers,
      set: (code, v) => setAnswers((a) => ({ ...a, [code]: v })),
    }),
    [def, lang, appLang, i18n, answers],
  );
  const switchData = languages.map((l) => ({ value: l, label: languageName(l) }));

  return (
    <Stack gap="xs" data-testid="preview">
      <Group justify="space-between" gap="xs">
        <Title order={2} size="h4">
          {t('instruments.preview.title')}
        </Title>
        <Group gap="xs">
          {Object.keys(answers).length > 0 && (
            <Button size="compact-xs" variant="subtle" onClick={() => setAnswers({})}>
              {t('instruments.preview.reset')}
            </Button>
          )}
          {languages.length <= 3 ? (
            <SegmentedControl
              size="xs"
              aria-label={t('instruments.preview.language')}
              data-testid="preview-lang"
              value={lang}
              onChange={setLang}
              data={switchData}
            />
          ) : (
            <Select
              size="xs"
              aria-label={t('instruments.preview.language')}
              data-testid="preview-lang"
              allowDeselect={false}
              value={lang}
              onChange={(v) => v && setLang(v)}
              data={switchData}
              w={170}
            />
          )}
        </Group>
      </Group>
      {lang !== 'vi' && (
        <Text size="xs" c="dimmed" data-testid="preview-fallback-note">
          {appLang === lang
            ? t('instruments.preview.fallbackNote')
            : t('instruments.preview.fallbackNoteApp', { name: languageName(lang) })}
        </Text>
      )}
      <Tabs value={tab} onChange={(v) => v && setTab(v as PreviewTab)} keepMounted={false}>
        <Tabs.List>
          {PREVIEW_TABS.map((p) => (
            <Tabs.Tab key={p} value={p} data-testid={`preview-tab-${p}`}>
              {t(`instruments.preview.tab.${p}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Text size="xs" c="dimmed" mt={6}>
          {t(tab === 'phone' ? 'instruments.preview.scriptHint' : 'instruments.preview.hint')}
        </Text>
        <Box pt="sm">
          <Tabs.Panel value="kiosk">
            <KioskPreview ctx={ctx} />
          </Tabs.Panel>
          <Tabs.Panel value="web">
            <WebPreview ctx={ctx} tenantName={tenantName} />
          </Tabs.Panel>
          <Tabs.Panel value="phone">
            <PhoneScript ctx={ctx} />
          </Tabs.Panel>
          <Tabs.Panel value="sms">
            <SmsPreview ctx={ctx} />
          </Tabs.Panel>
        </Box>
      </Tabs>
    </Stack>
  );
}

/** A definition text in the preview's language; a missing translation shows the Vietnamese text, marked "(vi)". */
function L({ text, ctx }: { text: LocalText | undefined; ctx: Ctx }) {
  const r = ltIn(text, ctx.lang);
  if (r.lang === ctx.lang || !r.text) return r.text;
  return (
    <>
      <span lang="vi">{r.text}</span>
      <FallbackMark />
    </>
  );
}

function FallbackMark() {
  const { t } = useTranslation();
  return (
    <Text
      span
      size="xs"
      c="inherit"
      fs="italic"
      fw={400}
      ml={4}
      title={t('instruments.preview.fallback')}
      data-testid="preview-fallback"
    >
      (vi)
    </Text>
  );
}

/** The same as a plain string, for texts joined into one line: "… (vi)" when it fell back to Vietnamese. */
function lts(text: LocalText | undefined, lang: string): string {
  const r = ltIn(text, lang);
  return r.lang === lang || !r.text ? r.text : `${r.text} (vi)`;
}

/** Items with unique keys: a draft may hold the same code twice until it is corrected. */
function keyed(items: InstrumentItem[]): { it: InstrumentItem; key: string }[] {
  const seen = new Map<string, number>();
  return items.map((it) => {
    const n = (seen.get(it.code) ?? 0) + 1;
    seen.set(it.code, n);
    return { it, key: n === 1 ? it.code : `${it.code}#${n}` };
  });
}

/** Items with their visibility; hidden follow-ups stay as a one-line note. */
function Items({ ctx, big, render }: { ctx: Ctx; big: boolean; render: (it: InstrumentItem) => ReactNode }) {
  if (ctx.def.items.length === 0) return <Text c="dimmed">{ctx.t('instruments.preview.noItems')}</Text>;
  return (
    <>
      {keyed(ctx.def.items).map(({ it, key }) =>
        shown(it, ctx.answers) ? (
          <Box key={key} data-testid="preview-item" data-code={it.code}>
            {render(it)}
          </Box>
        ) : (
          <Text
            key={key}
            size={big ? 'sm' : 'xs'}
            c="dimmed"
            fs="italic"
            data-testid="preview-item-hidden"
            data-code={it.code}
            px="xs"
            py={4}
            style={{ border: '1px dashed var(--mantine-color-gray-4)', borderRadius: 8 }}
          >
            {it.showIf &&
              ctx.t('instruments.preview.hiddenUntil', { condition: conditionText(it.showIf, ctx.def, ctx.lang, ctx.t) })}
          </Text>
        ),
      )}
    </>
  );
}

function Question({ it, ctx, big }: { it: InstrumentItem; ctx: Ctx; big: boolean }) {
  return (
    <Stack gap={4}>
      <Text fw={600} size={big ? 'xl' : 'md'} style={{ lineHeight: 1.35 }}>
        {lt(it.label, ctx.lang) ? (
          <L text={it.label} ctx={ctx} />
        ) : (
          <span style={{ color: 'var(--mantine-color-red-6)' }}>{it.code}</span>
        )}
        {it.required && (
          <Text span c="red" aria-hidden>
            {' *'}
          </Text>
        )}
      </Text>
      {it.help && (
        <Text size={big ? 'md' : 'sm'} c="dimmed">
          <L text={it.help} ctx={ctx} />
        </Text>
      )}
    </Stack>
  );
}

/** The answer control of an item: big touch targets on the kiosk, ordinary sizes on the web. */
function Control({ it, ctx, big }: { it: InstrumentItem; ctx: Ctx; big: boolean }) {
  const { t, lang, answers, set, def } = ctx;
  const value = answers[it.code];
  const size = big ? 'lg' : 'md';
  const noOpinion = it.noOpinion && (
    <Button
      size={big ? 'md' : 'sm'}
      variant={value === it.noOpinion.value ? 'filled' : 'default'}
      color="gray"
      onClick={() => set(it.code, it.noOpinion?.value)}
    >
      <L text={it.noOpinion.label} ctx={ctx} />
    </Button>
  );
  switch (it.type) {
    case 'faces':
      return (
        <Stack gap="xs">
          <Group gap={big ? 'md' : 'xs'} grow wrap="nowrap" align="stretch">
            {FACE_VALUES.map((v) => (
              <UnstyledButton
                key={v}
                onClick={() => set(it.code, v)}
                aria-pressed={value === v}
                aria-label={t(`instruments.preview.faces.${v}`)}
                p={big ? 'xs' : 4}
                style={{
                  borderRadius: 12,
                  textAlign: 'center',
                  background: value === v ? 'var(--mantine-color-blue-0)' : undefined,
                  outline: value === v ? '2px solid var(--mantine-color-blue-5)' : undefined,
                }}
              >
                <Stack gap={4} align="center">
                  <Box w="100%" maw={big ? 96 : 52} style={{ aspectRatio: '1' }}>
                    <Face value={v} size="100%" selected={value === v} />
                  </Box>
                  <Text size={big ? 'sm' : 'xs'} fw={500} style={{ lineHeight: 1.2 }}>
                    {t(`instruments.preview.faces.${v}`)}
                  </Text>
                </Stack>
              </UnstyledButton>
            ))}
          </Group>
          {noOpinion}
        </Stack>
      );
    case 'scale': {
      const lo = it.min ?? 1;
      const hi = it.max ?? 5;
      const points = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
      return (
        <Stack gap={6}>
          <Group gap={6} wrap="wrap">
            {points.map((p) => (
              <Button
                key={p}
                size={big ? 'lg' : 'sm'}
                px={big ? 'md' : 'xs'}
                miw={big ? 56 : 36}
                variant={value === p ? 'filled' : 'default'}
                onClick={() => set(it.code, p)}
              >
                {p}
              </Button>
            ))}
          </Group>
          {(it.minLabel || it.maxLabel) && (
            <Group justify="space-between" gap="xs">
              <Text size="xs" c="dimmed">
                {lo}: <L text={it.minLabel} ctx={ctx} />
              </Text>
              <Text size="xs" c="dimmed" ta="right">
                {hi}: <L text={it.maxLabel} ctx={ctx} />
              </Text>
            </Group>
          )}
          {noOpinion}
        </Stack>
      );
    }
    case 'yesno':
      return (
        <Group gap="sm" grow>
          {[true, false].map((v) => (
            <Button key={String(v)} size={size} variant={value === v ? 'filled' : 'default'} onClick={() => set(it.code, v)}>
              {v ? t('instruments.preview.yes') : t('instruments.preview.no')}
            </Button>
          ))}
          {noOpinion}
        </Group>
      );
    case 'single':
    case 'multiple': {
      const chosen = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
      const toggle = (code: string) => {
        if (it.type === 'single') set(it.code, code);
        else set(it.code, chosen.includes(code) ? chosen.filter((c) => c !== code) : [...chosen, code]);
      };
      return (
        <Stack gap={6}>
          <SimpleGrid cols={big ? 2 : 1} spacing={6}>
            {optionsOf(it, def).map((o) => (
              <Button
                key={o.code}
                size={big ? 'md' : 'sm'}
                variant={chosen.includes(o.code) ? 'filled' : 'default'}
                justify="flex-start"
                onClick={() => toggle(o.code)}
                styles={{
                  root: { height: 'auto', minHeight: big ? 52 : 36 },
                  label: { whiteSpace: 'normal', textAlign: 'left' },
                }}
                leftSection={
                  <span aria-hidden style={{ fontSize: big ? 18 : 14 }}>
                    {it.type === 'multiple' ? (chosen.includes(o.code) ? '☑' : '☐') : chosen.includes(o.code) ? '◉' : '○'}
                  </span>
                }
              >
                <L text={o.label} ctx={ctx} />
              </Button>
            ))}
          </SimpleGrid>
          {noOpinion}
        </Stack>
      );
    }
    case 'number':
      return (
        <Group gap="sm" align="flex-end">
          <NumberInput
            size={size}
            maw={200}
            aria-label={lt(it.label, lang)}
            placeholder={t('instruments.preview.numberPlaceholder')}
            min={it.min}
            max={it.max}
            allowDecimal={!it.integer}
            value={typeof value === 'number' ? value : ''}
            onChange={(v) => set(it.code, typeof v === 'number' ? v : undefined)}
          />
          {noOpinion}
        </Group>
      );
    case 'text':
      return (
        <Textarea
          size={size}
          autosize
          minRows={2}
          aria-label={lt(it.label, lang)}
          placeholder={t('instruments.preview.textPlaceholder')}
          maxLength={it.maxLength}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => set(it.code, e.currentTarget.value || undefined)}
        />
      );
    case 'phone':
      return (
        <TextInput
          size={size}
          maw={320}
          type="tel"
          inputMode="tel"
          aria-label={lt(it.label, lang)}
          placeholder={t('instruments.preview.phonePlaceholder')}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => set(it.code, e.currentTarget.value || undefined)}
        />
      );
  }
  return null;
}

function Thanks({ ctx }: { ctx: Ctx }) {
  if (!ctx.def.thanks) return null;
  return (
    <>
      <Divider label={ctx.t('instruments.preview.afterSubmit')} labelPosition="center" />
      <Text ta="center" fw={500} c="teal.9">
        <L text={ctx.def.thanks} ctx={ctx} />
      </Text>
    </>
  );
}

const needsConsent = (def: InstrumentDefinition) => def.items.some((i) => i.personal || i.type === 'phone');

function KioskPreview({ ctx }: { ctx: Ctx }) {
  const { def, lang, t } = ctx;
  return (
    <Box
      data-testid="preview-kiosk"
      p={{ base: 8, sm: 14 }}
      style={{ background: '#25262b', borderRadius: 28, boxShadow: '0 6px 24px rgba(0,0,0,.18)' }}
    >
      <Stack gap="lg" p={{ base: 'sm', sm: 'lg' }} style={{ background: '#fff', borderRadius: 18 }} lang={lang}>
        {def.intro && (
          <Text size="lg" fw={500} ta="center">
            <L text={def.intro} ctx={ctx} />
          </Text>
        )}
        <Items ctx={ctx} big render={(it) => <KioskItem it={it} ctx={ctx} />} />
        {def.consent && needsConsent(def) && (
          <Text size="xs" c="dimmed">
            <L text={def.consent} ctx={ctx} />
          </Text>
        )}
        <Button size="xl" fullWidth color="teal.9">
          {t('instruments.preview.submit')}
        </Button>
        <Thanks ctx={ctx} />
      </Stack>
    </Box>
  );
}

function KioskItem({ it, ctx }: { it: InstrumentItem; ctx: Ctx }) {
  return (
    <Stack gap="sm">
      <Question it={it} ctx={ctx} big />
      <Control it={it} ctx={ctx} big />
    </Stack>
  );
}

function WebPreview({ ctx, tenantName }: { ctx: Ctx; tenantName: string }) {
  const { def, lang, t } = ctx;
  const [agreed, setAgreed] = useState(false);
  return (
    <Box
      data-testid="preview-web"
      mx="auto"
      w="100%"
      maw={380}
      p={10}
      style={{ background: '#25262b', borderRadius: 36, boxShadow: '0 6px 24px rgba(0,0,0,.18)' }}
    >
      <Box style={{ background: '#f8f9fa', borderRadius: 28, overflow: 'hidden' }} lang={lang}>
        <Box bg="blue.8" c="white" px="md" py="sm">
          <Text size="xs">{tenantName}</Text>
          <Text fw={600}>{t('instruments.preview.unitPlaceholder')}</Text>
        </Box>
        <Stack gap="md" p="md">
          {def.intro && (
            <Text size="sm">
              <L text={def.intro} ctx={ctx} />
            </Text>
          )}
          <Items
            ctx={ctx}
            big={false}
            render={(it) => (
              <Paper withBorder p="sm" radius="md">
                <Stack gap="xs">
                  <Question it={it} ctx={ctx} big={false} />
                  <Control it={it} ctx={ctx} big={false} />
                </Stack>
              </Paper>
            )}
          />
          {def.consent && (
            <Paper withBorder p="sm" radius="md" bg="white">
              <Stack gap={6}>
                <Text size="xs">
                  <L text={def.consent} ctx={ctx} />
                </Text>
                {needsConsent(def) && (
                  <Checkbox
                    size="sm"
                    label={t('instruments.preview.consentAgree')}
                    checked={agreed}
                    onChange={(e) => setAgreed(e.currentTarget.checked)}
                  />
                )}
              </Stack>
            </Paper>
          )}
          <Button size="md" fullWidth>
            {t('instruments.preview.submit')}
          </Button>
          <Thanks ctx={ctx} />
        </Stack>
      </Box>
    </Box>
  );
}

/** What the interviewer reads: the script or the label, the options, the skip logic, by section. */
function PhoneScript({ ctx }: { ctx: Ctx }) {
  const { def, lang, t } = ctx;
  const sections = new Map((def.sections ?? []).map((s) => [s.code, <L key={s.code} text={s.label} ctx={ctx} />]));
  let section: string | undefined;
  const blocks: ReactNode[] = [];
  keyed(def.items).forEach(({ it, key }, i) => {
    if (it.section && it.section !== section) {
      section = it.section;
      blocks.push(
        <Title key={`s-${key}`} order={3} size="h5" c="blue.8" mt="xs" data-testid="script-section">
          {sections.get(it.section) ?? it.section}
        </Title>,
      );
    }
    blocks.push(<ScriptItem key={key} it={it} n={i + 1} ctx={ctx} />);
  });
  return (
    <Paper withBorder p={{ base: 'sm', sm: 'md' }} radius="md" data-testid="preview-phone" lang={lang}>
      <Stack gap="sm">
        {def.intro && <ScriptBlock title={t('instruments.preview.script.intro')} text={<L text={def.intro} ctx={ctx} />} />}
        {def.consent && <ScriptBlock title={t('instruments.preview.script.consent')} text={<L text={def.consent} ctx={ctx} />} />}
        {blocks.length ? blocks : <Text c="dimmed">{t('instruments.preview.noItems')}</Text>}
        {def.thanks && <ScriptBlock title={t('instruments.preview.script.thanks')} text={<L text={def.thanks} ctx={ctx} />} />}
      </Stack>
    </Paper>
  );
}

function ScriptBlock({ title, text }: { title: string; text: ReactNode }) {
  return (
    <Box>
      <Text size="xs" fw={700} c="dimmed">
        {title}
      </Text>
      <Text size="sm" style={{ borderLeft: '3px solid var(--mantine-color-blue-3)', paddingLeft: 10 }}>
        {text}
      </Text>
    </Box>
  );
}

function ScriptItem({ it, n, ctx }: { it: InstrumentItem; n: number; ctx: Ctx }) {
  const { def, lang, t } = ctx;
  const options = optionsOf(it, def);
  let answers: ReactNode = null;
  switch (it.type) {
    case 'faces':
      answers = FACE_VALUES.map((v) => `${v}. ${t(`instruments.preview.faces.${v}`)}`).join(' · ');
      break;
    case 'scale':
      answers = [
        t('instruments.preview.script.scale', { min: it.min ?? 1, max: it.max ?? 5 }),
        it.minLabel && `${it.min ?? 1} = ${lts(it.minLabel, lang)}`,
        it.maxLabel && `${it.max ?? 5} = ${lts(it.maxLabel, lang)}`,
      ]
        .filter(Boolean)
        .join(' · ');
      break;
    case 'yesno':
      answers = `${t('instruments.preview.yes')} / ${t('instruments.preview.no')}`;
      break;
    case 'single':
    case 'multiple':
      answers = (
        <Box component="ol" m={0} pl={22} type="a">
          {options.map((o) => (
            <li key={o.code}>
              <Text size="sm" span>
                <L text={o.label} ctx={ctx} />
              </Text>
            </li>
          ))}
        </Box>
      );
      break;
    case 'number':
      answers = t('instruments.preview.script.number', {
        range: it.min !== undefined || it.max !== undefined ? `${it.min ?? '…'}–${it.max ?? '…'}` : '…',
      });
      break;
    case 'text':
      answers = t('instruments.preview.script.text');
      break;
    case 'phone':
      answers = t('instruments.preview.script.phone');
      break;
  }
  const readLabel =
    it.type === 'single'
      ? t('instruments.preview.script.readOne')
      : it.type === 'multiple'
        ? t('instruments.preview.script.readMany')
        : it.type === 'text' || it.type === 'phone' || it.type === 'number'
          ? t('instruments.preview.script.record')
          : t('instruments.preview.script.answers');
  return (
    <Stack gap={4} data-testid="script-item" data-code={it.code}>
      <Group gap={6}>
        <Badge size="sm" variant="filled" color="blue">
          {t('instruments.preview.script.question', { n })}
        </Badge>
        <Text size="xs" c="dimmed" ff="monospace">
          {it.code}
        </Text>
        {it.required && (
          <Badge size="xs" variant="light" color="red">
            {t('instruments.preview.script.required')}
          </Badge>
        )}
        {it.showIf && (
          <Badge
            size="sm"
            variant="light"
            color="orange"
            c="dark.7"
            data-testid="script-condition"
            style={{ textTransform: 'none' }}
          >
            {t('instruments.preview.script.onlyIf', { condition: conditionText(it.showIf, def, lang, t) })}
          </Badge>
        )}
      </Group>
      <Text fw={500}>
        “<L text={it.script ?? it.label} ctx={ctx} />”
      </Text>
      <Box pl="sm">
        <Text size="xs" c="dimmed" fw={600}>
          {readLabel}
        </Text>
        {typeof answers === 'string' ? <Text size="sm">{answers}</Text> : answers}
        {it.noOpinion && (
          <Text size="sm" c="dimmed" fs="italic">
            {t('instruments.preview.script.noOpinion', { label: lts(it.noOpinion.label, lang) })}
          </Text>
        )}
      </Box>
    </Stack>
  );
}

function Bubble({ children, mine }: { children: ReactNode; mine?: boolean }) {
  return (
    <Box
      maw="85%"
      px="sm"
      py={6}
      style={{
        alignSelf: mine ? 'flex-end' : 'flex-start',
        background: mine ? 'var(--mantine-color-blue-8)' : 'var(--mantine-color-gray-1)',
        color: mine ? '#fff' : undefined,
        borderRadius: 14,
      }}
    >
      <Text size="sm">{children}</Text>
    </Box>
  );
}

function SmsPreview({ ctx }: { ctx: Ctx }) {
  const { def, lang, t } = ctx;
  return (
    <Paper withBorder p="md" radius="lg" maw={380} mx="auto" data-testid="preview-sms" lang={lang}>
      <Stack gap={8}>
        <Bubble>
          {[def.intro, def.items[0]?.label, def.consent]
            .filter((x): x is LocalText => Boolean(lt(x, lang)))
            .map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed sequence of up to three texts
              <Fragment key={i}>
                {i > 0 && ' '}
                <L text={x} ctx={ctx} />
              </Fragment>
            ))}
        </Bubble>
        {def.items[0] && <Bubble mine>{t('instruments.preview.smsSample')}</Bubble>}
        {keyed(def.items)
          .slice(1)
          .map(({ it, key }) => (
            <Bubble key={key}>
              <L text={it.label} ctx={ctx} />
            </Bubble>
          ))}
        {def.thanks && (
          <Bubble>
            <L text={def.thanks} ctx={ctx} />
          </Bubble>
        )}
        <Text size="xs" c="dimmed" ta="center">
          {t('instruments.preview.smsNote')}
        </Text>
      </Stack>
    </Paper>
  );
}
