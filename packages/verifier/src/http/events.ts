import type { N8nReason, Reason } from '@n8n-embed/protocol';

/** An audit event: never the token, only who, which key, and a hash of the `jti`. */
export type EmbedLoginEvent =
  | {
      readonly type: 'embed-login';
      readonly issuer: string;
      readonly kid: string;
      readonly sub: string;
      /** First 16 hex characters of SHA-256(`jti`): correlates logs without the token id. */
      readonly jtiHash: string;
      readonly clientAddress?: string;
    }
  | {
      readonly type: 'embed-login-failed';
      readonly reason: Reason;
      readonly n8nReason: N8nReason | null;
      /** Which rule failed, for logs. Never token or key material. */
      readonly detail?: string;
      readonly issuer?: string;
      readonly kid?: string;
      readonly clientAddress?: string;
    };
