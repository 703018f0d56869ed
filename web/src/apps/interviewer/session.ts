// The session (cookie, anti-forgery token from /auth/me or the login) and the
// calls of the interviews API this app makes.
import { MutationCache, QueryCache, QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../shared/api';
import type { Me } from '../../shared/types';
import type { CallView, Mine, NextResult, OutcomeInput, OutcomeResult } from './model';

export const ME_KEY = ['me'] as const;
export const MINE_KEY = ['interviews', 'mine'] as const;
export const PERMISSION = 'interviews.conduct';

export const isLoggedOut = (err: unknown) =>
  err instanceof ApiError &&
  (err.code === 'auth.required' ||
    err.code === 'auth.session_expired' ||
    (err.status === 401 && err.code !== 'auth.invalid_credentials'));

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    // A session that expired while the page was open brings back the login form
    // (the call being made is kept in the tab and reopened after it).
    onError: (err, query) => {
      if (isLoggedOut(err) && query.queryKey[0] !== ME_KEY[0]) void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  }),
  mutationCache: new MutationCache({
    onError: (err) => {
      if (isLoggedOut(err) || (err instanceof ApiError && err.code === 'auth.csrf')) {
        void queryClient.invalidateQueries({ queryKey: ME_KEY });
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => !(err instanceof ApiError && err.status > 0 && err.status < 500) && count < 2,
    },
  },
});

/** The signed-in user, or null when there is no session. */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/v1/auth/me', signal);
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (isLoggedOut(err)) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: ({ signal }) => fetchMe(signal), staleTime: 5 * 60_000 });
}

export const can = (me: Me, permission: string) => me.permissions.includes(permission);

const path = (id: string, what = '') => `/api/v1/interviews/${encodeURIComponent(id)}${what}`;

export const interviews = {
  next: () => api.post<NextResult>('/api/v1/interviews/next', {}),
  mine: (signal?: AbortSignal) => api.get<Mine>('/api/v1/interviews/mine', signal),
  get: (id: string, signal?: AbortSignal) => api.get<CallView>(path(id), signal),
  revealPhone: (id: string) => api.post<{ phone: string | null }>(path(id, '/reveal-phone')),
  outcome: (id: string, input: OutcomeInput) => api.post<OutcomeResult>(path(id, '/outcome'), input),
  release: (id: string) => api.post<void>(path(id, '/release')),
};
