#!/usr/bin/env node
// The `n8n-embed` command. Installed from the registry it runs the build, dist/bin.js. In a clone of
// the repository (tsup.config.ts is there; it never ships), where dist/ may be missing or stale, it
// runs the TypeScript sources through tsx with the workspace's source condition, in this process, so
// `npx n8n-embed` works right after `npm ci`.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

if (existsSync(new URL('../tsup.config.ts', import.meta.url))) {
  const addSourceCondition = `export function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, '@n8n-embed/source'] });
}`;
  register(`data:text/javascript,${encodeURIComponent(addSourceCondition)}`);
  const tsx = await import(import.meta.resolve('tsx/esm/api'));
  tsx.register();
  await import('../src/bin.ts');
} else {
  await import('../dist/bin.js');
}
