// Talking to the service: the admin's token, JSON calls and the snapshot stream.

const tokenKey = 'schedulerd.admin.token';
const emailKey = 'schedulerd.admin.email';

/** The login kept for this tab only (sessionStorage): closing the tab forgets it. */
export const session = {
  get token() { return sessionStorage.getItem(tokenKey); },
  get email() { return sessionStorage.getItem(emailKey) ?? ''; },
  keep(token, email) {
    sessionStorage.setItem(tokenKey, token);
    sessionStorage.setItem(emailKey, email);
  },
  forget() {
    sessionStorage.removeItem(tokenKey);
    sessionStorage.removeItem(emailKey);
  },
};

/** An answer other than 2xx, with the service's error envelope when there is one. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function errorOf(res) {
  let code = 'http_' + res.status;
  let message = res.statusText || 'The request failed.';
  try {
    const body = await res.json();
    code = body?.error?.code ?? code;
    message = body?.error?.message ?? message;
  } catch {
    // Not JSON: keep the status line.
  }
  if (res.status === 403) message = 'This account is not an admin.';
  return new ApiError(res.status, code, message);
}

function headers(withBody) {
  const out = { Accept: 'application/json' };
  if (session.token) out.Authorization = 'Bearer ' + session.token;
  if (withBody) out['Content-Type'] = 'application/json';
  return out;
}

/** Calls `method path` with an optional JSON body; answers the parsed body (null for 204). */
export async function call(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!res.ok) throw await errorOf(res);
  return res.status === 204 ? null : res.json();
}

/** Logs in; answers the user and keeps the token for this tab. */
export async function login(email, password) {
  const answer = await call('POST', '/api/auth/login', { email, password });
  session.keep(answer.token, answer.user.email);
  return answer.user;
}

/** Revokes the token (best effort) and forgets it. */
export async function logout() {
  try {
    if (session.token) await call('POST', '/api/auth/logout');
  } finally {
    session.forget();
  }
}

/**
 * Splits Server-Sent Events text into events: `{event, data}` for each complete block, and the
 * unfinished rest. Comment lines (`: keep-alive`) are skipped.
 */
export function parseEvents(text) {
  const events = [];
  const normalized = text.replace(/\r\n?/g, '\n');
  const blocks = normalized.split('\n\n');
  const rest = blocks.pop();
  for (const block of blocks) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/**
 * Reads GET /api/admin/stream with fetch (EventSource cannot send the Authorization header, and
 * the token must never travel in the URL, which logs keep) and calls `onSnapshot` with each
 * snapshot. Resolves when the server ends the stream; rejects with ApiError when it refuses it.
 */
export async function streamSnapshots(onSnapshot, signal) {
  const res = await fetch('/api/admin/stream', {
    headers: { ...headers(false), Accept: 'text/event-stream' },
    cache: 'no-store',
    signal,
  });
  if (!res.ok) throw await errorOf(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const parsed = parseEvents(buffer + value);
    buffer = parsed.rest;
    for (const ev of parsed.events) {
      if (ev.event === 'snapshot') onSnapshot(JSON.parse(ev.data));
    }
  }
}
