// Adds lockfile entries for the platform-specific optional packages (biome, rollup, turbo builds for
// other systems) that this workplace's npm mirror does not serve. `npm install` here leaves them out
// of package-lock.json, and `npm ci` then refuses the lockfile as out of sync. The entries carry
// `os`/`cpu`, so npm skips them on every machine they are not for; on those machines the public
// registry serves them. Run after `npm install`: node scripts/lockfile-platforms.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const OS = ['android', 'darwin', 'freebsd', 'openbsd', 'openharmony', 'linux', 'win32'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.includes('windows') ? 'win32' : OS.find((o) => parts.includes(o));
  const cpu = parts.includes('64') ? 'x64' : CPU.find((c) => parts.includes(c));
  return os && cpu ? { os, cpu } : undefined;
}

let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    const platform = platformOf(name);
    if (lock.packages[target] || !platform || !location.startsWith('node_modules/')) continue;
    lock.packages[target] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [platform.os],
      cpu: [platform.cpu],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lockfile: added ${added} platform entries`);
