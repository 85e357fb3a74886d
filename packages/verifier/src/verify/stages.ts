import type { Algorithm, Profile, VerifiedLoginClaims } from '@n8n-embed/protocol';
import type { Bytes, CryptoBackend } from '../crypto/backend.js';
import type { KeyEntry } from '../keys/key-entry.js';
import type { KeyRing } from '../keys/key-ring.js';
import { syncConsumeOf } from '../replay/memory-store.js';
import { replayEntryFor } from '../replay/replay-key.js';
import type { ReplayEntry, ReplayStore } from '../types.js';
import { checkAudience, checkClaims, checkIssuer } from './claims.js';
import { checkKid, checkType, type ParsedSink, type RawHeader, readPayload } from './header.js';
import { type Known, reject } from './reject.js';
import { checkAlgorithmName, checkKeyAllows, checkSignature, readSignature } from './signature.js';
import {
  checkAsJsonwebtoken,
  checkExpiry,
  checkIssuedAt,
  checkLifetime,
  checkNotBefore,
  describeExpiry,
  describeIssuedAt,
  describeLifetime,
  describeNotBefore,
  type TimeRules,
} from './times.js';
import { splitToken, type TokenParts } from './token-parts.js';

/** What the stages have learnt about one token so far. */
export interface TokenState extends ParsedSink {
  readonly token: unknown;
  readonly known: Known;
  parts: TokenParts | undefined;
  /** The header as parsed, before any rule about its members (for an inspection to show). */
  headerObject: Readonly<Record<string, unknown>> | undefined;
  header: RawHeader | undefined;
  /** The payload as parsed, whatever its `iss` (for an inspection to show). */
  payloadObject: Readonly<Record<string, unknown>> | undefined;
  payload: (Record<string, unknown> & { iss: string }) | undefined;
  key: KeyEntry | undefined;
  alg: Algorithm | undefined;
  signature: Bytes | undefined;
  claims: VerifiedLoginClaims | undefined;
  /** The wall clock in ms, read once, when the first stage needs it. */
  clockMs: number | undefined;
  /** The time rules against that clock, made once, when the first stage needs them. */
  rules: TimeRules | undefined;
}

/** A state with every member present from the start: one object shape for every token. */
export function newTokenState(token: unknown): TokenState {
  return {
    token,
    known: { kid: undefined, issuer: undefined },
    parts: undefined,
    headerObject: undefined,
    header: undefined,
    payloadObject: undefined,
    payload: undefined,
    key: undefined,
    alg: undefined,
    signature: undefined,
    claims: undefined,
    clockMs: undefined,
    rules: undefined,
  };
}

/** What a stage may use: the profile's rules, and (for a verifier only) keys and the replay store. */
export interface StageEnv {
  readonly profile: Profile;
  readonly toleranceSeconds: number;
  readonly maxLifetimeSeconds: number;
  /** The configured audience, overriding each key's `expectedAudience`. */
  readonly audience: string | undefined;
  readonly now: () => number;
  readonly readHeader: (segment: string, sink?: ParsedSink) => Readonly<Record<string, unknown>>;
  readonly ring?: KeyRing;
  readonly backend?: CryptoBackend;
  readonly replayStore?: ReplayStore;
}

type Needs = 'parts' | 'headerObject' | 'header' | 'payload' | 'alg' | 'signature' | 'claims';

/**
 * One check of the contract. `verify` runs a profile's stages in order and stops at the first that
 * throws; `inspectToken` runs the same list, skips those that need a key (`keyed`) or whose inputs an
 * earlier failure left out (`needs`), and collects every result. `run` returns a promise only when it
 * has to wait (a remote key set, WebCrypto, a store); `describe`, called by the inspection only (a
 * verification builds no text), says in a few words what a stage that passed found.
 */
export interface Stage {
  readonly name: string;
  readonly keyed: boolean;
  readonly needs: readonly Needs[];
  run(state: TokenState, env: StageEnv): undefined | Promise<unknown>;
  describe?(state: TokenState, env: StageEnv): string | undefined;
}

// Stages only run once their `needs` are present: these read them without re-checking.
const parts = (state: TokenState): TokenParts => state.parts as TokenParts;
const header = (state: TokenState): RawHeader => state.header as RawHeader;
const claims = (state: TokenState): VerifiedLoginClaims => state.claims as VerifiedLoginClaims;

function rules(state: TokenState, env: StageEnv): TimeRules {
  if (state.rules !== undefined) return state.rules;
  state.clockMs ??= env.now();
  state.rules = {
    nowSeconds: Math.floor(state.clockMs / 1000),
    toleranceSeconds: env.toleranceSeconds,
    maxLifetimeSeconds: env.maxLifetimeSeconds,
    profile: env.profile,
  };
  return state.rules;
}

const format: Stage = {
  name: 'format',
  keyed: false,
  needs: [],
  run(state, env) {
    state.parts = splitToken(state.token, env.profile);
    return undefined;
  },
  describe: () => 'compact JWS',
};

const headerStage: Stage = {
  name: 'header',
  keyed: false,
  needs: ['parts'],
  run(state, env) {
    state.headerObject = env.readHeader(parts(state).header, state);
    return undefined;
  },
  describe: () => 'a JSON object',
};

