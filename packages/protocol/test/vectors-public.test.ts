import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { VECTOR_KEYS, VECTORS } from '../src/vectors.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

it('the vectors the package ships hold public keys only; the private keys stay in test/', () => {
  const shipped = readFileSync(new URL('../src/vectors.json', import.meta.url), 'utf8');
  for (const key of VECTOR_KEYS) {
    for (const member of PRIVATE_MEMBERS)
      expect(key.publicJwk, `${key.kid}.${member}`).not.toHaveProperty(member);
  }
  for (const member of PRIVATE_MEMBERS) expect(shipped).not.toContain(`"${member}":`);
  expect(VECTORS.length).toBeGreaterThan(30);
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    files: string[];
  };
  expect(manifest.files).not.toContain('test');
  expect(manifest.files.some((entry) => entry.startsWith('test'))).toBe(false);
});
