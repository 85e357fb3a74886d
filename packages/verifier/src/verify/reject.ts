import { EmbedLoginError, type EmbedLoginErrorOptions, type Reason } from '@n8n-embed/protocol';

/** What the pipeline knows about the token so far, attached to every rejection for audit logs. */
export interface Known {
  kid?: string;
  issuer?: string;
}

/** A rejection, with what the pipeline knows about the token (a refusal: no stack, see EmbedLoginError). */
export function reject(reason: Reason, known: Known, options: EmbedLoginErrorOptions = {}): EmbedLoginError {
  return new EmbedLoginError(reason, { ...known, ...options });
}
