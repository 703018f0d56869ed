// Thin fetch wrapper: same-origin session cookie, CSRF header on writes,
// RFC 9457 problem details turned into ApiError.

export interface ProblemFieldError {
  path?: string;
  row?: number;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  detail?: string;
  requestId?: string;
  errors?: ProblemFieldError[];
  retryAfter?: number;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly errors: ProblemFieldError[];
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.code = problem.code ?? (status === 0 ? 'network.unreachable' : `http.${status}`);
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

let csrfToken: string | null = null;
let acceptLanguage = 'vi';

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Problem titles come back in this language, matching the UI. */
export function setApiLanguage(lang: string): void {
  acceptLanguage = lang;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Serialized as JSON unless `contentType` is given, in which case it is sent as is. */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': acceptLanguage,
  };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (options.contentType) {
      headers['Content-Type'] = options.contentType;
      body = options.body as BodyInit;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
  }
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { title: 'Network error' });
  }

  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  const isJson = type.includes('json');
  const data: unknown = isJson ? await res.json().catch(() => undefined) : undefined;

  if (!res.ok) {
    const problem: Problem = data && typeof data === 'object' ? { ...(data as Problem) } : { title: res.statusText };
    if (problem.retryAfter === undefined) {
      const header = Number(res.headers.get('Retry-After'));
      if (Number.isFinite(header) && header > 0) problem.retryAfter = header;
    }
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
};
