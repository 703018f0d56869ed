// One question on its screen: a fieldset whose legend is the screen's heading
// (focused on each step), the item's help, its error tied to it, and native
// inputs drawn large: faces, numbered scale, rows of radios or checkboxes, or
// one field for a number, a text or a phone number.
import type { CSSProperties, ReactNode, Ref } from 'react';
import { FACE_VALUES, Face } from '../../shared/faces';
import type { Language } from '../../shared/language';
import { type LocalText, local, useI18n } from './i18n';
import { OptionIcon } from './icons';
import { type Definition, type ErrorKey, type Item, NO_OPINION, optionsOf, type Raw, TEXT_MAX } from './survey';

export interface QuestionProps {
  item: Item;
  def: Definition;
  raw: Raw | undefined;
  error: ErrorKey | undefined;
  /** position among the items shown, from 1 */
  n: number;
  total: number;
  headingRef: Ref<HTMLHeadingElement>;
  onChange: (raw: Raw | undefined) => void;
}

const ID = { title: 'q-title', help: 'q-help', note: 'q-note', error: 'q-error', counter: 'q-counter', input: 'q-input' };

/** A definition text, marked with its own language when it fell back to Vietnamese. */
export function Local({ text, lang }: { text: LocalText; lang: Language }) {
  const l = local(text, lang);
  return l.lang === lang ? l.text : <span lang={l.lang}>{l.text}</span>;
}

export function Question({ item, def, raw, error, n, total, headingRef, onChange }: QuestionProps) {
  const { t, lang } = useI18n();
  const notes: string[] = [];
  if (item.type === 'number') {
    const { min, max } = item;
    if (min !== undefined && max !== undefined) notes.push(t('question.numberRange', { min, max }));
    else if (min !== undefined) notes.push(t('question.numberMin', { min }));
    else if (max !== undefined) notes.push(t('question.numberMax', { max }));
  }
  if (item.type === 'phone') notes.push(t('question.phoneHint'));
  if (!item.required) notes.push(t('question.optional'));
  const describedBy = [item.help && ID.help, notes.length && ID.note, error && ID.error].filter(Boolean).join(' ');
  const field = { describedBy, invalid: error !== undefined };

  return (
    <fieldset className="q" aria-describedby={describedBy || undefined} data-testid="survey-question" data-item={item.code}>
      <legend className="q__legend">
        <h1 ref={headingRef} tabIndex={-1} id={ID.title} className="q__title" data-testid="survey-heading">
          <span className="q__progress" data-testid="survey-progress">
            {t('question.progress', { n, total })}
          </span>{' '}
          <span className="q__label">
            <Local text={item.label} lang={lang} />
          </span>
        </h1>
      </legend>
      {item.help && (
        <p id={ID.help} className="hint">
          <Local text={item.help} lang={lang} />
        </p>
      )}
      {notes.length > 0 && (
        <p id={ID.note} className="hint">
          {notes.map((note) => (
            <span key={note} className="hint__line">
              {note}
            </span>
          ))}
        </p>
      )}
      {error && (
        <p id={ID.error} className="field-error" role="alert" data-testid="survey-error">
          <span className="visually-hidden">{t('error.prefix')} </span>
          {t(`error.${error}`)}
        </p>
      )}
      <Control item={item} def={def} raw={raw} onChange={onChange} field={field} />
    </fieldset>
  );
}

type Field = { describedBy: string; invalid: boolean };

