// The session (cookie, anti-forgery token from /auth/me or the login) and the
// calls of the interviews API this app makes.
import type { QueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import { createQueryClient } from '../../shared/session';
import type { CallView, Mine, NextResult, OutcomeInput, OutcomeResult } from './model';

export { can, fetchMe, isLoggedOut, ME_KEY, useMe } from '../../shared/session';
export const MINE_KEY = ['interviews', 'mine'] as const;
export const PERMISSION = 'interviews.conduct';

// A session that expires mid-call brings back the login form; the call is kept in the tab and reopened after it.
export const queryClient: QueryClient = createQueryClient(15_000);

const path = (id: string, what = '') => `/api/v1/interviews/${encodeURIComponent(id)}${what}`;

export const interviews = {
  next: () => api.post<NextResult>('/api/v1/interviews/next', {}),
  mine: (signal?: AbortSignal) => api.get<Mine>('/api/v1/interviews/mine', signal),
  get: (id: string, signal?: AbortSignal) => api.get<CallView>(path(id), signal),
  revealPhone: (id: string) => api.post<{ phone: string | null }>(path(id, '/reveal-phone')),
  outcome: (id: string, input: OutcomeInput) => api.post<OutcomeResult>(path(id, '/outcome'), input),
  release: (id: string) => api.post<void>(path(id, '/release')),
};
