import { DEMO_USERS } from './users.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
/** JSON for inside a `<script>`: no `</script>`, no `<!--`. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function page(title: string, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0}header{display:flex;gap:1rem;align-items:center;padding:.75rem 1rem;background:#1f2937;color:#fff}
header a,header button{color:#fff}main{padding:1rem}#n8n{height:75vh;border:1px solid #ccc;border-radius:6px;overflow:hidden}
#n8n-status{display:flex;gap:1rem;align-items:center;margin:.5rem 0}#n8n-events{font:12px ui-monospace,monospace;max-height:8rem;overflow:auto}</style>
</head><body>${body}</body></html>`;
}

export function signInPage(): string {
  const buttons = Object.entries(DEMO_USERS)
    .map(
      ([name, user]) =>
        `<button type="submit" name="user" value="${name}">Sign in as ${escapeHtml(user.label)}</button>`,
    )
    .join(' ');
  return page(
    'Portal: sign in',
    `<header><strong>Example portal</strong></header>
<main><h1>Sign in</h1><form method="post" action="/signin">${buttons}</form></main>`,
  );
}

// The part to copy: mount the helper, show its state, let the portal's URL follow n8n
// (`/dashboard?n8n=/workflow/7` opens that workflow), and end n8n's session on sign-out.
const DASHBOARD_SCRIPT = `import { mountN8n } from '/assets/n8n-embed.js';
const { n8nUrl, signals } = JSON.parse(document.getElementById('config').textContent);
const state = document.getElementById('n8n-state');
const log = document.getElementById('n8n-events');
const note = (name, detail) => {
  state.textContent = embed.state;
  state.dataset.state = embed.state;
  const item = document.createElement('li');
  item.textContent = name + (detail ? ' ' + JSON.stringify(detail) : '');
  log.prepend(item);
};
const options = {
  container: '#n8n',
  n8nUrl,
  // Where cookies are blocked, the helper's button opens n8n in a new tab through "Open n8n".
  newTabUrl: '/n8n/open',
  ...(signals ? { signals } : {}),
  getToken: ({ signal }) =>
    fetch('/n8n/token', { method: 'POST', signal }).then((response) =>
      response.ok ? response.text() : Promise.reject(new Error('the token route answered ' + response.status)),
    ),
};
const wanted = new URLSearchParams(location.search).get('n8n');
let embed;
try {
  embed = mountN8n({ ...options, ...(wanted ? { path: wanted } : {}) });
} catch (error) {
  embed = mountN8n(options); // a deep link that is not a path inside n8n opens n8n's start page
}
for (const name of ['loading', 'ready', 'navigate', 'auth-required', 'cookies-blocked', 'error']) embed.on(name, (detail) => note(name, detail));
embed.on('navigate', ({ path }) =>
  history.replaceState(null, '', '/dashboard?n8n=' + encodeURIComponent(path).replace(/%2F/g, '/')),
);
note('mounted');
document.getElementById('n8n-reload').addEventListener('click', () => embed.reauthenticate());
document.getElementById('signout').addEventListener('submit', async (event) => {
  event.preventDefault();
  await embed.signOut();
  event.target.submit();
});
window.n8nEmbed = embed;`;

export function dashboardPage(name: string, n8nUrl: string, nonce: string, signals?: string): string {
  const user = DEMO_USERS[name];
  return page(
    'Portal: dashboard',
    `<header><strong>Example portal</strong><span id="who">Signed in as ${escapeHtml(user?.label ?? name)}</span>
<a id="open-n8n" href="/n8n/open" target="_top">Open n8n</a>
<form id="signout" method="post" action="/signout"><button type="submit">Sign out</button></form></header>
<main><div id="n8n-status">n8n (${escapeHtml(n8nUrl)}): <output id="n8n-state" data-state="">starting</output>
<button id="n8n-reload" type="button">Sign in to n8n again</button></div>
<div id="n8n"></div>
<details><summary>Embed events</summary><ol id="n8n-events" reversed></ol></details></main>
<script type="application/json" id="config">${scriptJson({ n8nUrl, signals })}</script>
<script type="module" nonce="${escapeHtml(nonce)}">${DASHBOARD_SCRIPT}</script>`,
  );
}
