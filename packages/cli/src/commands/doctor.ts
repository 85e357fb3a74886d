import type { Command } from 'commander';
import { wholeNumber } from '../flags.js';
import type { LazyAction } from '../program.js';

/** `--timeout`: per request. */
export const milliseconds = wholeNumber(100, 120_000, ' of milliseconds');

/** `n8n-embed doctor`: what is wrong with a live deployment, one line per check, each with its fix. */
export function doctorCommand(parent: Command, lazy: LazyAction): Command {
  return parent
    .command('doctor')
    .description(
      'check a live n8n for embedding: endpoint, TLS, clock, framing, cookies, keys (a handful of requests)',
    )
    .requiredOption('--n8n-url <url>', "n8n's public URL, as the portal's users reach it")
    .option('--portal-origin <origin>', 'the portal that frames n8n, e.g. https://portal.example.com')
    .option('--key <file>', "the portal's private key (JWK, JWKS or PKCS#8 PEM) to test a login with")
    .option('--kid <id>', "key id (default: the JWK's kid)")
    .option('--alg <alg>', "algorithm (default: the JWK's alg, else ES256)")
    .option('--issuer <url>', "the portal's issuer URL (the tokens' iss)")
    .option('--audience <url>', "the tokens' aud, the key's expectedAudience (default: --n8n-url)")
    .option('--login', 'sign in the dedicated test subject and check the cookie, replay and audience')
    .option('--test-sub <id>', 'the test subject (sub) --login signs in', 'n8n-embed-test')
    .option('--test-email <address>', "the test subject's (verified) email", 'n8n-embed-test@example.com')
    .option('--trusted-keys <file>', "check n8n's trusted-keys JSON (format, keys, audience, allowedRoles)")
    .option('--timeout <ms>', 'per request', milliseconds, 5000)
    .option(
      '--connect-to <host:port>',
      "connect there instead of the URL's host (a proxy, a host before DNS); Host and TLS name stay the URL's",
    )
    .option('--ca-file <pem>', "more CA certificates to trust for https (a private CA), besides Node's own")
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      `
Run it where the portal runs (the clock check compares this machine's clock with n8n's).
Exit codes: 0 no check failed, 1 a check failed, 2 usage error.

Example:
  n8n-embed doctor --n8n-url https://n8n.example.com --portal-origin https://portal.example.com
  n8n-embed doctor --n8n-url https://n8n.example.com --portal-origin https://portal.example.com \\
    --key keys/portal.private.jwk --issuer https://portal.example.com --login --trusted-keys trusted-keys.json`,
    )
    .action(lazy(() => import('../doctor/run-doctor.js')));
}
