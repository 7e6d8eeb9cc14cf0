/**
 * fetch() for the pages: the bearer token is held by the caller in memory
 * (never localStorage), errors arrive as RFC 9457 problems with a translated
 * title (we send the page's language), and nothing personal goes in a URL
 * except what a route's path demands.
 */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
  get code() {
    return this.problem.code;
  }
  get status() {
    return this.problem.status;
  }
}

export interface RequestOptions {
  json?: unknown;
  body?: Blob;
  contentType?: string;
  headers?: Record<string, string>;
  /** How to read a 2xx answer. */
  as?: 'json' | 'blob' | 'response';
  /** Send cookies (only the console's session routes need them; everything else omits them). */
  credentials?: RequestCredentials;
  /** No bearer token, and a 401 is just an answer (sign-in and session renewal). */
  anonymous?: boolean;
}

export interface Api {
  token: string | null;
  request<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<T>;
}

/**
 * `onUnauthenticated` runs when a signed-in call answers 401; when it
 * resolves `true` (the console renewed its session or the clerk signed in
 * again), the call is sent once more with the new token.
 * @example const api = createApi(() => lang); api.token = login.accessToken; await api.request('GET', '/v1/staff')
 */
export function createApi(language: () => string, onUnauthenticated?: () => unknown): Api {
  const api: Api = {
    token: null,
    request: (method, path, opts) => send(method, path, opts ?? {}, false),
  };
  async function send<T>(method: string, path: string, opts: RequestOptions, retried: boolean): Promise<T> {
    const headers: Record<string, string> = { 'accept-language': language(), ...opts.headers };
    const sent = opts.anonymous ? null : api.token;
    if (sent) headers.authorization = `Bearer ${sent}`;
    let body: BodyInit | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.body) {
      headers['content-type'] = opts.contentType ?? opts.body.type;
      body = opts.body;
    }
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body, credentials: opts.credentials ?? 'omit', cache: 'no-store' });
    } catch {
      throw new ApiError({ status: 0, code: 'network', title: '' });
    }
    if (!res.ok) {
      // No problem document (a proxy's page): no title, so the page says its own words rather than the English status text.
      let problem: Problem = { status: res.status, code: 'http-' + res.status, title: '' };
      try {
        problem = { ...problem, ...((await res.json()) as Problem) };
      } catch {
        /* not a problem document */
      }
      if (res.status === 401 && sent) {
        const renewed = await onUnauthenticated?.();
        if (renewed === true && !retried && api.token) return send<T>(method, path, opts, true);
      }
      throw new ApiError(problem);
    }
    if (opts.as === 'response') return res as T;
    if (opts.as === 'blob') return (await res.blob()) as T;
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
  return api;
}
