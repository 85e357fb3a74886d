import { expect, it } from 'vitest';
import * as protocol from './index.js';
import * as nodeHttp from './node-http.js';

it('has a stable public API', () => {
  expect(Object.keys(protocol).sort()).toMatchSnapshot();
  expect(Object.keys(nodeHttp).sort()).toMatchSnapshot('node-http');
});
