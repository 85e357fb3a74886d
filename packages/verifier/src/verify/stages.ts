import type { Algorithm, Profile, VerifiedLoginClaims } from '@n8n-embed/protocol';
import type { Bytes, CryptoBackend } from '../crypto/backend.js';
import type { KeyEntry } from '../keys/key-entry.js';
import type { KeyRing } from '../keys/key-ring.js';
import { replayEntryFor } from '../replay/replay-key.js';
import type { ReplayEntry, ReplayStore } from '../types.js';
import { checkAudience, checkClaims, checkIssuer } from './claims.js';
import { checkKid, checkType, type RawHeader, readPayload } from './header.js';
import { type Known, reject } from './reject.js';
import { checkAlgorithmName, checkKeyAllows, checkSignature, readSignature } from './signature.js';
import {
  checkAsJsonwebtoken,
  checkExpiry,
  checkIssuedAt,
  checkLifetime,
  checkNotBefore,
  type TimeRules,
} from './times.js';
import { splitToken, type TokenParts } from './token-parts.js';

/** What the stages have learnt about one token so far. */
export interface TokenState {
  readonly token: unknown;
  readonly known: Known;
  parts?: TokenParts;
  /** The header as parsed, before any rule about its members (for an inspection to show). */
  headerObject?: Readonly<Record<string, unknown>>;
  header?: RawHeader;
  /** The payload as parsed, whatever its `iss` (for an inspection to show). */
  payloadObject?: Readonly<Record<string, unknown>>;
  payload?: Record<string, unknown> & { iss: string };
  key?: KeyEntry;
  alg?: Algorithm;
  signature?: Bytes;
  claims?: VerifiedLoginClaims;
  /** The wall clock in ms, read once, when the first stage needs it. */
  clockMs?: number;
}

/** What a stage may use: the profile's rules, and (for a verifier only) keys and the replay store. */
export interface StageEnv {
  readonly profile: Profile;
  readonly toleranceSeconds: number;
  readonly maxLifetimeSeconds: number;
  /** The configured audience, overriding each key's `expectedAudience`. */
  readonly audience: string | undefined;
  readonly now: () => number;
  readonly readHeader: (
    segment: string,
    parsed?: (header: Readonly<Record<string, unknown>>) => void,
  ) => Readonly<Record<string, unknown>>;
  readonly ring?: KeyRing;
  readonly backend?: CryptoBackend;
  readonly replayStore?: ReplayStore;
}

type Needs = 'parts' | 'headerObject' | 'header' | 'payload' | 'alg' | 'signature' | 'claims';

/**
 * One check of the contract. `verify` runs a profile's stages in order and stops at the first that
 * throws; `inspectToken` runs the same list, skips those that need a key (`keyed`) or whose inputs an
 * earlier failure left out (`needs`), and collects every result. A stage returns a short description
 * of what it found, for the inspection; `verify` ignores it.
 */
export interface Stage {
  readonly name: string;
  readonly keyed: boolean;
  readonly needs: readonly Needs[];
  run(state: TokenState, env: StageEnv): string | undefined | Promise<string | undefined>;
}

// Stages only run once their `needs` are present: these read them without re-checking.
const parts = (state: TokenState): TokenParts => state.parts as TokenParts;
const header = (state: TokenState): RawHeader => state.header as RawHeader;
const claims = (state: TokenState): VerifiedLoginClaims => state.claims as VerifiedLoginClaims;

function rules(state: TokenState, env: StageEnv): TimeRules {
  state.clockMs ??= env.now();
  return {
    nowSeconds: Math.floor(state.clockMs / 1000),
    toleranceSeconds: env.toleranceSeconds,
    maxLifetimeSeconds: env.maxLifetimeSeconds,
    profile: env.profile,
  };
}

const format: Stage = {
  name: 'format',
  keyed: false,
  needs: [],
  run(state, env) {
    state.parts = splitToken(state.token, env.profile);
    return 'compact JWS';
  },
};

