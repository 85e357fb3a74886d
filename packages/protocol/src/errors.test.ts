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

  it('a refusal carries no stack frames; a fault keeps them; the stack limit is left as it was', () => {
    const frames = (error: Error): number =>
      (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).length;
    const before = Error.stackTraceLimit;
    for (const reason of Object.keys(REASONS) as Reason[]) {
      const error = new EmbedLoginError(reason);
      expect(frames(error) > 0, reason).toBe(error.status >= 500);
      expect(error.stack, reason).toContain(error.message);
    }
    // The status decides, also where a caller overrides the table's.
    expect(frames(new EmbedLoginError('malformed', { status: 503 }))).toBeGreaterThan(0);
    expect(frames(new EmbedLoginError('host_unavailable', { status: 400 }))).toBe(0);
    expect(Error.stackTraceLimit).toBe(before);
    expect(frames(new Error('after'))).toBeGreaterThan(0);
  });

  it('in a realm where the stack limit cannot be written (frozen intrinsics), a refusal is still made, with its stack', () => {
    const descriptor = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
    if (descriptor === undefined) throw new Error('this engine has no Error.stackTraceLimit');
    Object.defineProperty(Error, 'stackTraceLimit', { ...descriptor, writable: false });
    try {
      const refusal = new EmbedLoginError('malformed');
      expect(refusal.status).toBe(400);
      expect(refusal.stack).toContain('Invalid token format');
      expect(new EmbedLoginError('config_invalid').status).toBe(500);
    } finally {
      Object.defineProperty(Error, 'stackTraceLimit', descriptor);
    }
    expect(Error.stackTraceLimit).toBe(descriptor.value);
  });
});
