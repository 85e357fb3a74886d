import type { EmbedLoginEvent } from '../http/events.js';
import type { N8nLogger } from './n8n-types.js';

/** Writes the handler's audit events to n8n's log: reason, issuer, kid and a jti hash, never the token. */
export function logEmbedLoginEvent(logger: N8nLogger): (event: EmbedLoginEvent) => void {
  return (event) => {
    const { type, ...meta } = event;
    if (type === 'embed-login') logger.info('n8n-embed: embed login', meta);
    else logger.warn('n8n-embed: embed login failed', meta);
  };
}
