import { EmbedLoginError, type EmbedLoginErrorOptions, type Reason } from '@n8n-embed/protocol';

/** What the pipeline knows about the token so far, attached to every rejection for audit logs. */
export interface Known {
  kid?: string;
  issuer?: string;
}

/**
 * A rejection is a verdict about a token, not a bug: its stack would only point into this pipeline,
 * and capturing one costs more than most rejections do. So rejections carry no stack trace, which
 * keeps a flood of bad tokens cheap.
 */
export function reject(reason: Reason, known: Known, options: EmbedLoginErrorOptions = {}): EmbedLoginError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new EmbedLoginError(reason, { ...known, ...options });
  } finally {
    Error.stackTraceLimit = limit;
  }
}
