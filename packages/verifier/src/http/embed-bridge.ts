import { scriptJson } from './embed-handshake.js';

// The bridge: a script that runs inside n8n's editor pages (n8n loads it through
// EXTERNAL_FRONTEND_HOOKS_URLS, with the page's CSP nonce, so it works under n8n 2.41's nonce policy)
// and tells the portal where the editor is. n8n itself only posts `n8nReady` (to '*') when a canvas
// mounts, and nothing on the workflow list, settings or its sign-in page, so without this the portal
// cannot see that n8n's session ended inside the frame. Every route change (Vue Router uses
// history.pushState/replaceState) posts, to each portal origin exactly:
//   { n8nEmbed: 1, type: 'route', path, signedIn }
// `signedIn` is false on n8n's sign-in routes, which is where n8n sends a browser whose session
// expired, was signed out or whose user was removed. The helper then signs in again.

/** n8n's routes for a browser without a session (editor-ui VIEWS.SIGNIN, SIGNOUT, SETUP, MFA). */
const SIGNED_OUT_ROUTES = ['signin', 'signout', 'setup', 'mfa', 'forgot-password', 'change-password'];

/** Where the bridge is served, relative to the instance base URL. */
export const EMBED_BRIDGE_PATH = '/rest/auth/embed/bridge.js';

/**
 * The bridge script for these portal origins, on an instance whose base path is `basePath` and whose
 * REST prefix is `rest`. The first report waits for n8n's own session check (`GET <rest>/login`,
 * which answers 401 without a session) so that a page that is about to be sent to the sign-in route
 * is never reported as signed in.
 */
export function embedBridgeScript(portalOrigins: readonly string[], basePath = '/', rest = 'rest'): string {
  const data = scriptJson({ origins: portalOrigins, base: basePath, rest, out: SIGNED_OUT_ROUTES });
  return `(()=>{if(window.parent===window)return;const D=${data};let last,session=null;
const report=()=>{if(session===null)return;const p='/'+location.pathname.slice(D.base.length).replace(/^\\//,'');const path=p+location.search+location.hash;
if(path===last)return;last=path;const signedIn=session&&!D.out.includes(p.split('/')[1]);
for(const o of D.origins){try{parent.postMessage({n8nEmbed:1,type:'route',path,signedIn},o)}catch{}}};
for(const m of ['pushState','replaceState']){const f=history[m];history[m]=function(...a){const r=f.apply(this,a);report();return r}}
addEventListener('popstate',report);
fetch(D.base+D.rest+'/login',{credentials:'same-origin',cache:'no-store'}).then(r=>r.ok,()=>false).then(ok=>{session=ok;report()})})();
`;
}

/** The bridge as a response (`GET <base>/rest/auth/embed/bridge.js`). */
export function embedBridgeResponse(
  portalOrigins: readonly string[],
  basePath = '/',
  rest = 'rest',
): Response {
  return new Response(embedBridgeScript(portalOrigins, basePath, rest), {
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
