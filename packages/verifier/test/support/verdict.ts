import { isEmbedLoginError } from '@n8n-embed/protocol';
import type { Verifier } from '../../src/index.js';

/** `valid`, or the rejection reason; anything but an EmbedLoginError fails the test. */
export async function verdict(verifier: Verifier, token: unknown): Promise<string> {
  try {
    await verifier.verify(token);
    return 'valid';
  } catch (error) {
    if (!isEmbedLoginError(error)) throw error;
    return error.reason;
  }
}
