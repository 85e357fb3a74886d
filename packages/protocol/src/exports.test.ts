import { expect, it } from 'vitest';
import * as protocol from './index.js';

it('has a stable public API', () => {
  expect(Object.keys(protocol).sort()).toMatchSnapshot();
});
