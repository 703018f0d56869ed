// One unit's scorecard for a published period: every index of the snapshot,
// the unit's figure beside the province's. Answers from the tablet and by text
// message come in their own groups: beside the interviews, never pooled.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { PageTitle, RouteLink, usePageTitle } from '../page';
import { navigate } from '../route';
import {
  HEADLINE,
  type IndexInfo,
  paths,
  type ScoreRow,
  type SnapshotDetail,
  type SnapshotIndex,
  type SnapshotSummary,
  useLoad,
} from './api';
import { domainOf, formatPeriod } from './format';
import { BandChip, displayOf, Empty, Failed, Figure, IndexHead, IntervalBar, Loading, useIndices } from './parts';
import { periodsOf } from './Rankings';

type Group = 'phone' | 'kiosk' | 'sms' | 'events';
const GROUPS: Group[] = ['phone', 'events', 'kiosk', 'sms'];

function groupOf(x: SnapshotIndex): Group {
  if (x.channel === null) return 'events';
  if (x.channel === 'kiosk' || x.channel === 'sms') return x.channel;
  return 'phone';
}

export function UnitPage({ snapshot, unit }: { snapshot: string; unit: string }) {
  const { t, lang } = useI18n();
  const detail = useLoad<SnapshotDetail>(paths.snapshot(snapshot));
  const snapshots = useLoad<SnapshotSummary[]>(paths.snapshots());
  const indices = useIndices();
  const d = detail.state === 'ok' ? detail.data : null;
  const own = (x: SnapshotIndex) => x.rows.find((r) => r.level === 'unit' && r.unit === unit);
  const name = d?.indices.map(own).find(Boolean)?.unitName;
  const period = d ? formatPeriod(d.period, lang, t) : '';
  usePageTitle(name ? `${name}: ${period}` : t('nav.rankings'));

  let body: ReactNode;
  if (detail.state === 'failed') body = <Failed onRetry={detail.retry} />;
  else if (detail.state === 'missing' || (d && !name))
    body = (
      <Empty title={t('scores.unit.notFoundTitle')}>
        <p>{t('scores.unit.notFoundBody')}</p>
      </Empty>
    );
  // The index list gives the decimals and the unit: figures wait for it (or for its failure).
  else if (!d || !(indices.list || indices.failed)) body = <Loading />;
  else {
    const ordered = [...d.indices].sort((a, b) => Number(HEADLINE.includes(b.index)) - Number(HEADLINE.includes(a.index)));
    body = (
      <>
        <p className="intro">{t('scores.unit.intro')}</p>
        {GROUPS.map((g) => {
          const list = ordered.filter((x) => groupOf(x) === g && own(x));
          if (list.length === 0) return null;
          return (
            <section key={g} aria-labelledby={`group-${g}`} data-testid={`unit-group-${g}`}>
              <h2 id={`group-${g}`}>{t(`scores.unit.group.${g}`)}</h2>
              <p className="section-note">{t(`scores.unit.groupNote.${g}`)}</p>
              <ul className="cards">
                {list.map((x) => (
                  <IndexCard
                    key={x.index}
                    x={x}
                    row={own(x) as ScoreRow}
                    info={indices.byCode.get(x.index)}
                    events={g === 'events'}
                  />
                ))}
              </ul>
            </section>
          );
        })}
        <p className="downloads">
          {t('scores.rankings.download')}: <a href={paths.snapshot(d.id)}>JSON</a> <a href={paths.snapshot(d.id, 'csv')}>CSV</a>
        </p>
      </>
    );
  }

  const periods = d && snapshots.state === 'ok' ? periodsOf(snapshots.data, d.sector) : [];
  return (
    <main className="page wide">
      <RouteLink
        to={{ page: 'rankings', sector: d?.sector ?? 'administration', period: d?.period ?? null }}
        className="back-link"
      >
        <span className="back-link__arrow" aria-hidden="true">
          ←
        </span>
        {t('scores.unit.back')}
      </RouteLink>
      <PageTitle>{name ? <span lang="vi">{name}</span> : unit}</PageTitle>
      {d && (
        <p className="meta" data-testid="unit-subtitle">
          {t('scores.unit.subtitle', { period, sector: t(`scores.sector.${d.sector}`) })}
        </p>
      )}
      {d && periods.length > 1 && (
        <div className="card controls">
          <div className="field select-field">
            <label htmlFor="unit-period">{t('scores.unit.period')}</label>
            <select
              id="unit-period"
              value={d.id}
              onChange={(e) => navigate({ page: 'unit', snapshot: e.target.value, unit }, { keepFocus: true })}
            >
              {!periods.some((p) => p.id === d.id) && <option value={d.id}>{period}</option>}
              {periods.map((p) => (
                <option key={p.id} value={p.id}>
                  {formatPeriod(p.period, lang, t)}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      {body}
    </main>
  );
}

function IndexCard({ x, row, info, events }: { x: SnapshotIndex; row: ScoreRow; info: IndexInfo | undefined; events: boolean }) {
  const { t } = useI18n();
  const display = displayOf(info);
  const higherIsBetter = info?.higherIsBetter ?? true;
  const province = x.rows.find((r) => r.level === 'province');
  const shared = row.rank !== null && x.rows.filter((r) => r.level === 'unit' && r.rank === row.rank).length > 1;
  return (
    <li className="card icard" data-testid="unit-index" data-index={x.index}>
      <IndexHead code={x.index} info={info} level={3} />
      <dl className="pair">
        <div>
          <dt>{t('scores.unit.thisUnit')}</dt>
          <dd>
            <Figure row={row} display={display} events={events} />
          </dd>
        </div>
        {province && (
          <div>
            <dt>{t('scores.unit.province')}</dt>
            <dd>
              <Figure row={province} display={display} events={events} />
            </dd>
          </div>
        )}
      </dl>
      <IntervalBar
        row={row}
        display={display}
        domain={domainOf(province ? [row, province] : [row], display)}
        reference={province?.value ?? null}
        ends
      />
      <p className="icard__rank">
        {row.rank !== null ? (
          <strong>
            {t('scores.unit.rank', { rank: row.rank })}
            {shared && ` (${t('scores.value.shared')})`}
          </strong>
        ) : x.ranked ? (
          row.value !== null && t('scores.value.unranked')
        ) : (
          t('scores.unit.notRanked')
        )}
        {row.band && (
          <>
            {' '}
            <BandChip band={row.band} higherIsBetter={higherIsBetter} />
          </>
        )}
      </p>
    </li>
  );
}
