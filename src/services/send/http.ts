// One way to call a provider's API for a reply: JSON over HTTPS with a timeout, and a failure
// told apart as permanent (the provider refused it: a bad token, an unknown ticket; someone must
// fix it) or worth a retry (a timeout, a 5xx, a 429).

export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Calls once; a 2xx answer is returned, anything else thrown as a SendError naming the provider. */
export async function callProvider(provider: string, call: HttpCall): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  let body: string | undefined;
  if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  } else if (call.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(call.form).toString();
  }
  let res: Response;
  try {
    res = await fetch(call.url, { method: call.method, headers, body, signal: AbortSignal.timeout(call.timeoutMs ?? 20_000) });
  } catch (err) {
    throw new SendError(`${provider} could not be reached (${(err as Error).message})`, false);
  }
  const text = await res.text().catch(() => '');
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: kept as text for the error message.
  }
  if (res.ok) return { status: res.status, headers: res.headers, body: parsed };
  const retry = res.status >= 500 || res.status === 429 || res.status === 408 || res.status === 409;
  const detail = (typeof parsed === 'string' ? parsed : JSON.stringify(parsed)).slice(0, 200);
  const hint = res.status === 401 || res.status === 403 ? ': check its credentials in the settings' : '';
  throw new SendError(`${provider} answered ${res.status}${hint}${detail ? ` (${detail})` : ''}`, !retry);
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
