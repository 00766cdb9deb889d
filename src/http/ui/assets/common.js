// Shared by the ward board and the audit review: the pasted token, API calls with it, and DOM helpers that never parse HTML.

const TOKEN_KEY = 'shiftnote.token';

/** The token lives in this tab's sessionStorage only; it is never logged, put in a URL or sent anywhere but the API. */
export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The token's claims, for display only (the server is the one that verifies them). */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1];
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

export class ApiError extends Error {
  constructor(status, code, message, requestId) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not the envelope (a proxy's page, say)
  }
  const e = body && body.error;
  return new ApiError(
    res.status,
    e?.code ?? `http_${res.status}`,
    e?.message ?? res.statusText,
    e?.requestId ?? res.headers.get('X-Request-Id'),
  );
}

/** GET with the bearer token; a non-2xx answer becomes an ApiError carrying the envelope's code, message and request id. */
export async function api(path, { accept = 'application/json', signal } = {}) {
  const token = getToken();
  if (!token) throw new ApiError(401, 'unauthorized', 'Sign in with a token first.', null);
  const res = await fetch(path, {
    headers: { Authorization: `Bearer ${token}`, Accept: accept },
    signal,
    cache: 'no-store',
    credentials: 'omit',
  });
  if (!res.ok) throw await errorOf(res);
  return res;
}

export async function getJson(path, options) {
  return (await api(path, options)).json();
}

/** A query string from the non-empty entries. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') q.set(key, String(value));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * Creates an element. attrs: `class`, `text`, `on<event>` handlers, `dataset`, booleans as properties,
 * anything else as an attribute. Children: nodes, strings (as text), arrays; null/false/undefined are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function byId(id) {
  return document.getElementById(id);
}

/** Shows an error (or a plain message) in the page's alert region; null hides it. */
export function showProblem(message, err) {
  const box = byId('problem');
  box.replaceChildren();
  if (!message) {
    box.hidden = true;
    return;
  }
  box.append(h('strong', { text: message }));
  if (err instanceof ApiError) {
    box.append(' ', err.message, err.requestId ? h('span', { class: 'muted', text: ` (request ${err.requestId})` }) : null);
  } else if (err) {
    box.append(' ', String(err.message ?? err));
  }
  box.hidden = false;
}

export function setStatus(text) {
  byId('status').textContent = text;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
export const formatTime = (iso) => (iso ? timeFormat.format(new Date(iso)) : '—');
export const formatClock = (date) => shortTime.format(date);

/** `<input type="datetime-local">` (local time, no offset) → ISO 8601 in UTC, or undefined when empty. */
export function isoFromLocal(value) {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Wires the header's sign-in form. onChange(token|null) runs at start (with the stored token) and after
 * every sign-in or sign-out.
 */
export function mountSignIn(onChange) {
  const form = byId('signin');
  const input = byId('token');
  const who = byId('who');
  const whoText = byId('who-text');

  const render = () => {
    const token = getToken();
    form.hidden = Boolean(token);
    who.hidden = !token;
    if (!token) {
      whoText.textContent = '';
      return;
    }
    const claims = claimsOf(token) ?? {};
    const roles = Array.isArray(claims.roles) ? claims.roles.join(', ') : 'no roles';
    const expiry = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
    const expired = expiry && expiry.getTime() < Date.now();
    whoText.replaceChildren(
      h('span', { class: 'sub', text: claims.sub ?? 'unknown subject' }),
      ' · ',
      h('span', { class: 'roles', text: roles }),
      expiry
        ? h('span', { class: expired ? 'expired' : 'muted', text: expired ? ' · token expired' : ` · until ${formatClock(expiry)}` })
        : null,
    );
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim().replace(/^Bearer\s+/i, '');
    input.value = '';
    if (!token) {
      input.focus();
      return;
    }
    setToken(token);
    render();
    onChange(token);
  });
  byId('signout').addEventListener('click', () => {
    clearToken();
    render();
    onChange(null);
    input.focus();
  });
  render();
  onChange(getToken());
}

/** The message for a failed call, in the reader's words. */
export function describe(err, forbiddenMessage) {
  if (!(err instanceof ApiError)) return 'The service could not be reached.';
  if (err.status === 401) return 'The token was not accepted (expired or for another server): sign out and paste a new one.';
  if (err.status === 403) return forbiddenMessage;
  if (err.status === 400) return 'The request was not valid:';
  if (err.status === 404) return 'Not found:';
  if (err.status === 429) return 'Too many requests; wait a moment and retry.';
  if (err.status === 503) return 'The service is temporarily unavailable; retry shortly.';
  return 'The request failed:';
}
