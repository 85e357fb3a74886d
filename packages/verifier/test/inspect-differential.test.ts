// inspectToken runs the verifier's own stages: for every vector and hostile case, in both profiles,
// the reason inspect finds is the reason verify gives, unless verify stopped earlier at a stage only
// a key can run (unknown key, key algorithm, signature, issuer).
import type { Profile, Reason } from '@n8n-embed/protocol';
import { VECTOR_AUDIENCE, VECTOR_NOW_MS, VECTOR_TRUSTED_KEYS, VECTORS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { createVerifier, inspectToken, type ReplayStore } from '../src/index.js';
import { HOSTILE_CASES } from './support/hostile-tokens.js';
import { claims, craft, esHeader } from './support/tokens.js';
import { verdict } from './support/verdict.js';

const KEYED: readonly Reason[] = ['unknown_kid', 'key_alg_mismatch', 'bad_signature', 'issuer_mismatch'];
// Replay is not what inspect judges: accept every jti so each token is judged on its own.
const acceptAll: ReplayStore = { consume: async () => true };

const tokens = [
  ...VECTORS.map((vector) => [vector.name, vector.token] as const),
  ...HOSTILE_CASES.map((testCase) => [testCase.name, testCase.token()] as const),
];

describe.each(['strict', 'n8n'] as const)('inspect and verify agree (%s)', (profile: Profile) => {
  it('on every vector and hostile case', async () => {
    const verifier = await createVerifier({
      trustedKeys: VECTOR_TRUSTED_KEYS,
      audience: VECTOR_AUDIENCE,
      now: () => VECTOR_NOW_MS,
      replayStore: acceptAll,
      profile,
    });
    let sameReason = 0;
    for (const [name, token] of tokens) {
      const verified = await verdict(verifier, token);
      const inspection = inspectToken(token, { now: VECTOR_NOW_MS, profile, audience: VECTOR_AUDIENCE });
      const inspected = inspection.reason ?? 'valid';
      expect(inspection.valid, name).toBe(inspected === 'valid');
      if (inspected === verified) sameReason += 1;
      else expect(KEYED, `${name}: verify ${verified}, inspect ${inspected}`).toContain(verified);
    }
    // Not vacuous: nearly every case gets the same verdict; only keyed refusals may differ.
    expect(sameReason).toBeGreaterThan(tokens.length * 0.8);
  });
});

describe('the two divergences of the old inspector agree now', () => {
  it('typ in any case, with or without application/, as the strict profile accepts it', async () => {
    const verifier = await createVerifier({
      trustedKeys: VECTOR_TRUSTED_KEYS,
      audience: VECTOR_AUDIENCE,
      now: () => VECTOR_NOW_MS,
    });
    for (const typ of ['application/N8N-EMBED+JWT', 'N8n-Embed+Jwt']) {
      const token = craft(esHeader({ typ }), claims(), 'vector-es256');
      expect(await verdict(verifier, token)).toBe('valid');
      const inspection = inspectToken(token, { now: VECTOR_NOW_MS });
      expect(inspection.valid).toBe(true);
      expect(inspection.findings).toContainEqual({ rule: 'typ', level: 'ok', message: typ });
    }
    const wrong = inspectToken(craft(esHeader({ typ: 'JWT' }), claims(), 'vector-es256'), {
      now: VECTOR_NOW_MS,
    });
    expect(wrong.reason).toBe('header_rejected');
    expect(
      inspectToken(craft(esHeader({ typ: 'JWT' }), claims(), 'vector-es256'), {
        now: VECTOR_NOW_MS,
        profile: 'n8n',
      }).valid,
    ).toBe(true);
  });

  it('time rules with the tolerance the verifier is given', () => {
    const token = craft(
      esHeader(),
      claims({ iat: VECTOR_NOW_MS / 1000 - 40, exp: VECTOR_NOW_MS / 1000 - 5 }),
      'vector-es256',
    );
    expect(inspectToken(token, { now: VECTOR_NOW_MS }).reason).toBe('expired');
    expect(inspectToken(token, { now: VECTOR_NOW_MS, clockToleranceSeconds: 10 }).valid).toBe(true);
  });
});
