import { connect } from 'node:tls';
import { isLoopbackHost } from '@n8n-embed/protocol';
import { type Check, check, shown } from './check.js';
import type { Route } from './http-probe.js';

const WARN_DAYS = 14;

/** The certificate's end date, from one TLS handshake (verified as browsers would). */
function certificateEnd(url: URL, timeoutMs: number, route: Route): Promise<Date> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: route.connectTo?.host ?? url.hostname.replace(/^\[|\]$/g, ''),
      port: route.connectTo?.port ?? Number(url.port || 443),
      ...(route.ca ? { ca: [...route.ca] } : {}),
      servername: /^[\d.]+$|^\[/.test(url.hostname) ? '' : url.hostname,
      timeout: timeoutMs,
      ALPNProtocols: ['http/1.1'],
    });
    socket.once('secureConnect', () => {
      const end = new Date(socket.getPeerCertificate().valid_to);
      socket.end();
      resolve(end);
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`no TLS handshake within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
  });
}

/**
 * TLS: n8n's session cookie is `Secure`, which browsers keep only over https (or on localhost); an
 * https certificate is checked for its end date. `failure` is the TLS error of the first request.
 */
export async function tlsCheck(
  url: URL,
  options: {
    readonly timeoutMs: number;
    readonly now: number;
    readonly failure?: string;
    readonly route?: Route;
  },
): Promise<Check> {
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname))
      return check('tls', 'pass', 'plain http on loopback: fine for development (production needs https)');
    return check(
      'tls',
      'fail',
      "plain http: browsers drop n8n's Secure session cookie, and the token crosses the network readable",
      'serve n8n over https (a reverse proxy such as examples/reverse-proxy) and set N8N_PROTOCOL=https',
    );
  }
  if (options.failure !== undefined)
    return check(
      'tls',
      'fail',
      shown(options.failure),
      'install a certificate browsers trust for this host name',
    );
  try {
    const end = await certificateEnd(url, options.timeoutMs, options.route ?? {});
    const days = Math.floor((end.getTime() - options.now) / 86_400_000);
    if (days < WARN_DAYS)
      return check('tls', 'warn', `certificate valid for ${days} more days`, 'renew the certificate');
    return check('tls', 'pass', `https, certificate valid for ${days} more days`);
  } catch (error) {
    return check(
      'tls',
      'fail',
      shown(error instanceof Error ? error.message : String(error)),
      'install a certificate browsers trust for this host name',
    );
  }
}
