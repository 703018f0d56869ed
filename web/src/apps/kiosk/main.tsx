// The rating tablet (/kiosk/): an installable, full-screen PWA that works
// offline. Light like the public pages: React alone, no UI library.
import '../../shared/public.css';
import './kiosk.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initI18n } from './i18n';

initI18n();

// The service worker keeps the page and its assets for days without a network:
// once it runs, it is told which hashed assets this page loaded.
if ('serviceWorker' in navigator) {
  void navigator.serviceWorker
    .register('/kiosk/sw.js', { scope: '/kiosk/' })
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => {
      const assets = performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .filter((u) => new URL(u).pathname.startsWith('/assets/'));
      reg.active?.postMessage({ keep: assets });
    })
    .catch(() => {});
}

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
