/** The `typ` header our tokens carry; the strict profile requires it. */
export const TOKEN_TYPE = 'n8n-embed+jwt';
/** n8n refuses a token whose `exp - iat` exceeds this; 60 passes, 61 fails. */
export const MAX_LIFETIME_SECONDS = 60;
/** The suggested lifetime: short enough to be useless when leaked, long enough for a slow redirect. */
export const DEFAULT_LIFETIME_SECONDS = 30;
/** The most clock tolerance a verifier may be configured with. n8n itself allows none. */
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
/** A consumed `jti` is remembered until `exp + tolerance + REPLAY_GRACE_SECONDS`. */
export const REPLAY_GRACE_SECONDS = 60;
/** The embed-login endpoint, relative to the instance base URL. */
export const EMBED_LOGIN_PATH = '/rest/auth/embed';
/** n8n's session cookie. */
export const SESSION_COOKIE_NAME = 'n8n-auth';
/** Tokens longer than this are refused before anything is decoded. */
export const MAX_TOKEN_LENGTH = 4096;
/** `redirectTo` longer than this falls back to `/`. */
export const MAX_REDIRECT_LENGTH = 2048;
/** n8n's default embed-login rate limit per client IP and minute. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 20;
/** The role n8n refuses to log in through embed login, whatever the key says. */
export const OWNER_ROLE = 'global:owner';
/** The role n8n gives a user it provisions on first login. */
export const DEFAULT_ROLE = 'global:member';
/** A key id: 1–128 characters that can appear in a file name, a log line or a Redis key unescaped. */
export const KID_PATTERN: RegExp = /^[A-Za-z0-9._:-]{1,128}$/;
