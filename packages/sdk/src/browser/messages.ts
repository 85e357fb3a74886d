// The messages between the helper and n8n's origin (issue 11). Everything here is about *who* may
// speak: a message counts only when it comes from n8n's exact origin *and* from the helper's own
// frame window, and only in the shapes below; anything else is ignored without a word (another frame,
// another helper's frame, an extension, a page that framed the portal). The verifier writes the same
// shapes (packages/verifier/src/http/embed-handshake.ts and embed-bridge.ts).

/**
 * What could let n8n's session cookie into the portal's frame, in the order a deployment should prefer
 * them (sdk README, "Third-party cookies"): n8n on a subdomain of the portal's site, a `Partitioned`
 * session cookie, the Storage Access API (a click inside the frame), n8n in its own tab.
 */
export type CookieStrategy = 'same-site' | 'partitioned' | 'storage-access' | 'new-tab';

const STRATEGIES: readonly string[] = ['same-site', 'partitioned', 'storage-access', 'new-tab'];

/** The endpoint's handshake page: how one login attempt (one `channel`) went. */
export type LoginMessage =
  | {
      readonly type: 'login';
      readonly channel: string;
      readonly ok: true;
      readonly framed: boolean;
      /** `false`: the session cookie did not come back inside the frame; `help` says what could. */
      readonly cookies: boolean;
      readonly help: readonly CookieStrategy[];
    }
  | {
      readonly type: 'login';
      readonly channel: string;
      readonly ok: false;
      readonly reason: string;
      readonly message: string;
      readonly status: number;
    };

/** The bridge in n8n's editor pages: where the editor is, and whether it has a session there. */
export interface RouteMessage {
  readonly type: 'route';
  readonly path: string;
  readonly signedIn: boolean;
}

/** n8n's own `{"command":"n8nReady"}` (a JSON string), posted when a workflow canvas mounts. */
export interface ReadyMessage {
  readonly type: 'n8n-ready';
}

export type IncomingMessage = LoginMessage | RouteMessage | ReadyMessage;

/** The longest path or text taken from a message; longer is not ours. */
const MAX_TEXT = 2048;

const text = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_TEXT;

/** A path inside n8n: absolute, not protocol-relative, no backslash, no control character. */
export function isN8nPath(value: unknown): value is string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  return text(value) && /^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/.test(value);
}

function fromN8n(data: unknown): IncomingMessage | undefined {
  if (typeof data === 'string') {
    // n8n's own messages are JSON strings; only n8nReady means anything to the helper.
    if (data.length > MAX_TEXT || !data.includes('n8nReady')) return undefined;
    try {
      return (JSON.parse(data) as { command?: unknown })?.command === 'n8nReady'
        ? { type: 'n8n-ready' }
        : undefined;
    } catch {
      return undefined;
    }
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (m.n8nEmbed !== 1) return undefined;
  if (m.type === 'route')
    return isN8nPath(m.path) && typeof m.signedIn === 'boolean'
      ? { type: 'route', path: m.path, signedIn: m.signedIn }
      : undefined;
  if (m.type !== 'login' || !text(m.channel)) return undefined;
  if (m.ok === true)
    return {
      type: 'login',
      channel: m.channel,
      ok: true,
      framed: m.framed !== false,
      // An endpoint from before the cookie check says nothing: the cookie counts as usable.
      cookies: m.cookies !== false,
      help: Array.isArray(m.help)
        ? (m.help.filter((each, i) => i < 4 && STRATEGIES.includes(each)) as CookieStrategy[])
        : [],
    };
  if (m.ok === false && text(m.reason) && text(m.message) && typeof m.status === 'number')
    return {
      type: 'login',
      channel: m.channel,
      ok: false,
      reason: m.reason,
      message: m.message,
      status: m.status,
    };
  return undefined;
}

/**
 * The message `event` carries, if it is one: from `origin` exactly (n8n's origin) and from `source`
 * (the helper's frame window) exactly, in one of the shapes above.
 */
export function readMessage(
  event: Pick<MessageEvent, 'origin' | 'source' | 'data'>,
  origin: string,
  source: unknown,
): IncomingMessage | undefined {
  if (event.origin !== origin || source == null || event.source !== source) return undefined;
  return fromN8n(event.data);
}