const headerStage: Stage = {
  name: 'header',
  keyed: false,
  needs: ['parts'],
  run(state, env) {
    state.headerObject = env.readHeader(parts(state).header, (parsed) => {
      state.headerObject = parsed;
    });
    return 'a JSON object';
  },
};

const typ: Stage = {
  name: 'typ',
  keyed: false,
  needs: ['headerObject'],
  run(state) {
    checkType(state.headerObject as Readonly<Record<string, unknown>>);
    return String(state.headerObject?.typ);
  },
};

const kid: Stage = {
  name: 'kid',
  keyed: false,
  needs: ['headerObject'],
  run(state) {
    state.header = checkKid(state.headerObject as Readonly<Record<string, unknown>>);
    state.known.kid = state.header.kid;
    return state.header.kid;
  },
};

// Strict: a payload no configured key could have signed is not decoded. (n8n reports a missing
// `iss` before an unknown key, so its profile has no such stage.)
const kidKnown: Stage = {
  name: 'kid known',
  keyed: true,
  needs: ['header'],
  run(state, env) {
    if (!env.ring?.mayHave(header(state).kid)) throw reject('unknown_kid', state.known);
    return undefined;
  },
};

const payload: Stage = {
  name: 'payload',
  keyed: false,
  needs: ['parts'],
  run(state, env) {
    state.payload = readPayload(parts(state).payload, state.known.kid ?? '', env.profile, (parsed) => {
      state.payloadObject = parsed;
    });
    return 'a JSON object with iss';
  },
};

const key: Stage = {
  name: 'key',
  keyed: true,
  needs: ['header', 'payload'],
  run(state, env) {
    const found = env.ring?.find(header(state).kid, (state.payload as { iss: string }).iss);
    const use = (entry: KeyEntry | undefined): undefined => {
      if (entry === undefined) throw reject('unknown_kid', state.known);
      state.key = entry;
      state.known.issuer = entry.issuer;
      return undefined;
    };
    // A static key is found synchronously: no promise for it (only a remote JWKS may need one).
    return found instanceof Promise ? found.then(use) : use(found);
  },
};

const alg: Stage = {
  name: 'alg',
  keyed: false,
  needs: ['headerObject'],
  run(state) {
    state.alg = checkAlgorithmName(state.headerObject?.alg, state.known);
    return state.alg;
  },
};

const keyAlg: Stage = {
  name: 'key alg',
  keyed: true,
  needs: ['alg'],
  run(state) {
    checkKeyAllows(state.alg as Algorithm, state.key as KeyEntry, state.known);
    return undefined;
  },
};

const signatureBytes: Stage = {
  name: 'signature bytes',
  keyed: false,
  needs: ['parts'],
  run(state) {
    state.signature = readSignature(parts(state), state.known);
    return `${state.signature.length} bytes`;
  },
};

const signature: Stage = {
  name: 'signature',
  keyed: true,
  needs: ['parts', 'alg', 'signature'],
  run(state, env) {
    const checked = checkSignature(
      env.backend as CryptoBackend,
      state.key as KeyEntry,
      state.alg as Algorithm,
      parts(state),
      state.signature as Bytes,
      state.known,
    );
    return checked === undefined ? undefined : checked.then(() => undefined);
  },
};

const audienceOf = (state: TokenState, env: StageEnv): string | undefined =>
  env.audience ?? state.key?.audience;

// The n8n profile, right after the signature: jsonwebtoken's own checks on the raw payload. Without a
// key (an inspection) the issuer is the token's own and the audience only the one given.
const jsonwebtoken: Stage = {
  name: 'jwt library',
  keyed: false,
  needs: ['payload'],
  run(state, env) {
    const payloadValue = state.payload as Record<string, unknown> & { iss: string };
    checkAsJsonwebtoken(
      payloadValue,
      rules(state, env),
      { issuer: state.key?.issuer ?? payloadValue.iss, audience: audienceOf(state, env) },
      state.known,
    );
    return "n8n's JWT library checks pass";
  },
};

