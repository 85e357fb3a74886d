import { type CookieStrategy, type IncomingMessage, isN8nPath, readMessage } from './messages.js';

export type { CookieStrategy } from './messages.js';

/** Why the helper asks for a token: every login asks, and no token is ever used twice. */
export type TokenReason = 'load' | 'reload' | 'reauth';

export type EmbedErrorCode = 'token-fetch-failed' | 'login-refused' | 'frame-blocked' | 'timeout';

export type EmbedState =
  | 'loading'
  | 'ready'
  | 'auth-required'
  | 'cookies-blocked'
  | 'error'
  | 'signed-out'
  | 'destroyed';

/** What tells the helper that n8n is ready (see the sdk README, "Signals"). */
export type EmbedSignals = 'bridge' | 'handshake' | 'load';

export interface EmbedEvents {
  loading: { readonly reason: TokenReason };
  ready: { readonly path: string };
  navigate: { readonly path: string };
  'auth-required': { readonly attempts: number };
  /**
   * The login worked but the browser kept n8n's session cookie out of the frame (third-party cookies
   * blocked): nothing more is tried. `strategies`: what could help, best first (sdk README).
   */
  'cookies-blocked': { readonly strategies: readonly CookieStrategy[] };
  error: {
    readonly code: EmbedErrorCode;
    readonly message: string;
    /** For `login-refused`: the endpoint's reason (`token_expired`, `user_rejected`, …) and status. */
    readonly reason?: string;
    readonly status?: number;
  };
}

export interface MountN8nOptions {
  /** The element the frame goes into, or a selector for it. */
  readonly container: Element | string;
  /** n8n's URL with its base path; the login form posts to `<n8nUrl>rest/auth/embed`. */
  readonly n8nUrl: string | URL;
  /** A fresh token from the portal's backend, for every login. Never cache it. */
  getToken(context: { readonly reason: TokenReason; readonly signal: AbortSignal }): Promise<string>;
  /** The path inside n8n to open. Default `/`. */
  readonly path?: string;
  /**
   * From the start of a login to `ready`. Default 30 000: the real n8n's first editor load on a busy
   * machine took up to 12 s in `npm run bench -- embed`, and its first request after a start more.
   */
  readonly timeoutMs?: number;
  /** Logins the helper starts by itself (first load, session renewals) within `authWindowMs`. Default 3. */
  readonly maxAuthAttempts?: number;
  /** Default 60 000. */
  readonly authWindowMs?: number;
  /**
   * `bridge` (default): the endpoint's handshake and the bridge in n8n's pages (n8n-embed's adapter,
   * `n8n-embed dev`): ready, navigation and session end are all seen. `handshake`: the handshake, and
   * the frame's load for ready (no bridge). `load`: n8n's own licensed endpoint, load and timeout only.
   */
  readonly signals?: EmbedSignals;
  /**
   * The portal's login route (`createPortalLoginRoute`), which `openInNewTab()` opens with
   * `?redirectTo=<path>`: n8n signed in as a first-party site. Without it, n8n's own page opens.
   */
  readonly newTabUrl?: string;
  /** The button shown with `cookies-blocked` (it calls `openInNewTab()`): its text, or `false` for none. */
  readonly callToAction?: string | false;
  /** The frame's accessible title. Default `n8n`. */
  readonly title?: string;
}

export interface N8nEmbed {
  readonly state: EmbedState;
  /** The path n8n last reported (or was asked to open). */
  readonly path: string;
  on<E extends keyof EmbedEvents>(event: E, listener: (detail: EmbedEvents[E]) => void): () => void;
  /** A fresh login at the current path. */
  reload(): Promise<void>;
  /** Opens `path` inside n8n. */
  navigate(path: string): void;
  /** A fresh login now, also after `auth-required` (the attempt count starts again). */
  reauthenticate(): Promise<void>;
  /** Opens n8n at the current path in a new tab (through `newTabUrl`); call it from a user's click. */
  openInNewTab(): void;
  /** Ends n8n's session in the frame (`POST /rest/logout`) and empties the frame. */
  signOut(): Promise<void>;
  /** Removes the frame and every listener. */
  destroy(): void;
}