function Control({
  item,
  def,
  raw,
  onChange,
  field,
}: {
  item: Item;
  def: Definition;
  raw: Raw | undefined;
  onChange: (raw: Raw | undefined) => void;
  field: Field;
}) {
  const { t, lang } = useI18n();
  const name = `q-${item.code}`;
  const noOpinion = item.noOpinion && (
    <Row
      type={item.type === 'multiple' || item.type === 'number' ? 'checkbox' : 'radio'}
      name={name}
      checked={raw === NO_OPINION}
      onChange={(on) => onChange(on ? NO_OPINION : undefined)}
      testId="survey-no-opinion"
    >
      <Local text={item.noOpinion.label} lang={lang} />
    </Row>
  );

  switch (item.type) {
    case 'faces':
      return (
        <>
          <div className="faces">
            {FACE_VALUES.map((v) => (
              <label key={v} className="choice choice--face">
                <input
                  type="radio"
                  name={name}
                  className="choice__input"
                  checked={raw === v}
                  onChange={() => onChange(v)}
                  data-testid={`survey-face-${v}`}
                />
                <span className="choice__box">
                  <Face value={v} />
                  <span className="choice__text">{t(`faces.${v}`)}</span>
                </span>
              </label>
            ))}
          </div>
          {noOpinion && <div className="rows rows--after">{noOpinion}</div>}
        </>
      );
    case 'scale': {
      const min = item.min ?? 1;
      const max = item.max ?? 5;
      const values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
      const cols = values.length <= 5 ? values.length : Math.ceil(values.length / 2);
      const end = (text: LocalText | undefined) =>
        text && (
          <span className="visually-hidden">
            {' – '}
            <Local text={text} lang={lang} />
          </span>
        );
      return (
        <>
          <div className="scale" style={{ '--cols': cols } as CSSProperties}>
            {values.map((v) => (
              <label key={v} className="choice choice--num">
                <input
                  type="radio"
                  name={name}
                  className="choice__input"
                  checked={raw === v}
                  onChange={() => onChange(v)}
                  data-testid={`survey-scale-${v}`}
                />
                <span className="choice__box">
                  {v}
                  {v === min && end(item.minLabel)}
                  {v === max && end(item.maxLabel)}
                </span>
              </label>
            ))}
          </div>
          {(item.minLabel || item.maxLabel) && (
            // Read out with the first and last numbers already.
            <div className="scale__ends" aria-hidden="true">
              <span>
                {item.minLabel && (
                  <>
                    {min} = <Local text={item.minLabel} lang={lang} />
                  </>
                )}
              </span>
              <span>
                {item.maxLabel && (
                  <>
                    {max} = <Local text={item.maxLabel} lang={lang} />
                  </>
                )}
              </span>
            </div>
          )}
          {noOpinion && <div className="rows rows--after">{noOpinion}</div>}
        </>
      );
    }
    case 'yesno':
      return (
        <div className="rows">
          <Row type="radio" name={name} checked={raw === true} onChange={() => onChange(true)} testId="survey-yes">
            {t('question.yes')}
          </Row>
          <Row type="radio" name={name} checked={raw === false} onChange={() => onChange(false)} testId="survey-no">
            {t('question.no')}
          </Row>
          {noOpinion}
        </div>
      );
    case 'single':
      return (
        <div className="rows">
          {optionsOf(item, def).map((o) => (
            <Row
              key={o.code}
              type="radio"
              name={name}
              checked={raw === o.code}
              onChange={() => onChange(o.code)}
              testId={`survey-option-${o.code}`}
            >
              <OptionIcon name={o.icon} />
              <Local text={o.label} lang={lang} />
            </Row>
          ))}
          {noOpinion}
        </div>
      );
    case 'multiple': {
      const chosen = Array.isArray(raw) ? raw : [];
      return (
        <div className="rows">
          {optionsOf(item, def).map((o) => (
            <Row
              key={o.code}
              type="checkbox"
              name={name}
              checked={chosen.includes(o.code)}
              onChange={(on) => {
                const next = on ? [...chosen, o.code] : chosen.filter((c) => c !== o.code);
                onChange(next.length ? next : undefined);
              }}
              testId={`survey-option-${o.code}`}
            >
              <OptionIcon name={o.icon} />
              <Local text={o.label} lang={lang} />
            </Row>
          ))}
          {noOpinion}
        </div>
      );
    }
    case 'number':
      return (
        <>
          <input
            id={ID.input}
            className="input input--number"
            type="text"
            inputMode={item.integer ? 'numeric' : 'decimal'}
            autoComplete="off"
            aria-labelledby={ID.title}
            aria-describedby={field.describedBy || undefined}
            aria-invalid={field.invalid || undefined}
            value={typeof raw === 'string' ? raw : ''}
            disabled={raw === NO_OPINION}
            onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
            data-testid="survey-input"
          />
          {noOpinion && <div className="rows rows--after">{noOpinion}</div>}
        </>
      );
    case 'text': {
      const text = typeof raw === 'string' ? raw : '';
      const max = item.maxLength ?? TEXT_MAX;
      return (
        <>
          <textarea
            id={ID.input}
            className="input input--text"
            rows={5}
            maxLength={max}
            aria-labelledby={ID.title}
            aria-describedby={[field.describedBy, ID.counter].filter(Boolean).join(' ')}
            aria-invalid={field.invalid || undefined}
            value={text}
            onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
            data-testid="survey-input"
          />
          <p id={ID.counter} className="counter" data-testid="survey-counter">
            {t('question.counter', { count: text.length, max })}
          </p>
        </>
      );
    }
    case 'phone':
      return (
        <input
          id={ID.input}
          className="input input--phone"
          type="tel"
          inputMode="tel"
          autoComplete="tel-national"
          maxLength={20}
          aria-labelledby={ID.title}
          aria-describedby={field.describedBy || undefined}
          aria-invalid={field.invalid || undefined}
          value={typeof raw === 'string' ? raw : ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
          data-testid="survey-input"
        />
      );
  }
}

/** A large tappable row: the native radio or checkbox and its words. */
function Row({
  type,
  name,
  checked,
  onChange,
  testId,
  children,
}: {
  type: 'radio' | 'checkbox';
  name: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  children: ReactNode;
}) {
  return (
    <label className="row">
      <input
        type={type}
        name={name}
        className="row__input"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={testId}
      />
      <span className="row__text">{children}</span>
    </label>
  );
}
