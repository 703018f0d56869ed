// "Tra cứu hồ sơ": the public page where citizens follow their dossier, and the
// published scores. Kept light for cheap phones on slow networks: React, no UI
// library, no i18next.
import '../../shared/public.css';
import './portal.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import en from '../../shared/locales/en.json?portal';
import vi from '../../shared/locales/vi.json?portal';
import { App } from './App';
import { initI18n, type PortalStrings } from './i18n';
import { navEn, navVi } from './nav-strings';

initI18n(
  { vi: { ...(vi as PortalStrings), nav: navVi }, en: { ...(en as PortalStrings), nav: navEn } },
  { titleKey: 'portal.title' },
);

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
