import { expect, it } from 'vitest';
import * as browser from './browser/index.js';
import * as main from './index.js';
import * as node from './node.js';

it('has a stable public API on every entry', () => {
  expect({
    '.': Object.keys(main).sort(),
    './node': Object.keys(node).sort(),
    './browser': Object.keys(browser).sort(),
  }).toMatchSnapshot();
});
