import { type LiteRequest, type LiteResponse, liteAnswer } from '@n8n-embed/node-http';
import { type EmbedLoginError, encodeBase64url } from '@n8n-embed/protocol';

// The embed handshake (issue 11): when the browser helper (@n8n-embed/sdk/browser) posts the login
// form into its frame it adds `?embed=<channel>` to the form's action. The channel is a random id
// the helper makes for that one attempt (not a secret: it only keeps two helpers and two attempts
// apart). Instead of a bare 302 or n8n's JSON, the endpoint then answers a tiny page on n8n's origin
// that tells the configured portal origins, and only them, how the login went, and then goes on to
// the path. The wire format is the helper's (packages/sdk/src/browser/messages.ts):
//   { n8nEmbed: 1, type: 'login', channel, ok: true, path, framed, cookies, help }
//   { n8nEmbed: 1, type: 'login', channel, ok: false, reason, message, status }
// `framed` is the page's own check of n8n's headers for `path` (X-Frame-Options, frame-ancestors)
// against each portal origin, so a frame n8n will refuse to render is reported with its fix instead
// of staying blank; `cookies` is whether the session cookie came back inside the frame, and `help` the
// strategies that could make it (below).

/** A channel: what the helper generates (16 random bytes, base64url); anything else is no handshake. */
const CHANNEL_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export interface EmbedHandshake {
  readonly channel: string;
  readonly portalOrigins: readonly string[];
}

/**
 * The handshake a request asks for: a POST with a well-formed `embed` query parameter whose `Origin`
 * is one of the configured portal origins. The page then tells that portal, exactly (the one whose
 * frame it is in; another configured portal's frame-ancestors may differ), and nobody else: without
 * configured origins, or from another origin, there is nobody to tell, and `'*'` is never used.
 */
export function embedHandshakeOf(
  request: LiteRequest,
  query: URLSearchParams,
  portalOrigins: ReadonlySet<string> | 'any' | undefined,
): EmbedHandshake | undefined {
  if (request.method !== 'POST' || typeof portalOrigins !== 'object') return undefined;
  const origin = request.header('origin');
  if (origin === null || !portalOrigins.has(origin)) return undefined;
  const values = query.getAll('embed');
  const channel = values.length === 1 ? values[0] : undefined;
  if (channel === undefined || !CHANNEL_PATTERN.test(channel)) return undefined;
  return { channel, portalOrigins: [origin] };
}

