export {
  ALGORITHMS,
  type Algorithm,
  algorithmFamily,
  DEFAULT_ALGORITHM,
  inferAlgorithm,
  isAlgorithm,
  type KeyType,
  keyTypeFor,
  MIN_RSA_BITS,
  N8N_MODULE_ALGORITHMS,
  type SignatureParams,
  signatureParams,
} from './algorithms.js';
export { base64urlValue, decodeBase64url, encodeBase64url } from './base64url.js';
export {
  acceptLoginClaims,
  claimsSchemaFor,
  type LoginClaims,
  loginClaimsSchema,
  n8nLoginClaimsSchema,
  type Profile,
  type VerifiedLoginClaims,
} from './claims-schema.js';
export {
  DEFAULT_LIFETIME_SECONDS,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_ROLE,
  EMBED_LOGIN_PATH,
  KID_PATTERN,
  MAX_CLOCK_TOLERANCE_SECONDS,
  MAX_LIFETIME_SECONDS,
  MAX_REDIRECT_LENGTH,
  MAX_TOKEN_LENGTH,
  OWNER_ROLE,
  REPLAY_GRACE_SECONDS,
  SESSION_COOKIE_NAME,
  TOKEN_TYPE,
} from './constants.js';
export {
  configError,
  EmbedLoginError,
  type EmbedLoginErrorCode,
  type EmbedLoginErrorOptions,
  isEmbedLoginError,
} from './errors.js';
export {
  type KeyShape,
  keyMisfit,
  pemKind,
  rsaModulusBits,
  shapeOfCryptoKey,
  shapeOfJwk,
} from './key-fit.js';
export { loadNodeCrypto } from './node-crypto.js';
export { type N8nReason, REASONS, type Reason } from './reasons.js';
export {
  checkRedirectPath,
  type RedirectCheck,
  type RedirectOptions,
  redirectLocation,
  safeRedirectPath,
} from './redirect.js';
export { nodeSha256Hex, sha256Hex, toHex } from './sha256.js';
export {
  type DirectTrustedKey,
  type JwksTrustedKey,
  jwksTrustedKeySchema,
  type NormalisedJwksSource,
  type NormalisedStaticKey,
  type NormalisedTrustedKey,
  normaliseTrustedKeys,
  parseTrustedKeys,
  type StaticTrustedKey,
  staticTrustedKeySchema,
  type TrustedJwk,
  type TrustedKeySource,
  trustedKeySourceSchema,
} from './trusted-keys.js';
export { displayText, hasHiddenCharacters, MAX_DISPLAY_LENGTH } from './untrusted-text.js';
export { isLoopbackHost, normaliseOrigin } from './url-rules.js';
