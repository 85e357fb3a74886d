import { VECTOR_NOW_MS, VECTORS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { claims, craft } from '../../test/support/tokens.js';
import { inspectToken } from './inspect-token.js';

const at = (name: string) => {
  const vector = VECTORS.find((candidate) => candidate.name === name);
  if (!vector) throw new Error(`no vector ${name}`);
  return inspectToken(vector.token, { now: VECTOR_NOW_MS });
};
const failed = (inspection: ReturnType<typeof inspectToken>) =>
  inspection.findings.filter((finding) => finding.level === 'fail').map((finding) => finding.rule);

describe('inspectToken', () => {
  it('passes a valid token and says when it expires', () => {
    const inspection = at('ES256 every claim');
    expect(inspection.valid).toBe(true);
    expect(inspection.findings).toContainEqual({ rule: 'expiry', level: 'ok', message: 'expires in 20 s' });
  });

  it.each([
    ['expired', 'expiry'],
    ['lifetime of 61 s', 'lifetime'],
    ['float exp', 'claim exp'],
    ['exp as a string', 'claim exp'],
    ['iss as an array', 'claim iss'],
    ['missing jti', 'claim jti'],
    ['role global:owner', 'claim role'],
    ['iat an hour ahead', 'iat'],
    ['missing kid', 'kid'],
    ['header with jku', 'header'],
    ['trailing newline', 'format'],
    ['duplicate claim names', 'payload'],
  ])('names the rule a negative vector breaks: %s → %s', (name, rule) => {
    const inspection = at(name);
    expect(inspection.valid).toBe(false);
    expect(failed(inspection)).toContain(rule);
  });

  it('warns about EdDSA and about a first login that n8n cannot complete', () => {
    const token = craft(
      { alg: 'EdDSA', kid: 'vector-eddsa', typ: 'n8n-embed+jwt' },
      claims({ email: 'a@example.com' }),
      'vector-eddsa',
    );
    const warnings = inspectToken(token, { now: VECTOR_NOW_MS }).findings.filter(
      (finding) => finding.level === 'warn',
    );
    expect(warnings.map((finding) => finding.rule)).toEqual(['alg', 'email_verified']);
  });
});
