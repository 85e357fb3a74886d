import type { Algorithm, Profile, VerifiedLoginClaims } from '@n8n-embed/protocol';

/** The protected header of a verified token, less its `kid` (that is `VerifiedToken.kid`). */
export interface VerifiedHeader {
  readonly alg: Algorithm;
  readonly typ?: string;
}

/** What `verify` resolves to: the claims, the header, and the key entry that verified them. */
export interface VerifiedToken {
  readonly claims: VerifiedLoginClaims;
  readonly header: VerifiedHeader;
  /** The token's `kid`: the key entry that verified it is known by (`kid`, `issuer`). */
  readonly kid: string;
  readonly issuer: string;
  /** The policy of the key entry that verified the token (contract §3), for the identity policy. */
  readonly keyPolicy: KeyPolicy;
}

/** Per-key policy from n8n's trusted-keys entry. */
export interface KeyPolicy {
  readonly allowedRoles?: readonly string[];
  /** Default `true`: linking or creating a user needs `email_verified: true`. */
  readonly requireVerifiedEmail: boolean;
}

export interface Verifier {
  /** Verifies a login token and consumes its `jti`. Rejects with an `EmbedLoginError` and nothing else. */
  verify(token: unknown): Promise<VerifiedToken>;
  readonly profile: Profile;
}

/** A consume request: the store key is derived from (`iss`, `jti`) by a hash, never from raw input. */
export interface ReplayEntry {
  /** Opaque, fixed-length store key (hex hash of `iss` and `jti`). */
  readonly key: string;
  /** Wall-clock time in ms (the verifier's `now`) until which the entry must be remembered. */
  readonly expiresAt: number;
  /** The verifier's current wall-clock time in ms. */
  readonly now: number;
}

/**
 * Remembers consumed token ids. `consume` must be atomic: of any number of concurrent calls with one
 * key, exactly one resolves `true`. It resolves `false` for a key already consumed and unexpired, and
 * rejects (fails closed) when it cannot answer for certain.
 */
export interface ReplayStore {
  consume(entry: ReplayEntry): Promise<boolean>;
  /** Releases resources (timers, connections). */
  close?(): Promise<void>;
}
