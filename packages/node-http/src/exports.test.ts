import { expect, it } from 'vitest';
import * as nodeHttp from './index.js';

it('has a stable public API', () => {
  expect(Object.keys(nodeHttp).sort()).toMatchSnapshot();
});