function nonce(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

/** JSON that is safe inside a `<script>` element (no `</script>`, no `<!--`, no line separators). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

// The page's script. `D` is the data; it posts to every portal origin exactly, never '*'.
// framable(): CSP frame-ancestors wins over X-Frame-Options (CSP level 2); 'self' and
// X-Frame-Options sameorigin allow only n8n's own origin.
// The cookie check (issue 14): the session cookie was just set by this response; whether the browser
// kept it for this frame shows in n8n's own session check (`GET <rest>/login`, 200 with a session)
// asked from inside the frame. Without it, going on to n8n would only land on n8n's sign-in page and
// the helper would sign in again and again: the page stays, reports `cookies: false` with what could
// help (`help`, in the order a deployment should prefer them), and where the browser has the Storage
// Access API offers a button (a user click is required) that asks for the cookies the user has as a
// first-party visitor of n8n (after the helper's new-tab fallback, say). A grant already given is used
// without a click. `site()` compares the last two host labels: no public-suffix list here, so two
// portals under one public suffix (github.io) are taken as same-site and `same-site` is not offered.
const SCRIPT = `(async()=>{const D=JSON.parse(document.getElementById('d').textContent);
const send=(o,m)=>{try{parent.postMessage(Object.assign({n8nEmbed:1,type:'login',channel:D.channel},m),o)}catch{}};
if(!D.ok){for(const o of D.origins)send(o,{ok:false,reason:D.reason,message:D.message,status:D.status});return}
let h=null;try{h=(await fetch(D.target,{credentials:'same-origin',cache:'no-store',headers:{accept:'text/html'}})).headers}catch{}
const fa=h&&(h.get('content-security-policy')||'').split(/[,;]/).map(s=>s.trim().split(/\\s+/)).find(p=>p[0].toLowerCase()==='frame-ancestors');
const xfo=h&&(h.get('x-frame-options')||'').trim().toLowerCase();
const framable=o=>{if(!h)return true;const self=o===location.origin;
if(fa)return fa.slice(1).some(s=>{s=s.toLowerCase().replace(/\\/$/,'');if(s==='*'||s===o||(s==="'self'"&&self))return true;
if(/^[a-z][a-z0-9+.-]*:$/.test(s))return o.startsWith(s);const w=s.match(/^([a-z]+:\\/\\/)\\*\\.(.+)$/);return !!w&&o.startsWith(w[1])&&o.endsWith('.'+w[2])});
return !xfo||(xfo==='sameorigin'&&self)};
const M=document.getElementById('m'),saa='requestStorageAccess' in document;
const signed=()=>fetch(D.session,{credentials:'same-origin',cache:'no-store'}).then(r=>r.ok,()=>false);
let all=true,cookies=await signed();
if(!cookies&&saa&&document.hasStorageAccess&&!(await document.hasStorageAccess().catch(()=>false))){try{await document.requestStorageAccess();cookies=await signed()}catch{}}
const site=n=>/^[d.]+$|:/.test(n)?n:n.split('.').slice(-2).join('.');
for(const o of D.origins){const f=framable(o);all=all&&f;const help=[];
if(!cookies){if(site(new URL(o).hostname)!==site(location.hostname))help.push('same-site');if(!D.partitioned)help.push('partitioned');if(saa)help.push('storage-access');help.push('new-tab')}
send(o,{ok:true,path:D.path,framed:f,cookies,help})}
if(!all){M.textContent=D.blocked;return}
if(cookies)return location.replace(D.target);
M.textContent=D.cookies;if(!saa)return;
const b=document.createElement('button');b.textContent=D.allow;M.after(b);
b.onclick=async()=>{try{await document.requestStorageAccess()}catch{}
if(await signed()){for(const o of D.origins)send(o,{ok:true,path:D.path,framed:true,cookies:true,help:[]});location.replace(D.target)}else M.textContent=D.first}})();`;

interface PageData {
  readonly channel: string;
  readonly origins: readonly string[];
  readonly ok: boolean;
  readonly [key: string]: unknown;
}

/** The page, answered with `headers` (the session's, cookies included) made the page's: no redirect. */
function page(title: string, text: string, data: PageData, status: number, headers: Headers): LiteResponse {
  const scriptNonce = nonce();
  headers.delete('location');
  for (const [name, value] of Object.entries({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      `default-src 'none'; script-src 'nonce-${scriptNonce}'; connect-src 'self'; style-src 'unsafe-inline'; ` +
      `base-uri 'none'; form-action 'none'; frame-ancestors ${data.origins.join(' ')}`,
  }))
    headers.set(name, value);
  const body = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;margin:1.5rem"><p id="m">${escapeHtml(text)}</p>
<script type="application/json" id="d">${scriptJson(data)}</script>
<script nonce="${scriptNonce}">${SCRIPT}</script></body></html>
`;
  return liteAnswer(status, headers, body);
}

/** What to set so n8n lets the portal frame it; the same words as the READMEs. */
export const FRAME_BLOCKED_FIX =
  'n8n refuses to be shown in a frame on this portal: set N8N_CONTENT_SECURITY_POLICY=\'{"frame-ancestors":["<portal origin>"]}\' on n8n';

/** The handshake page's words when the browser keeps n8n's cookie out of the portal's frame. */
export const COOKIES_BLOCKED_TEXT =
  "This browser keeps n8n's sign-in cookie out of the portal's frame (third-party cookies blocked). Open n8n in a new tab from the portal, or allow n8n to use its cookies here.";

/** The successful login's page: the session cookie is already in `headers`; `target` is the safe URL. */
export function handshakeSuccess(
  handshake: EmbedHandshake,
  target: URL,
  basePath: string,
  headers: Headers,
): LiteResponse {
  const path = `/${target.pathname.slice(basePath.length)}${target.search}${target.hash}`;
  return page(
    'Signing in to n8n…',
    'Signed in. Opening n8n…',
    {
      channel: handshake.channel,
      origins: handshake.portalOrigins,
      ok: true,
      target: target.href,
      path,
      blocked: FRAME_BLOCKED_FIX,
      // n8n's session check, next to the login path (`<base><rest>/auth/embed` → `<base><rest>/login`).
      session: '../login',
      partitioned: /;\s*partitioned\s*(;|$)/im.test(headers.get('set-cookie') ?? ''),
      cookies: COOKIES_BLOCKED_TEXT,
      allow: 'Allow n8n to use its cookies here',
      first: 'Still signed out: open n8n in a new tab from the portal first, then allow again.',
    },
    200,
    headers,
  );
}

/** The refused login's page: n8n's status, and the reason and message the JSON answer would carry. */
export function handshakeFailure(
  handshake: EmbedHandshake,
  error: EmbedLoginError,
  headers: Headers,
): LiteResponse {
  const { code, message } = error.toJSON();
  return page(
    'n8n sign-in refused',
    `Sign-in refused: ${message}`,
    {
      channel: handshake.channel,
      origins: handshake.portalOrigins,
      ok: false,
      reason: error.reason,
      message,
      status: code,
    },
    error.status,
    headers,
  );
}
