// The score pages, loaded as their own script the first time one is opened:
// the dossier lookup never downloads them.
import './scores.css';
import { addScoreStrings } from '../i18n';
import type { Route } from '../route';
import { MethodsPage } from './Methods';
import { OpenDataPage } from './OpenData';
import { RankingsPage } from './Rankings';
import { scoreStrings } from './strings';
import { UnitPage } from './Unit';

addScoreStrings(scoreStrings);

export default function ScorePages({ route }: { route: Exclude<Route, { page: 'lookup' }> }) {
  switch (route.page) {
    case 'rankings':
      return <RankingsPage sector={route.sector} period={route.period} />;
    case 'unit':
      return <UnitPage snapshot={route.snapshot} unit={route.unit} />;
    case 'methods':
      return <MethodsPage />;
    case 'open-data':
      return <OpenDataPage />;
  }
}
