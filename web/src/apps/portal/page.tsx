// What every portal page uses: its heading (which takes focus after a move
// from another page, so a screen reader announces where the reader is), the
// document title, and links that change the page without a reload.
import { type AnchorHTMLAttributes, type ReactNode, useEffect, useRef } from 'react';
import { followLink, hrefOf, type Route, takeFocusRequest } from './route';

export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, []);
  return (
    <h1 id="page-title" ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Sets the tab's title on every render: a change of language resets it to the lookup's title first. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  });
}

export function RouteLink({
  to,
  current,
  ...rest
}: { to: Route; current?: boolean } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href' | 'onClick'>) {
  return <a {...rest} href={hrefOf(to)} aria-current={current ? 'page' : undefined} onClick={(e) => followLink(e, to)} />;
}
