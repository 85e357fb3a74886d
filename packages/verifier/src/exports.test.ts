import { expect, it } from 'vitest';
import * as main from './index.js';
import * as n8n from './n8n.js';
import * as node from './node.js';
import * as redis from './redis.js';
import * as testing from './testing.js';

it('has a stable public API on every entry', () => {
  const entries = { '.': main, './node': node, './redis': redis, './testing': testing, './n8n': n8n };
  expect(
    Object.fromEntries(Object.entries(entries).map(([name, entry]) => [name, Object.keys(entry).sort()])),
  ).toMatchSnapshot();
});
