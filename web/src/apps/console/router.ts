// A few fixed paths do not need a routing library: history.pushState plus an event.
import { type MouseEvent, useSyncExternalStore } from 'react';

export type RoutePath =
  | '/'
  | '/scores'
  | '/scores/unit'
  | '/publication'
  | '/units'
  | '/imports'
  | '/events'
  | '/quality'
  | '/rounds'
  | '/do-not-contact'
  | '/sms'
  | '/instruments'
  | '/devices'
  | '/users'
  | '/tokens'
  | '/audit'
  | '/login';

const EVENT = 'mscore:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** Current path and query string, re-rendering on navigation. */
export function useLocation(): { path: string; search: URLSearchParams } {
  const loc = useSyncExternalStore(subscribe, snapshot);
  const q = loc.indexOf('?');
  const path = q < 0 ? loc : loc.slice(0, q);
  return { path: path.replace(/\/+$/, '') || '/', search: new URLSearchParams(q < 0 ? '' : loc.slice(q)) };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
  if (!options.replace) window.scrollTo(0, 0);
}

/** Click handler for anchors: lets modified clicks open a new tab as usual. */
export function linkHandler(to: string, after?: () => void) {
  return (e: MouseEvent<HTMLElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
    after?.();
  };
}
