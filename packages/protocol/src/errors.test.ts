import { describe, expect, it } from 'vitest';
import { EmbedLoginError, isEmbedLoginError } from './errors.js';
import { REASONS, type Reason } from './reasons.js';

describe('EmbedLoginError', () => {
  it('carries the table status, message, code and n8n reason', () => {
    const error = new EmbedLoginError('replayed');
    expect(error).toMatchObject({
      name: 'EmbedLoginError',
      reason: 'replayed',
      code: 'ERR_EMBED_REPLAYED',
      status: 401,
      message: 'Token has already been used',
      n8nReason: 'token_replay',
    });
    expect(error.toJSON()).toEqual({ code: 401, message: 'Token has already been used' });
    expect(isEmbedLoginError(error)).toBe(true);
    expect(isEmbedLoginError(new Error('x'))).toBe(false);
  });

  it('takes n8n-specific wording and keeps the cause', () => {
    const cause = new TypeError('boom');
    const error = new EmbedLoginError('malformed', { message: 'token is required', cause });
    expect(error.message).toBe('token is required');
    expect(error.cause).toBe(cause);
  });

  it('never answers a 500 for a token problem', () => {
    const requestReasons = Object.keys(REASONS).filter((reason) => reason !== 'config_invalid') as Reason[];
    expect(requestReasons.filter((reason) => new EmbedLoginError(reason).status === 500)).toEqual([]);
    // The only 5xx a request can get: a replay store or a host (its user database) that cannot answer
    // (fail closed, retryable).
    expect(requestReasons.filter((reason) => REASONS[reason].status >= 500)).toEqual([
      'store_unavailable',
      'host_unavailable',
    ]);
  });
});
