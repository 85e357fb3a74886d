import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { REASONS } from '../src/reasons.js';

it("the root README's reason table is the REASONS table", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const table = readme.split('<!-- reasons:start -->')[1]?.split('<!-- reasons:end -->')[0] ?? '';
  const rows = table
    .trim()
    .split('\n')
    .slice(2)
    .map((row) => row.split('|').map((cell) => cell.trim().replaceAll('`', '')));
  const expected = Object.entries(REASONS).map(([reason, entry]) => [
    '',
    reason,
    `ERR_EMBED_${reason.toUpperCase()}`,
    String(entry.status),
    entry.message,
    entry.n8nReason ?? '—',
    '',
  ]);
  expect(rows).toEqual(expected);
});
