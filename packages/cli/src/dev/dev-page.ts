import type { DevUser } from './dev-users.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * The page every other path shows: who is signed in, and which path the login landed on. With
 * `bridge`, it loads the embed bridge as n8n's editor does through EXTERNAL_FRONTEND_HOOKS_URLS.
 */
export function devPage(user: DevUser | undefined, path: string, bridge = false): string {
  const who = user
    ? `<p id="user">Signed in as <strong>${escapeHtml(`${user.firstName} ${user.lastName}`.trim() || user.email)}</strong> (<span id="email">${escapeHtml(user.email)}</span>, ${escapeHtml(user.role)})</p>`
    : '<p id="user">Not signed in.</p>';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>n8n-embed dev endpoint</title>${bridge ? '<script src="/rest/auth/embed/bridge.js"></script>' : ''}
<style>body{font-family:system-ui,sans-serif;margin:1.5rem}code{background:#eee;padding:0 .25rem}</style></head>
<body><h1>n8n (local dev endpoint)</h1>${who}<p>Path: <code id="path">${escapeHtml(path)}</code></p>
<nav><a href="/home/workflows">Workflows</a> · <a href="/workflow/7">Workflow 7</a></nav>
<p>This stands in for n8n: the login went through <code>/rest/auth/embed</code> like on a real n8n.</p></body></html>
`;
}
