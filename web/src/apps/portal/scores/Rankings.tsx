// The rankings of a sector's headline index for one published period: the
// province first as the reference, the ranked units (ranks shared where the
// intervals overlap), then those not ranked, hidden ones saying why.
import type { ReactNode } from 'react';
import { formatInstantDate } from '../../../shared/format';
import { SECTORS, type Sector } from '../../../shared/types';
import { useI18n } from '../i18n';
import { PageTitle, RouteLink, usePageTitle } from '../page';
import { navigate } from '../route';
import { type IndexInfo, paths, type ScoreRow, type SnapshotSummary, useLoad } from './api';
import { domainOf, formatPeriod, formatValue } from './format';
import { BandChip, displayOf, Empty, Failed, Figure, IndexHead, IntervalBar, Loading, useIndices } from './parts';

/** Published periods of a sector, newest first, each once (a later publication of a period replaces it). */
export function periodsOf(list: SnapshotSummary[], sector: Sector): SnapshotSummary[] {
  const seen = new Set<string>();
  return list.filter((s) => s.sector === sector && !seen.has(s.period) && seen.add(s.period));
}

export function RankingsPage({ sector, period }: { sector: Sector; period: string | null }) {
  const { t, lang } = useI18n();
  usePageTitle(`${t('scores.rankings.title')}: ${t(`scores.sector.${sector}`)}`);
  const snapshots = useLoad<SnapshotSummary[]>(paths.snapshots());
  const rankings = useLoad<ScoreRow[]>(paths.rankings(sector, period));
  const indices = useIndices();
  const periods = snapshots.state === 'ok' ? periodsOf(snapshots.data, sector) : [];
  const rows = rankings.state === 'ok' && rankings.data.length > 0 ? rankings.data : null;
  const shown = rows?.[0]?.period ?? period;

  let body: ReactNode;
  if (rankings.state === 'failed') body = <Failed onRetry={rankings.retry} />;
  else if (rankings.state === 'missing' || (rankings.state === 'ok' && !rows))
    body = period ? (
      <Empty title={t('scores.rankings.emptyTitle')}>
        <p>{t('scores.rankings.emptyPeriod')}</p>
        <RouteLink to={{ page: 'rankings', sector, period: null }} className="btn btn--secondary">
          {t('scores.rankings.latest')}
        </RouteLink>
      </Empty>
    ) : (
      <Empty title={t('scores.rankings.emptyTitle')}>
        <p>{t('scores.rankings.emptyBody', { sector: t(`scores.sector.${sector}`) })}</p>
      </Empty>
    );
  // The index list gives the decimals and the unit: figures wait for it (or for its failure).
  else if (rows && (indices.list || indices.failed))
    body = (
      <Ranking
        rows={rows}
        info={indices.byCode.get(rows[0]?.index ?? '')}
        published={snapshots.state === 'ok' ? snapshots.data.find((s) => s.id === rows[0]?.snapshotId) : undefined}
      />
    );
  else body = <Loading />;

  return (
    <main className="page wide">
      <PageTitle>{t('scores.rankings.title')}</PageTitle>
      <p className="intro">
        {t('scores.rankings.intro')} <RouteLink to={{ page: 'methods' }}>{t('scores.rankings.methodsLink')}</RouteLink>
      </p>
      <div className="card controls">
        <fieldset className="switch" data-testid="sector-switch">
          <legend>{t('scores.rankings.sector')}</legend>
          {SECTORS.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={s === sector}
              onClick={() => s !== sector && navigate({ page: 'rankings', sector: s, period: null }, { keepFocus: true })}
            >
              <span className="switch__name">{t(`scores.sector.${s}`)}</span>
              <span className="switch__hint">{t(`scores.sectorHint.${s}`)}</span>
            </button>
          ))}
        </fieldset>
        {periods.length > 0 && (
          <div className="field select-field">
            <label htmlFor="period">{t('scores.rankings.period')}</label>
            <select
              id="period"
              value={shown ?? ''}
              onChange={(e) => navigate({ page: 'rankings', sector, period: e.target.value }, { keepFocus: true })}
              data-testid="period-select"
            >
              {shown && !periods.some((p) => p.period === shown) && <option value={shown}>{shown}</option>}
              {periods.map((p) => (
                <option key={p.id} value={p.period}>
                  {formatPeriod(p.period, lang, t)}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <p className="visually-hidden" role="status">
        {rows
          ? t('scores.rankings.status', {
              sector: t(`scores.sector.${sector}`),
              period: formatPeriod(rows[0]?.period ?? '', lang, t),
              count: rows.length - 1,
            })
          : ''}
      </p>
      {body}
    </main>
  );
}

const byName = (a: ScoreRow, b: ScoreRow) => a.unitName.localeCompare(b.unitName, 'vi');

function Ranking({
  rows,
  info,
  published,
}: {
  rows: ScoreRow[];
  info: IndexInfo | undefined;
  published: SnapshotSummary | undefined;
}) {
  const { t, lang } = useI18n();
  const province = rows.find((r) => r.level === 'province');
  const units = rows.filter((r) => r.level === 'unit');
  const display = displayOf(info);
  const domain = domainOf(rows, display);
  const higherIsBetter = info?.higherIsBetter ?? true;
  const ranked = units.filter((r) => r.rank !== null);
  // Not ranked, in order of name (an order by value would be a ranking): first those
  // with a figure, then the hidden ones with answers; those with none are only named.
  const unranked = [
    ...units.filter((r) => r.rank === null && r.value !== null).sort(byName),
    ...units.filter((r) => r.value === null && r.n > 0).sort(byName),
  ];
  const none = units.filter((r) => r.value === null && r.n === 0).sort(byName);
  const perRank = new Map<number, number>();
  for (const r of ranked) perRank.set(r.rank as number, (perRank.get(r.rank as number) ?? 0) + 1);
  const first = rows[0] as ScoreRow;
  const snapshot = first.snapshotId;
  const reference = province?.value ?? null;
  const body = (r: ScoreRow) => (
    <div className="srow__body">
      <RouteLink to={{ page: 'unit', snapshot, unit: r.unit }} className="srow__name">
        <span lang="vi">{r.unitName}</span>
      </RouteLink>
      <Figure row={r} display={display} />
      <IntervalBar row={r} display={display} domain={domain} reference={reference} />
      {r.band && <BandChip band={r.band} higherIsBetter={higherIsBetter} />}
    </div>
  );

  return (
    <>
      <div className="card">
        <IndexHead code={first.index} info={info}>
          <p className="meta">
            {formatPeriod(first.period, lang, t)}
            {published?.publishedAt && (
              <> · {t('scores.rankings.published', { date: formatInstantDate(published.publishedAt, lang) })}</>
            )}
          </p>
        </IndexHead>
      </div>
      {province && (
        <section className="srow province" aria-labelledby="province-title" data-testid="province-row">
          <span className="srow__rank" />
          <div className="srow__body">
            <div>
              <h2 id="province-title">{t('scores.rankings.province')}</h2>
              <p className="province__name" lang="vi">
                {province.unitName}
              </p>
            </div>
            <Figure row={province} display={display} big />
            <IntervalBar row={province} display={display} domain={domain} reference={null} ends />
          </div>
        </section>
      )}
      <details className="legend">
        <summary>{t('scores.rankings.legendTitle')}</summary>
        <ul>
          <li>{t('scores.rankings.legendValue')}</li>
          <li>{t('scores.rankings.legendShared')}</li>
          <li>
            {t('scores.rankings.legendBar', {
              lo: formatValue(domain[0], { ...display, decimals: 0 }, lang),
              hi: formatValue(domain[1], { ...display, decimals: 0 }, lang),
            })}
          </li>
        </ul>
      </details>
      {ranked.length > 0 && (
        <section aria-labelledby="ranked-title">
          <h2 id="ranked-title">{t('scores.rankings.ranked')}</h2>
          <ul className="rows" data-testid="ranked-rows">
            {ranked.map((r) => (
              <li key={r.unit} className="srow" data-testid="rank-row" data-unit={r.unit}>
                <p className="srow__rank">
                  <span className="visually-hidden">{t('scores.value.rank')} </span>
                  <span className="srow__num">{r.rank}</span>
                  {(perRank.get(r.rank as number) ?? 0) > 1 && <span className="srow__shared">{t('scores.value.shared')}</span>}
                </p>
                {body(r)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {unranked.length + none.length > 0 && (
        <section aria-labelledby="unranked-title">
          <h2 id="unranked-title">{t('scores.rankings.unranked')}</h2>
          <p className="section-note">{t('scores.rankings.unrankedNote')}</p>
          <ul className="rows" data-testid="unranked-rows">
            {unranked.map((r) => (
              <li key={r.unit} className="srow" data-testid="rank-row" data-unit={r.unit}>
                <p className="srow__rank">
                  <span className="srow__num srow__num--none" aria-hidden="true">
                    –
                  </span>
                  <span className="visually-hidden">{t('scores.value.unranked')}</span>
                </p>
                {body(r)}
              </li>
            ))}
          </ul>
          {none.length > 0 && (
            <details className="none-list" data-testid="no-answers">
              <summary>{t('scores.rankings.noAnswers', { count: none.length })}</summary>
              <ul>
                {none.map((r) => (
                  <li key={r.unit} data-unit={r.unit}>
                    <RouteLink to={{ page: 'unit', snapshot, unit: r.unit }} lang="vi">
                      {r.unitName}
                    </RouteLink>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}
      <p className="downloads">
        {t('scores.rankings.download')}:{' '}
        <a href={paths.snapshot(snapshot)} data-testid="download-json">
          JSON
        </a>{' '}
        <a href={paths.snapshot(snapshot, 'csv')} data-testid="download-csv">
          CSV
        </a>
      </p>
    </>
  );
}
