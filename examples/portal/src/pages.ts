import { DEMO_USERS } from './users.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0}header{display:flex;gap:1rem;align-items:center;padding:.75rem 1rem;background:#1f2937;color:#fff}
header a,header button{color:#fff}main{padding:1rem}iframe{width:100%;height:75vh;border:1px solid #ccc;border-radius:6px}</style>
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

export function dashboardPage(name: string, n8nUrl: string): string {
  const user = DEMO_USERS[name];
  return page(
    'Portal: dashboard',
    `<header><strong>Example portal</strong><span id="who">Signed in as ${escapeHtml(user?.label ?? name)}</span>
<a id="open-n8n" href="/n8n/open" target="_top">Open n8n</a>
<form method="post" action="/signout"><button type="submit">Sign out</button></form></header>
<main><p>n8n (${escapeHtml(n8nUrl)}), signed in as you through the portal's login route:</p>
<iframe id="n8n" title="n8n" src="/n8n/login?redirectTo=%2F"></iframe></main>`,
  );
}
