// The web survey a citizen reaches by scanning the QR code at a counter or by
// the one-time link in a text message (/s/CODE). Kept light for cheap phones on
// slow networks: React alone, no UI library, no i18next, no web fonts.
import '../../shared/public.css';
import './survey.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';

initI18n();

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
