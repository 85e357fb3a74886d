// The node:crypto fast path and the portable WebCrypto path give the same verdict: on every vector,
// every hostile case, and on random corruptions of valid tokens of every algorithm.
import {
  VECTOR_AUDIENCE,
  VECTOR_KEYS,
  VECTOR_NOW_MS,
  VECTOR_TRUSTED_KEYS,
  VECTORS,
} from '@n8n-embed/protocol/vectors';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { createVerifier, type ReplayStore } from '../src/index.js';
import { HOSTILE_CASES } from './support/hostile-tokens.js';
import { claims, craft, esHeader } from './support/tokens.js';
import { verdict } from './support/verdict.js';

// Replay is not what differs between backends: accept every jti so each token is judged on its own.
const acceptAll: ReplayStore = { consume: async () => true };
const make = (crypto: 'node' | 'webcrypto', profile: 'strict' | 'n8n') =>
  createVerifier({
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    now: () => VECTOR_NOW_MS,
    replayStore: acceptAll,
    crypto,
    profile,
  });

it.each(['strict', 'n8n'] as const)(
  'same verdicts on vectors, hostile cases and corrupted tokens (%s)',
  async (profile) => {
    const [node, web] = await Promise.all([make('node', profile), make('webcrypto', profile)]);
    const tokens = [
      ...VECTORS.map((vector) => vector.token),
      ...HOSTILE_CASES.map((testCase) => testCase.token()),
    ];
    for (const token of tokens)
      expect(await verdict(web, token), token.slice(0, 40)).toBe(await verdict(node, token));

    const valid = VECTOR_KEYS.map((key) =>
      craft(esHeader({ alg: key.alg, kid: key.kid }), claims(), key.kid),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.integer({ min: 1, max: 127 }),
        async (token, at, flip) => {
          const index = at % token.length;
          const corrupted =
            token.slice(0, index) +
            String.fromCharCode(token.charCodeAt(index) ^ flip) +
            token.slice(index + 1);
          expect(await verdict(web, corrupted)).toBe(await verdict(node, corrupted));
        },
      ),
      { numRuns: 300 },
    );
  },
);
