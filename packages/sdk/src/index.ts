export type { LoginUser } from './claims.js';
export { type ClockOffsetOptions, measureClockOffset } from './clock-offset.js';
export { createLoginSigner, type LoginSigner, type LoginSignerOptions } from './create-login-signer.js';
export { defaultKid, type GeneratedKeyPair, generateKeyPair } from './generate-key-pair.js';
export { type LoginFormOptions, type LoginFormResponse, renderLoginForm } from './login-form.js';
export { buildLoginUrl, type LoginUrlOptions } from './login-url.js';
export { createPortalLoginRoute, type PortalLoginRouteOptions } from './portal-login-route.js';
export type { PrivateKeyInput, PublicJwk } from './private-key.js';
export { type TrustedKeyEntryOptions, trustedKeyEntry, updateTrustedKeys } from './trusted-key-entry.js';
