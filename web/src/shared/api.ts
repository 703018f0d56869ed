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

  if (!res.ok) throw problemError(res.status, data, res.statusText, res.headers.get('Retry-After'));
  return data as T;
}

function problemError(status: number, data: unknown, statusText: string, retryAfter: string | null): ApiError {
  const problem: Problem = data && typeof data === 'object' ? { ...(data as Problem) } : { title: statusText };
  if (problem.retryAfter === undefined) {
    const header = Number(retryAfter);
    if (Number.isFinite(header) && header > 0) problem.retryAfter = header;
  }
  return new ApiError(status, problem);
}

export interface UploadOptions {
  /** bytes of the request body sent so far */
  onProgress?: (loaded: number, total: number) => void;
  /** the whole body has been sent; the server is now working on it */
  onUploaded?: () => void;
  signal?: AbortSignal;
}

/**
 * POSTs a multipart form with XMLHttpRequest, which (unlike fetch) reports
 * upload progress. Same cookie, CSRF header and problem handling as request().
 */
export function upload<T>(path: string, form: FormData, options: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', acceptLanguage);
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.(e.loaded, e.total);
    };
    xhr.upload.onload = () => options.onUploaded?.();
    xhr.onload = () => {
      const isJson = (xhr.getResponseHeader('Content-Type') ?? '').includes('json');
      let data: unknown;
      if (isJson && xhr.responseText) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = undefined;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else reject(problemError(xhr.status, data, xhr.statusText, xhr.getResponseHeader('Retry-After')));
    };
    xhr.onerror = () => reject(new ApiError(0, { title: 'Network error' }));
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException('Upload aborted', 'AbortError'));
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>(path, { signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: 'POST', body }),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => request<T>(path, { method: 'DELETE' }),
};