const claimsStage: Stage = {
  name: 'claims',
  keyed: false,
  needs: ['payload'],
  run(state, env) {
    state.claims = checkClaims(state.payload, env.profile, state.known);
    return `the ${env.profile} claim schema holds`;
  },
};

const issuer: Stage = {
  name: 'issuer',
  keyed: true,
  needs: ['claims'],
  run(state) {
    checkIssuer(claims(state), (state.key as KeyEntry).issuer, state.known);
    return undefined;
  },
};

// Keyless when an audience is configured; otherwise the key's `expectedAudience` decides.
const audience: Stage = {
  name: 'audience',
  keyed: false,
  needs: ['claims'],
  run(state, env) {
    const expected = audienceOf(state, env);
    checkAudience(claims(state), expected, state.known);
    return expected === undefined ? undefined : expected;
  },
};

const expiry: Stage = {
  name: 'expiry',
  keyed: false,
  needs: ['claims'],
  run: (state, env) => checkExpiry(claims(state), rules(state, env), state.known),
};

const nbf: Stage = {
  name: 'nbf',
  keyed: false,
  needs: ['claims'],
  run: (state, env) => checkNotBefore(claims(state), rules(state, env), state.known),
};

const iat: Stage = {
  name: 'iat',
  keyed: false,
  needs: ['claims'],
  run: (state, env) => checkIssuedAt(claims(state), rules(state, env), state.known),
};

const lifetime: Stage = {
  name: 'lifetime',
  keyed: false,
  needs: ['claims'],
  run: (state, env) => checkLifetime(claims(state), rules(state, env), state.known),
};

// Last, only when everything else passed: a bad token never costs a store write.
const replay: Stage = {
  name: 'replay',
  keyed: true,
  needs: ['claims'],
  run(state, env) {
    const entry = replayEntryFor(
      env.backend as CryptoBackend,
      claims(state),
      env.toleranceSeconds,
      state.clockMs ?? env.now(),
    );
    const store = env.replayStore as ReplayStore;
    return entry instanceof Promise
      ? entry.then((ready) => consume(store, ready, state.known))
      : consume(store, entry, state.known);
  },
};

async function consume(store: ReplayStore, entry: ReplayEntry, known: Known): Promise<undefined> {
  let fresh: boolean;
  try {
    fresh = await store.consume(entry);
  } catch (cause) {
    throw reject('store_unavailable', known, { cause });
  }
  if (fresh !== true) throw reject('replayed', known);
  return undefined;
}

/**
 * Every check, in the order that decides which reason a token gets (contract §2, security.md). A
 * stage listed with a profile runs only in that profile.
 */
const ORDER: readonly (Stage | readonly [Stage, Profile])[] = [
  format,
  headerStage,
  [typ, 'strict'],
  kid,
  [kidKnown, 'strict'],
  payload,
  key,
  alg,
  keyAlg,
  signatureBytes,
  signature,
  [jsonwebtoken, 'n8n'],
  claimsStage,
  issuer,
  audience,
  expiry,
  nbf,
  [iat, 'strict'],
  lifetime,
  replay,
];

const stagesOf = (profile: Profile): readonly Stage[] =>
  ORDER.flatMap((entry) => ('run' in entry ? [entry] : entry[1] === profile ? [entry[0]] : []));

/** The stages of each profile. */
export const STAGES: Readonly<Record<Profile, readonly Stage[]>> = {
  strict: stagesOf('strict'),
  n8n: stagesOf('n8n'),
};

/** The stages one after the other, stopping at the first failure (it throws). */
export async function runStages(stages: readonly Stage[], state: TokenState, env: StageEnv): Promise<void> {
  for (const stage of stages) {
    const result = stage.run(state, env);
    if (typeof result === 'object') await result;
  }
}
