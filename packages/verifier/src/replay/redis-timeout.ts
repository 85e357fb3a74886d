import { EmbedLoginError } from '@n8n-embed/protocol';

/**
 * Bounds a Redis command by our own timer, whatever the client's own settings are, so a consume can
 * never hang. The command may still run on Redis afterwards: for `SET NX` that only burns the token,
 * which fails closed.
 */
export function withTimeout<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new EmbedLoginError('store_unavailable', { detail: `Redis did not answer within ${timeoutMs} ms` }),
      );
    }, timeoutMs);
    command.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
