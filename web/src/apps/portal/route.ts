// Which portal page is open, kept in the query string of /tra-cuu/ so every page
// has an address to share and the server serves them all with the one HTML file.
import { type MouseEvent, useSyncExternalStore } from 'react';
import type { Sector } from '../../shared/types';

export type Route =
  | { page: 'lookup' }
  | { page: 'rankings'; sector: Sector; period: string | null }
  | { page: 'unit'; snapshot: string; unit: string }
  | { page: 'methods' }
  | { page: 'open-data' };

export type PageName = Route['page'];

export function parseRoute(search: string): Route {
  const q = new URLSearchParams(search);
  switch (q.get('page')) {
    case 'rankings': {
      const sector = q.get('sector') === 'health' ? 'health' : 'administration';
      return { page: 'rankings', sector, period: q.get('period') || null };
    }
    case 'unit': {
      const snapshot = q.get('snapshot');
      const unit = q.get('unit');
      return snapshot && unit ? { page: 'unit', snapshot, unit } : { page: 'rankings', sector: 'administration', period: null };
    }
    case 'methods':
      return { page: 'methods' };
    case 'open-data':
      return { page: 'open-data' };
    default:
      return { page: 'lookup' };
  }
}

/** ?tenant=… picks another province; it follows the reader from page to page. */
export function tenantParam(): string | null {
  return new URLSearchParams(window.location.search).get('tenant');
}

export function hrefOf(route: Route): string {
  const q = new URLSearchParams();
  if (route.page !== 'lookup') q.set('page', route.page);
  if (route.page === 'rankings') {
    q.set('sector', route.sector);
    if (route.period) q.set('period', route.period);
  }
  if (route.page === 'unit') {
    q.set('snapshot', route.snapshot);
    q.set('unit', route.unit);
  }
  const tenant = tenantParam();
  if (tenant) q.set('tenant', tenant);
  const s = q.toString();
  return `${window.location.pathname}${s ? `?${s}` : ''}`;
}

const listeners = new Set<() => void>();
let current = window.location.search;
/** Set by a navigation inside the portal: the new page's heading takes focus once it is shown. */
let focusPending = false;

/** Takes the new address; a different page gets the focus on its heading once it is shown. */
function moved(focus: boolean): void {
  const before = parseRoute(current).page;
  current = window.location.search;
  // Only a page that mounts anew asks for the focus; a request left pending would steal it later.
  if (focus && parseRoute(current).page !== before) focusPending = true;
  for (const l of listeners) l();
}

window.addEventListener('popstate', () => moved(true));

export function navigate(route: Route, options: { replace?: boolean; keepFocus?: boolean } = {}): void {
  const href = hrefOf(route);
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  if (!options.keepFocus) window.scrollTo(0, 0);
  moved(!options.keepFocus);
}

/** True once after a navigation: the page heading that asks first moves focus to itself. */
export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let cached: { search: string; route: Route } | null = null;
function snapshot(): Route {
  if (cached?.search !== current) cached = { search: current, route: parseRoute(current) };
  return cached.route;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}

/** A plain click on a portal link changes the page without reloading; other clicks (new tab) go on as usual. */
export function followLink(e: MouseEvent<HTMLAnchorElement>, route: Route): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(route);
}
