import { displayText, KID_PATTERN, type Profile, TOKEN_TYPE } from '@n8n-embed/protocol';
import { decodeBase64urlSegment } from '../internal/base64url.js';
import { parseJsonObject } from '../internal/strict-json.js';
import { reject } from './reject.js';
import { decodeSegment } from './token-parts.js';

type JsonObject = Readonly<Record<string, unknown>>;

/** Where a reader leaves the object it parsed, before any rule about its members (for an inspection). */
export interface ParsedSink {
  headerObject?: JsonObject | undefined;
  payloadObject?: JsonObject | undefined;
}

export interface RawHeader {
  readonly alg: unknown;
  readonly kid: string;
  readonly typ?: unknown;
}

/** Header members a token may carry (strict); anything else (`crit`, `jwk`, `jku`, `b64` …) is refused. */
const allowed = new Set(['alg', 'kid', 'typ']);

// jose's rule for `typ`: a media type may be written with or without its `application/` prefix.
function isOurType(typ: unknown): boolean {
  if (typ === TOKEN_TYPE) return true; // as our signers write it: no lower-cased copy needed
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === TOKEN_TYPE || lower === `application/${TOKEN_TYPE}`;
}

/**
 * Stage `header`: the header is a strict JSON object. The strict profile refuses every member but
 * `alg`, `kid` and `typ` (nothing a token names is ever fetched or honoured); n8n's JWT library
 * ignores them, so the `n8n` profile does too. `sink.headerObject` receives the object before the
 * member rule, so an inspection can still show it.
 */
export function readHeaderObject(segment: string, profile: Profile, sink?: ParsedSink): JsonObject {
  const header = parseJsonObject(decodeSegment(segment, {}));
  if (header === undefined) throw reject('malformed', {}, { detail: 'header is not a JSON object' });
  if (sink !== undefined) sink.headerObject = header;
  if (profile === 'strict') {
    const extra = Object.keys(header).find((member) => !allowed.has(member));
    if (extra !== undefined)
      throw reject('header_rejected', {}, { detail: `header member "${displayText(extra, 32)}"` });
  }
  return header;
}

/** Stage `typ` (strict only): our `typ`, as jose compares it. */
export function checkType(header: Readonly<Record<string, unknown>>): void {
  if (!isOurType(header.typ)) throw reject('header_rejected', {}, { detail: `typ must be ${TOKEN_TYPE}` });
}

/**
 * Stage `kid`: missing is n8n's `missing_kid`; one that no configured key could have (wrong type or
 * characters) is unknown.
 */
export function checkKid(header: Readonly<Record<string, unknown>>): RawHeader {
  const { kid } = header;
  if (kid === undefined || kid === null || kid === '') throw reject('missing_kid', {});
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid))
    throw reject('unknown_kid', {}, { detail: 'kid cannot name a key' });
  return { alg: header.alg, kid, typ: header.typ };
}

/** Headers this many distinct ones apart are decoded again; a portal's tokens share one header. */
const HEADER_CACHE_SIZE = 256;

/**
 * `readHeaderObject` remembered by the exact header segment. The verdict is a pure function of the
 * segment and the profile, so only the work is saved; a segment that fails is never remembered.
 */
export function createHeaderReader(profile: Profile): (segment: string, sink?: ParsedSink) => JsonObject {
  const cache = new Map<string, JsonObject>();
  return (segment, sink) => {
    const cached = cache.get(segment);
    if (cached !== undefined) return cached;
    const header = Object.freeze(readHeaderObject(segment, profile, sink));
    if (cache.size >= HEADER_CACHE_SIZE) cache.clear();
    cache.set(segment, header);
    return header;
  };
}

/**
 * Stage `payload`: the payload is a strict JSON object with a string `iss` (needed to choose the key). n8n
 * reads any JSON payload and reports one that is not an object as missing its `iss`; the n8n profile
 * says the same.
 */
export function readPayload(
  segment: string,
  kid: string,
  profile: Profile,
  sink?: ParsedSink,
): Record<string, unknown> & { iss: string } {
  // The `known` of a rejection is built only when there is one.
  const bytes = decodeBase64urlSegment(segment) ?? decodeSegment(segment, { kid });
  const payload = parseJsonObject(bytes);
  if (payload !== undefined && sink !== undefined) sink.payloadObject = payload;
  if (payload === undefined && !(profile === 'n8n' && isJsonNonObject(bytes))) {
    throw reject('malformed', { kid }, { detail: 'payload is not a JSON object' });
  }
  if (typeof payload?.iss !== 'string') {
    throw reject(
      'claims_invalid',
      { kid },
      {
        status: 400,
        message: 'Token payload missing iss',
        n8nReason: 'missing_iss',
        claim: 'iss',
      },
    );
  }
  return payload as Record<string, unknown> & { iss: string };
}

function isJsonNonObject(bytes: Uint8Array): boolean {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value !== 'object' || value === null || Array.isArray(value);
  } catch {
    return false;
  }
}
