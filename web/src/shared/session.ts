// The staff apps' session: the cookie, the anti-forgery token from /auth/me or
// the login, and a query client that sends a signed-out user back to the form.
import { MutationCache, QueryCache, QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './api';
import type { Me } from './types';

export const ME_KEY = ['me'] as const;

export const isLoggedOut = (err: unknown) =>
  err instanceof ApiError &&
  (err.code === 'auth.required' ||
    err.code === 'auth.session_expired' ||
    (err.status === 401 && err.code !== 'auth.invalid_credentials'));

export function createQueryClient(staleTime: number): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      // A session that expired while a page was open brings back the login form.
      onError: (err, query) => {
        if (isLoggedOut(err) && query.queryKey[0] !== ME_KEY[0]) void client.invalidateQueries({ queryKey: ME_KEY });
      },
    }),
    mutationCache: new MutationCache({
      // A stale CSRF token (session renewed elsewhere) is refreshed through /me too.
      onError: (err) => {
        if (isLoggedOut(err) || (err instanceof ApiError && err.code === 'auth.csrf')) {
          void client.invalidateQueries({ queryKey: ME_KEY });
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime,
        refetchOnWindowFocus: false,
        retry: (count, err) => !(err instanceof ApiError && err.status > 0 && err.status < 500) && count < 2,
      },
    },
  });
  return client;
}

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

export function can(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}
