import { type N8nReason, REASONS, type Reason } from './reasons.js';

export type EmbedLoginErrorCode = `ERR_EMBED_${Uppercase<Reason>}`;

export interface EmbedLoginErrorOptions {
  /** Overrides the table's message where n8n words this case differently (e.g. `token is required`). */
  readonly message?: string;
  /** Overrides the table's status where n8n answers this case differently. */
  readonly status?: number;
  readonly n8nReason?: N8nReason | null;
  /** The claim a claim failure is about, as data (never its value). */
  readonly claim?: string;
  /** Detail for logs and tools: which rule failed. Never holds token or key material. */
  readonly detail?: string;
  /** The token's `kid` and `iss` once known, for audit logs (they are not secret). */
  readonly kid?: string;
  readonly issuer?: string;
  readonly cause?: unknown;
}

/**
 * Sets V8's `Error.stackTraceLimit`; false where it cannot be written (a frozen realm:
 * `--frozen-intrinsics`, SES), where a refusal then keeps its stack rather than failing.
 */
function setStackTraceLimit(limit: number): boolean {
  try {
    Error.stackTraceLimit = limit;
    return true;
  } catch {
    return false;
  }
}

/**
 * The one error type of n8n-embed. `reason` is the stable machine-readable cause; `status` and
 * `message` are what an n8n-compatible endpoint answers. Messages never contain a token, a signature
 * or key material, so they are safe to show and to log.
 */
export class EmbedLoginError extends Error {
  override readonly name = 'EmbedLoginError';
  readonly reason: Reason;
  readonly code: EmbedLoginErrorCode;
  readonly status: number;
  readonly n8nReason: N8nReason | null;
  readonly claim: string | undefined;
  readonly detail: string | undefined;
  readonly kid: string | undefined;
  readonly issuer: string | undefined;

  constructor(reason: Reason, options: EmbedLoginErrorOptions = {}) {
    const entry = REASONS[reason];
    const status = options.status ?? entry.status;
    // A refusal (a 4xx) is a verdict on the input, not a fault: its stack would only say where the
    // check sits, and capturing one costs more than most checks do (~7 µs inside a server: a flood of
    // refusals paid it on every request). Faults (5xx: a store, the host, the configuration) keep theirs.
    const limit = Error.stackTraceLimit; // where the engine has one (V8, Bun)
    const dropped = status < 500 && typeof limit === 'number' && setStackTraceLimit(0);
    super(
      options.message ?? entry.message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    if (dropped) setStackTraceLimit(limit);
    this.reason = reason;
    this.code = `ERR_EMBED_${reason.toUpperCase() as Uppercase<Reason>}`;
    this.status = status;
    this.n8nReason = options.n8nReason === undefined ? entry.n8nReason : options.n8nReason;
    this.claim = options.claim;
    this.detail = options.detail;
    this.kid = options.kid;
    this.issuer = options.issuer;
  }

  /** The JSON body n8n answers a failed login with: `{ code, message }`. */
  toJSON(): { code: number; message: string } {
    return { code: this.status, message: this.message };
  }
}

export function isEmbedLoginError(value: unknown): value is EmbedLoginError {
  return value instanceof EmbedLoginError;
}

/** A configuration mistake: thrown at creation time, naming what to fix. */
export function configError(message: string, cause?: unknown): EmbedLoginError {
  return new EmbedLoginError('config_invalid', { message, detail: message, cause });
}
