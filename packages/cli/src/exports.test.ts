import { expect, it } from 'vitest';
import * as cli from './index.js';

it('has a stable public API', () => {
  expect(Object.keys(cli).sort()).toMatchSnapshot();
});
