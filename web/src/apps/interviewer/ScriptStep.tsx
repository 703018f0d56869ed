// One step of the call as the interviewer sees it: the words to read out
// (large), the question as recorded, and the answer captured with the keys
// shown on each choice. Choices are native radios and checkboxes drawn as
// tiles; numbers and texts are ordinary fields.
import { Group, Kbd, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { KeyboardEvent, Ref } from 'react';
import { useT } from './i18n';
import {
  type AnswerErrorKey,
  choicesOf,
  type Definition,
  type Item,
  isEmpty,
  type LocalText,
  local,
  NO_OPINION,
  optionsOf,
  type Raw,
  TEXT_MAX,
} from './model';

export const STEP_HEADING_ID = 'step-heading';
const INPUT_ID = 'step-input';

/** A definition text, marked with its language (the interview's may differ from the interface's). */
function Read({ text, lang }: { text: LocalText | undefined; lang: string }) {
  return (
    <Text lang={text?.[lang] ? lang : 'vi'} fz={20} lh={1.5} className="script-text">
      {local(text, lang)}
    </Text>
  );
}

export function TextStep({
  kind,
  heading,
  text,
  lang,
  headingRef,
  children,
}: {
  kind: string;
  heading: string;
  text: LocalText | undefined;
  lang: string;
  headingRef: Ref<HTMLHeadingElement>;
  children?: React.ReactNode;
}) {
  const { t } = useT();
  return (
    <Stack gap="sm" data-testid={`step-${kind}`}>
      <Title order={2} size="h4" ref={headingRef} tabIndex={-1} id={STEP_HEADING_ID} className="step-heading">
        {heading}
      </Title>
      {text && (
        <div className="script-box">
          <Text size="xs" fw={700} c="blue.9" tt="uppercase" mb={4}>
            {t('call.readAloud')}
          </Text>
          <Read text={text} lang={lang} />
        </div>
      )}
      {children}
    </Stack>
  );
}

export interface QuestionProps {
  item: Item;
  def: Definition;
  raw: Raw | undefined;
  error: AnswerErrorKey | undefined;
  /** the server's word on this item after a rejected submit */
  serverError: string | undefined;
  /** position among the items asked, from 1 */
  n: number;
  total: number;
  lang: string;
  headingRef: Ref<HTMLHeadingElement>;
  inputRef: Ref<HTMLInputElement & HTMLTextAreaElement>;
  onChange: (raw: Raw | undefined) => void;
  onNext: () => void;
  onPrevious: () => void;
}

export function Question(p: QuestionProps) {
  const { t } = useT();
  const { item, def, lang } = p;
  const section = def.sections?.find((s) => s.code === item.section);
  const script = item.script ?? item.label;
  const errorId = 'step-error';
  const message = p.error ? t(`answerError.${p.error}`, { min: item.min ?? '', max: item.max ?? '' }) : p.serverError;

  return (
    <Stack gap="sm" data-testid="step-item" data-item={item.code}>
      <Group gap="xs" justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" data-testid="step-progress">
          {t('call.progress', { n: p.n, total: p.total })}
          {section ? ` · ${local(section.label, lang)}` : ''}
        </Text>
        <Text size="sm" c="dimmed">
          {item.required ? t('call.required') : t('call.optional')}
        </Text>
      </Group>
      <div className="script-box">
        <Text size="xs" fw={700} c="blue.9" tt="uppercase" mb={4}>
          {t('call.readAloud')}
        </Text>
        <Title
          order={2}
          fz={22}
          fw={500}
          lh={1.45}
          ref={p.headingRef}
          tabIndex={-1}
          id={STEP_HEADING_ID}
          className="step-heading"
        >
          <span lang={script[lang] ? lang : 'vi'}>{local(script, lang)}</span>
        </Title>
      </div>
      {item.help && (
        <Text size="sm" c="dimmed" lang={item.help[lang] ? lang : 'vi'}>
          {local(item.help, lang)}
        </Text>
      )}
      <Answer {...p} describedBy={message ? errorId : undefined} />
      {message && (
        <Text c="red.9" size="sm" id={errorId} role="alert" data-testid="step-error">
          {message}
        </Text>
      )}
      <KeyHints item={item} def={def} />
    </Stack>
  );
}

function Answer(p: QuestionProps & { describedBy: string | undefined }) {
  const { t } = useT();
  const { item, def, raw, lang } = p;
  const label = local(item.label, lang);
  const labelLang = item.label[lang] ? lang : 'vi';

  if (item.type === 'number' || item.type === 'text' || item.type === 'phone') {
    const value = typeof raw === 'string' ? raw : raw === undefined ? '' : String(raw);
    const onKeyDown = (e: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        p.onNext();
      } else if ((e.key === 'Backspace' || e.key === 'ArrowLeft') && e.currentTarget.value === '') {
        e.preventDefault();
        p.onPrevious();
      }
    };
    const common = {
      id: INPUT_ID,
      label: <span lang={labelLang}>{label}</span>,
      value,
      onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
        p.onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value),
      onKeyDown,
      error: p.describedBy ? true : undefined,
      'aria-describedby': p.describedBy,
      'data-testid': 'answer-field',
    };
    if (item.type === 'text')
      return (
        <Textarea
          {...common}
          ref={p.inputRef}
          autosize
          minRows={2}
          maxRows={6}
          maxLength={item.maxLength ?? TEXT_MAX}
          description={t('call.textHint')}
        />
      );
    return (
      <TextInput
        {...common}
        ref={p.inputRef}
        inputMode={item.type === 'number' ? (item.integer ? 'numeric' : 'decimal') : 'tel'}
        autoComplete="off"
        description={
          item.type === 'number' && item.min !== undefined && item.max !== undefined
            ? t('call.numberRange', { min: item.min, max: item.max })
            : undefined
        }
        maw={item.type === 'number' ? 240 : 360}
      />
    );
  }

  const multiple = item.type === 'multiple';
  const choices = choicesOf(item, def);
  const options = optionsOf(item, def);
  const labelOf = (v: string | number | boolean): { text: string; lang?: string } => {
    if (item.type === 'yesno') return { text: v ? t('call.yes') : t('call.no') };
    if (item.type === 'single' || item.type === 'multiple') {
      const o = options.find((x) => x.code === v);
      return o ? { text: local(o.label, lang), lang: o.label[lang] ? lang : 'vi' } : { text: String(v) };
    }
    return { text: String(v) };
  };
  const keyOf = (v: string | number | boolean, i: number) =>
    item.type === 'yesno' ? (v ? 'Y' : 'N') : item.type === 'scale' && v === 10 ? '1 0' : String(i + 1);
  const isChosen = (v: string | number | boolean) =>
    multiple ? Array.isArray(raw) && raw.includes(String(v)) : raw !== NO_OPINION && raw === v;
  const choose = (v: string | number | boolean) => {
    if (!multiple) return p.onChange(v);
    const chosen = Array.isArray(raw) ? raw : [];
    const code = String(v);
    p.onChange(chosen.includes(code) ? chosen.filter((c) => c !== code) : [...chosen, code]);
  };
  const scale = item.type === 'scale' || item.type === 'faces';
  const name = `answer-${item.code}`;

  return (
    <fieldset className="choices" aria-describedby={p.describedBy} data-testid="answer-choices">
      <legend className="choices-legend">
        <span lang={labelLang}>{label}</span>
      </legend>
      <div className={scale ? 'tiles tiles--scale' : 'tiles'}>
        {choices.map((v, i) => {
          const l = labelOf(v);
          return (
            <label key={String(v)} className="tile" data-chosen={isChosen(v) || undefined}>
              <input
                type={multiple ? 'checkbox' : 'radio'}
                name={name}
                value={String(v)}
                checked={isChosen(v)}
                onChange={() => choose(v)}
                data-testid={`choice-${String(v)}`}
              />
              <Kbd className="tile-key" aria-hidden="true">
                {keyOf(v, i)}
              </Kbd>
              <span className="tile-label" lang={l.lang}>
                {l.text}
              </span>
            </label>
          );
        })}
        {item.noOpinion && (
          <label className="tile tile--na" data-chosen={raw === NO_OPINION || undefined}>
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={name}
              value="na"
              checked={raw === NO_OPINION}
              onChange={() => p.onChange(raw === NO_OPINION ? undefined : NO_OPINION)}
              data-testid="choice-na"
            />
            <Kbd className="tile-key" aria-hidden="true">
              0
            </Kbd>
            <span className="tile-label" lang={item.noOpinion.label[lang] ? lang : 'vi'}>
              {local(item.noOpinion.label, lang)}
            </span>
          </label>
        )}
      </div>
      {item.type === 'scale' && (item.minLabel || item.maxLabel) && (
        <Group justify="space-between" mt={4} className="scale-ends">
          <Text size="sm" c="dimmed">
            {item.min ?? 1} = {local(item.minLabel, lang)}
          </Text>
          <Text size="sm" c="dimmed">
            {item.max ?? 5} = {local(item.maxLabel, lang)}
          </Text>
        </Group>
      )}
      {!isEmpty(raw) && (
        <button type="button" className="clear-answer" onClick={() => p.onChange(undefined)} data-testid="clear-answer">
          {t('call.clearAnswer')}
        </button>
      )}
    </fieldset>
  );
}

function KeyHints({ item, def }: { item: Item; def: Definition }) {
  const { t } = useT();
  const hints: string[] = [];
  const n = choicesOf(item, def).length;
  if (item.type === 'yesno') hints.push(t('keys.yesno'));
  else if (item.type === 'scale' && (item.max ?? 5) >= 10) hints.push(t('keys.scale10'));
  else if (n > 0) hints.push(t('keys.digits', { last: Math.min(n, 9) }));
  if (item.type === 'multiple') hints.push(t('keys.toggle'));
  if (item.noOpinion) hints.push(t('keys.noOpinion'));
  hints.push(item.type === 'text' ? t('keys.navText') : t('keys.nav'));
  return (
    <Text size="sm" c="dimmed" data-testid="key-hints">
      {hints.join(' · ')}
    </Text>
  );
}
