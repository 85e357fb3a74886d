#!/usr/bin/env node
// `npm test`'s first step: the system tools the suites start for real. When one is missing it installs
// the Debian packages (as root, or with password-less sudo, where apt-get exists); otherwise it stops
// at once with one line per missing tool and the command that installs it.
//
// The one list of system tools the suites need. Add a line here when a suite starts a new one; nothing
// else (CI included) keeps its own list. `debian` is the package that provides `command`.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const SYSTEM_TOOLS = [
  { command: 'redis-server', debian: 'redis-server', brew: 'redis', for: 'the Redis replay-store suites' },
  { command: 'chromium', debian: 'chromium', brew: '--cask chromium', for: 'the browser tests' },
  { command: 'nginx', debian: 'nginx', brew: 'nginx', for: 'examples/reverse-proxy' },
  { command: 'caddy', debian: 'caddy', brew: 'caddy', for: 'examples/reverse-proxy' },
  { command: 'initdb', debian: 'postgresql', brew: 'postgresql', for: 'the n8n suite on Postgres' },
  // The cookie matrix (examples/portal/test/cookie-matrix.browser.test.ts): Firefox over WebDriver BiDi,
  // and WebKitGTK's driver (with its MiniBrowser) under a virtual display, as the stand-in for Safari.
  {
    command: 'firefox-esr',
    debian: 'firefox-esr',
    brew: '--cask firefox',
    for: 'the cookie matrix (Firefox)',
  },
  { command: 'WebKitWebDriver', debian: 'webkit2gtk-driver', brew: null, for: 'the cookie matrix (WebKit)' },
  { command: 'xvfb-run', debian: 'xvfb', brew: null, for: 'the cookie matrix (WebKit needs a display)' },
];

// nginx lives in /usr/sbin, which is not on every user's PATH; Debian keeps Postgres's server
// binaries in /usr/lib/postgresql/<version>/bin (where the n8n suite finds them too, by pg_config).
const postgresDirs = () => {
  try {
    return readdirSync('/usr/lib/postgresql').map((version) => `/usr/lib/postgresql/${version}/bin`);
  } catch {
    return [];
  }
};
const SEARCH = [
  ...(process.env.PATH ?? '').split(delimiter),
  '/usr/sbin',
  '/sbin',
  '/usr/local/sbin',
  ...postgresDirs(),
];

function found(command) {
  const candidates = command.includes('/')
    ? [command]
    : SEARCH.filter(Boolean).map((dir) => join(dir, command));
  return candidates.some((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missingTools = () => SYSTEM_TOOLS.filter((tool) => !found(tool.command));

const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/** `[]` as root, `['sudo', '-n']` with password-less sudo, undefined when we cannot install. */
function installPrefix() {
  if (process.platform !== 'linux' || !found('apt-get')) return undefined;
  if (process.getuid?.() === 0) return [];
  return found('sudo') && succeeds('sudo', ['-n', 'true']) ? ['sudo', '-n'] : undefined;
}

function aptInstall(prefix, packages) {
  const run = (args) => {
    const [command, ...rest] = [...prefix, ...args];
    const result = spawnSync(command, rest, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return result.status === 0;
  };
  // Install only: Debian would start nginx, caddy and redis as services listening on every interface.
  // The suites start their own on 127.0.0.1. policy-rc.d answering 101 tells Debian not to start them.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) {
    if (prefix.length === 0) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    else run(['sh', '-c', `printf '#!/bin/sh\\nexit 101\\n' > ${policy} && chmod 755 ${policy}`]);
  }
  try {
    return run(['apt-get', 'update', '-qq']) && run(['apt-get', 'install', '-y', '-qq', ...packages]);
  } finally {
    if (ownPolicy) {
      if (prefix.length === 0) rmSync(policy, { force: true });
      else run(['rm', '-f', policy]);
    }
  }
}

/** `--check`: report what is missing, install nothing. */
function main(check) {
  let missing = missingTools();
  if (missing.length === 0) return 0;
  const prefix = check ? undefined : installPrefix();
  if (prefix) {
    const packages = [...new Set(missing.map((tool) => tool.debian))];
    console.error(`test prerequisites: installing ${packages.join(' ')} (apt-get; about a minute)`);
    aptInstall(prefix, packages);
    missing = missingTools();
    if (missing.length === 0) return 0;
  }
  const onMac = process.platform === 'darwin';
  for (const tool of missing) {
    const install = !onMac
      ? `sudo apt-get install -y ${tool.debian}`
      : tool.brew
        ? `brew install ${tool.brew}`
        : 'no macOS package (WebKitGTK is Linux only; run the suite on Debian)';
    console.error(`missing: ${tool.command} (${tool.for}); install it with: ${install}`);
  }
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.includes('--check'));
}
