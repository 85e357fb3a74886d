// Where our verifier (profile `n8n`) and the adapter's identity store answer differently from n8n
// 2.41.1's own module, each with its reason. The parity test checks that every entry still holds
// exactly (last outcome of the case on each side) and that no other case differs.
type Outcome = { status: number; message: string; user?: { email: string; role: string } };

interface Difference {
  readonly reason: string;
  readonly outcomes: { readonly n8n: Outcome | undefined; readonly ours: Outcome | undefined };
}

export const KNOWN_DIFFERENCES: Readonly<Record<string, Difference>> = {
  'vector: EdDSA minimal claims': {
    reason:
      'n8n 2.41 verifies with jsonwebtoken 9, which fails on Ed25519 keys, so n8n refuses every EdDSA token; our verifier verifies them (the SDK warns that EdDSA works only with our verifier).',
    outcomes: {
      n8n: { status: 401, message: 'Token verification failed' },
      ours: { status: 401, message: 'Email claim is required for user provisioning' },
    },
  },
  'vector: EdDSA every claim': {
    reason: 'as above: EdDSA tokens, refused by n8n only because its JWT library cannot read Ed25519 keys.',
    outcomes: {
      n8n: { status: 401, message: 'Token verification failed' },
      ours: { status: 302, message: '', user: { email: 'ada@example.com', role: 'global:member' } },
    },
  },
  'vector: oversize': {
    reason:
      'n8n has no size cap and accepts the token (this vector then lacks an email); we cap tokens at 4096 chars (security.md rule 1).',
    outcomes: {
      n8n: { status: 401, message: 'Email claim is required for user provisioning' },
      ours: { status: 400, message: 'Invalid token format' },
    },
  },
  'vector: duplicate claim names': {
    reason:
      "n8n's JSON.parse keeps the last duplicate and accepts the token; we refuse duplicate member names (security.md rule 2).",
    outcomes: {
      n8n: { status: 401, message: 'Email claim is required for user provisioning' },
      ours: { status: 400, message: 'Invalid token format' },
    },
  },
  'security: kid of 100 000 chars': {
    reason:
      'the token exceeds our 4096-char cap (400 Invalid token format) before the kid is looked up; n8n looks the kid up and answers 401 Unknown key id.',
    outcomes: {
      n8n: { status: 401, message: 'Unknown key id' },
      ours: { status: 400, message: 'Invalid token format' },
    },
  },
  'security: two issuers using the same jti (second issuer redeems after the first)': {
    reason:
      "n8n keys replay by the bare jti, so a second portal's token is refused when it happens to reuse a jti; we key by (iss, jti) (security.md rule 12).",
    outcomes: {
      n8n: { status: 401, message: 'Token has already been used' },
      ours: { status: 302, message: '', user: { email: 'user-1@portal.test', role: 'global:member' } },
    },
  },
  'identity: an existing member whose token asks for global:admin': {
    reason:
      "n8n's module changes an existing user's role to the token's role claim on every login; our identity policy never changes the role of an existing user (roles of existing users are managed in n8n).",
    outcomes: {
      n8n: { status: 302, message: '', user: { email: 'member@n8n.test', role: 'global:admin' } },
      ours: { status: 302, message: '', user: { email: 'member@n8n.test', role: 'global:member' } },
    },
  },
};
