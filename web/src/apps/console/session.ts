import { MutationCache, QueryCache, QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../../shared/api';
import type { Me } from '../../shared/types';

export const ME_KEY = ['me'] as const;

const isLoggedOut = (err: unknown) =>
  err instanceof ApiError &&
  (err.code === 'auth.required' ||
    err.code === 'auth.session_expired' ||
    (err.status === 401 && err.code !== 'auth.invalid_credentials'));

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    // A session that expired while a page was open sends the user back to the login form.
    onError: (err, query) => {
      if (isLoggedOut(err) && query.queryKey[0] !== ME_KEY[0]) void queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  }),
  mutationCache: new MutationCache({
    // A stale CSRF token (session renewed elsewhere) is refreshed through /me too.
    onError: (err) => {
      if (isLoggedOut(err) || (err instanceof ApiError && err.code === 'auth.csrf')) {
        void queryClient.invalidateQueries({ queryKey: ME_KEY });
      }
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
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

/** The signed-in user; only call below the point where App has checked the session. */
export function useSession(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useSession outside a signed-in tree');
  return data;
}

export function can(me: Me, permission: string): boolean {
  return me.permissions.includes(permission);
}

/** Held on the whole tenant: what changes every unit (instruments) needs this. */
export function canEverywhere(me: Me, permission: string): boolean {
  return me.tenantWidePermissions.includes(permission);
}