const FRAME_BLOCKED =
  'n8n refuses to be shown in a frame on this portal: set N8N_CONTENT_SECURITY_POLICY=\'{"frame-ancestors":["<portal origin>"]}\' on n8n';

function randomId(): string {
  let id = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) id += byte.toString(36).padStart(2, '0');
  return id;
}

function postForm(action: string, target: string, fields: Record<string, string>): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = action;
  form.target = target;
  form.hidden = true;
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  form.remove();
}

/**
 * Puts n8n into `container`, signed in as the portal's user: a named frame, and for every login a
 * temporary POST form targeting it with a fresh token (never in a URL, a history entry or a
 * `Referer`). Messages count only from n8n's exact origin and the frame's own window.
 */
export function mountN8n(options: MountN8nOptions): N8nEmbed {
  const base = new URL(options.n8nUrl);
  if (!/^https?:$/.test(base.protocol)) throw new TypeError('n8nUrl: must be an http(s) URL');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const origin = base.origin;
  const container =
    typeof options.container === 'string' ? document.querySelector(options.container) : options.container;
  if (!container) throw new TypeError(`container: ${String(options.container)} is not in the page`);
  const signals = options.signals ?? 'bridge';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = options.maxAuthAttempts ?? 3;
  const windowMs = options.authWindowMs ?? 60_000;

  const listeners = new Map<string, Set<(detail: never) => void>>();
  const frame = document.createElement('iframe');
  frame.name = `n8n-embed-${randomId()}`;
  frame.title = options.title ?? 'n8n';
  frame.style.cssText = 'width:100%;height:100%;border:0';
  let state: EmbedState = 'loading';
  let path = '/';
  let channel = '';
  let loads = 0;
  let loggedIn = false;
  let attempts: number[] = [];
  let abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let button: HTMLButtonElement | undefined;

  function emit<E extends keyof EmbedEvents>(event: E, detail: EmbedEvents[E]): void {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        (listener as (value: EmbedEvents[E]) => void)(detail);
      } catch (error) {
        // One listener's bug must not stop the helper or the other listeners.
        setTimeout(() => {
          throw error;
        });
      }
    }
  }

  function settle(next: EmbedState): void {
    clearTimeout(timer);
    abort.abort();
    button?.remove();
    state = next;
  }

  function fail(code: EmbedErrorCode, message: string, extra: Partial<EmbedEvents['error']> = {}): void {
    settle('error');
    emit('error', { code, message, ...extra });
  }

  function ready(at: string): void {
    if (state !== 'loading' || !channel) return;
    settle('ready');
    emit('ready', { path: at });
  }

  async function login(reason: TokenReason, automatic: boolean): Promise<void> {
    if (state === 'destroyed') return;
    const now = Date.now();
    attempts = automatic ? [...attempts.filter((at) => now - at < windowMs), now] : [now];
    settle('loading');
    const controller = new AbortController();
    abort = controller;
    channel = '';
    loads = 0;
    loggedIn = false;
    timer = setTimeout(
      () =>
        fail(
          'timeout',
          signals === 'load'
            ? `n8n did not load within ${timeoutMs} ms`
            : `no answer from n8n's embed login within ${timeoutMs} ms: is n8n-embed's endpoint (with the portal origin configured) serving it? Against n8n's own endpoint use signals: 'load'`,
        ),
      timeoutMs,
    );
    emit('loading', { reason });
    let token: unknown;
    try {
      token = await options.getToken({ reason, signal: controller.signal });
    } catch (error) {
      if (!controller.signal.aborted)
        fail('token-fetch-failed', `getToken failed: ${error instanceof Error ? error.message : error}`);
      return;
    }
    if (controller.signal.aborted) return;
    if (typeof token !== 'string' || token === '') {
      fail('token-fetch-failed', 'getToken did not return a token');
      return;
    }
    channel = randomId();
    loads = 0; // counted from the submit: a load of the page before it is not this login's
    const action = new URL('rest/auth/embed', base);
    if (signals !== 'load') action.searchParams.set('embed', channel);
    postForm(action.href, frame.name, { token, redirectTo: path });
  }

  function sessionLost(): void {
    const now = Date.now();
    const recent = attempts.filter((at) => now - at < windowMs).length;
    if (recent >= maxAttempts) {
      settle('auth-required');
      emit('auth-required', { attempts: recent });
    } else void login('reauth', true);
  }

  function onMessage(event: MessageEvent): void {
    const message: IncomingMessage | undefined = readMessage(event, origin, frame.contentWindow);
    if (!message || state === 'destroyed' || state === 'signed-out') return;
    if (message.type === 'login') {
      // `cookies-blocked` too: the user may let the cookie in from the frame (Storage Access API).
      if (message.channel !== channel || (state !== 'loading' && state !== 'cookies-blocked')) return;
      if (!message.ok)
        fail('login-refused', `n8n refused the login: ${message.message}`, {
          reason: message.reason,
          status: message.status,
        });
      else if (!message.framed) fail('frame-blocked', FRAME_BLOCKED);
      else if (!message.cookies) cookiesBlocked(message.help);
      else {
        button?.remove();
        state = 'loading';
        loggedIn = true;
      }
    } else if (message.type === 'n8n-ready') ready(path);
    else if (!message.signedIn) {
      if (state === 'ready' || (state === 'loading' && loggedIn)) sessionLost();
    } else if (state === 'ready' || (state === 'loading' && (loggedIn || signals === 'load'))) {
      path = message.path;
      ready(path);
      emit('navigate', { path });
    }
  }

  // No retry: another login would be kept out the same way (the loop of issue 14).
  function cookiesBlocked(strategies: readonly CookieStrategy[]): void {
    settle('cookies-blocked');
    // The button first, so that listeners find it (a listener that reloads or destroys removes it).
    if (options.callToAction !== false) {
      button = document.createElement('button');
      button.type = 'button';
      button.textContent = options.callToAction ?? 'Open n8n in a new tab';
      button.onclick = openInNewTab;
      container?.prepend(button);
    }
    emit('cookies-blocked', { strategies });
  }

  function openInNewTab(): void {
    const url = new URL(
      options.newTabUrl ?? `${base.pathname}${path.slice(1)}`,
      options.newTabUrl ? location.href : origin,
    );
    if (options.newTabUrl) url.searchParams.set('redirectTo', path);
    open(url, '_blank', 'noopener');
  }

  function onLoad(): void {
    loads += 1;
    if (signals === 'load' && loads === 1) ready(path);
    // The handshake page is one load, n8n's page the next.
    if (signals === 'handshake' && loggedIn && loads >= 2) ready(path);
  }

  addEventListener('message', onMessage);
  frame.addEventListener('load', onLoad);
  container.append(frame);
  if (options.path !== undefined) setPath(options.path);
  // After mountN8n returns, so that listeners added right away see the first `loading`.
  queueMicrotask(() => void login('load', true));

  function setPath(next: string): void {
    if (!isN8nPath(next)) throw new TypeError('path: must be a path inside n8n, like /workflow/7');
    path = next;
  }

  return {
    get state() {
      return state;
    },
    get path() {
      return path;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (detail: never) => void);
      return () => void set.delete(listener as (detail: never) => void);
    },
    reload: () => login('reload', false),
    reauthenticate: () => login('reauth', false),
    openInNewTab,
    navigate(next) {
      setPath(next);
      // Joined as a path under n8n's base (never parsed as a URL of its own: `/javascript:…`).
      if (state === 'ready')
        frame.contentWindow?.location.replace(`${origin}${base.pathname}${next.slice(1)}`);
    },
    async signOut() {
      if (state === 'destroyed') return;
      settle('signed-out');
      channel = '';
      // A form, like the login: it carries n8n's session cookie, and n8n ends that session.
      await new Promise<void>((done) => {
        const finished = () => {
          clearTimeout(giveUp);
          frame.removeEventListener('load', finished);
          done();
        };
        const giveUp = setTimeout(finished, timeoutMs);
        frame.addEventListener('load', finished);
        postForm(new URL('rest/logout', base).href, frame.name, {});
      });
      if (state === 'signed-out') frame.contentWindow?.location.replace('about:blank');
    },
    destroy() {
      settle('destroyed');
      removeEventListener('message', onMessage);
      frame.removeEventListener('load', onLoad);
      frame.remove();
      listeners.clear();
    },
  };
}
