import { expect, it } from 'vitest';
import * as main from './index.js';
import * as node from './node.js';

it('has a stable public API on every entry', () => {
  expect({ '.': Object.keys(main).sort(), './node': Object.keys(node).sort() }).toMatchSnapshot();
});
