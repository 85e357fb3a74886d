import { isEmbedLoginError } from '@n8n-embed/protocol';

/** The message of the typed error `run` throws; anything else (or nothing thrown) fails the test. */
export function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isEmbedLoginError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a typed error');
}

/** `messageOf` for a promise. */
export async function asyncMessageOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isEmbedLoginError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a typed error');
}