const typ: Stage = {
  name: 'typ',
  keyed: false,
  needs: ['headerObject'],
  run(state) {
    checkType(state.headerObject as Readonly<Record<string, unknown>>);
    return undefined;
  },
  describe: (state) => String(state.headerObject?.typ),
};

const kid: Stage = {
  name: 'kid',
  keyed: false,
  needs: ['headerObject'],
  run(state) {
    state.header = checkKid(state.headerObject as Readonly<Record<string, unknown>>);
    state.known.kid = state.header.kid;
    return undefined;
  },
  describe: (state) => state.header?.kid,
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
    state.payload = readPayload(parts(state).payload, state.known.kid ?? '', env.profile, state);
    return undefined;
  },
  describe: () => 'a JSON object with iss',
};

function useKey(state: TokenState, entry: KeyEntry | undefined): undefined {
  if (entry === undefined) throw reject('unknown_kid', state.known);
  state.key = entry;
  state.known.issuer = entry.issuer;
  return undefined;
}

const key: Stage = {
  name: 'key',
  keyed: true,
  needs: ['header', 'payload'],
  run(state, env) {
    const found = env.ring?.find(header(state).kid, (state.payload as { iss: string }).iss);
    // A static key is found synchronously: no promise for it (only a remote JWKS may need one).
    return found instanceof Promise ? found.then((entry) => useKey(state, entry)) : useKey(state, found);
  },
};

const alg: Stage = {
  name: 'alg',
  keyed: false,
  needs: ['headerObject'],
  run(state) {
    state.alg = checkAlgorithmName(state.headerObject?.alg, state.known);
    return undefined;
  },
  describe: (state) => state.alg,
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
    return undefined;
  },
  describe: (state) => `${state.signature?.length} bytes`,
};

const signature: Stage = {
  name: 'signature',
  keyed: true,
  needs: ['parts', 'alg', 'signature'],
  run(state, env) {
    return checkSignature(
      env.backend as CryptoBackend,
      state.key as KeyEntry,
      state.alg as Algorithm,
      parts(state),
      state.signature as Bytes,
      state.known,
    );
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
    return undefined;
  },
  describe: () => "n8n's JWT library checks pass",
};

const claimsStage: Stage = {
  name: 'claims',
  keyed: false,
  needs: ['payload'],
  run(state, env) {
    state.claims = checkClaims(state.payload, env.profile, state.known);
    return undefined;
  },
  describe: (_, env) => `the ${env.profile} claim schema holds`,
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
    checkAudience(claims(state), audienceOf(state, env), state.known);
    return undefined;
  },
  describe: audienceOf,
};

const expiry: Stage = {
  name: 'expiry',
  keyed: false,
  needs: ['claims'],
  run(state, env) {
    checkExpiry(claims(state), rules(state, env), state.known);
    return undefined;
  },
  describe: (state, env) => describeExpiry(claims(state), rules(state, env)),
};

const nbf: Stage = {
  name: 'nbf',
  keyed: false,
  needs: ['claims'],
  run(state, env) {
    checkNotBefore(claims(state), rules(state, env), state.known);
    return undefined;
  },
  describe: (state, env) => describeNotBefore(claims(state), rules(state, env)),
};

const iat: Stage = {
  name: 'iat',
  keyed: false,
  needs: ['claims'],
  run(state, env) {
    checkIssuedAt(claims(state), rules(state, env), state.known);
    return undefined;
  },
  describe: (state, env) => describeIssuedAt(claims(state), rules(state, env)),
};

const lifetime: Stage = {
  name: 'lifetime',
  keyed: false,
  needs: ['claims'],
  run(state, env) {
    checkLifetime(claims(state), rules(state, env), state.known);
    return undefined;
  },
  describe: (state) => describeLifetime(claims(state)),
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

/**
 * The store's verdict: `true` is fresh; `false` (or anything else) replayed; a throw or a rejection
 * `store_unavailable`. The memory store answers synchronously (`syncConsumeOf`): no promise to wait for.
 */
function consume(store: ReplayStore, entry: ReplayEntry, known: Known): undefined | Promise<void> {
  let answer: unknown;
  try {
    const now = syncConsumeOf(store);
    answer = now === undefined ? store.consume(entry) : now(entry);
  } catch (cause) {
    throw reject('store_unavailable', known, { cause });
  }
  if (typeof (answer as PromiseLike<unknown> | null)?.then === 'function')
    return Promise.resolve(answer).then(
      (fresh) => freshOrReplayed(fresh, known),
      (cause: unknown) => {
        throw reject('store_unavailable', known, { cause });
      },
    );
  freshOrReplayed(answer, known);
  return undefined;
}

function freshOrReplayed(fresh: unknown, known: Known): void {
  if (fresh !== true) throw reject('replayed', known);
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

/**
 * The stages one after the other, stopping at the first failure (it throws, or the promise rejects).
 * Synchronous until a stage has to wait: then the rest runs after it, and a promise is returned.
 */
export function runStages(
  stages: readonly Stage[],
  state: TokenState,
  env: StageEnv,
  from = 0,
): undefined | Promise<unknown> {
  for (let i = from; i < stages.length; i++) {
    const pending = (stages[i] as Stage).run(state, env);
    if (pending !== undefined) return pending.then(() => runStages(stages, state, env, i + 1));
  }
  return undefined;
}
