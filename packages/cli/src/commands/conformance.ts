import { type Command, Option } from 'commander';
import type { LazyAction } from '../program.js';
import { milliseconds } from './doctor.js';

/** `n8n-embed conformance`: the hostile catalogue against a live endpoint, each verdict against ours. */
export function conformanceCommand(parent: Command, lazy: LazyAction): Command {
  return parent
    .command('conformance')
    .description(
      "attack a live /rest/auth/embed with the hostile catalogue and compare each answer with the project's own",
    )
    .requiredOption('--n8n-url <url>', "n8n's public URL")
    .requiredOption('--key <file>', 'a portal private key n8n trusts (JWK, JWKS or PKCS#8 PEM)')
    .option('--kid <id>', "key id (default: the JWK's kid)")
    .option('--alg <alg>', "algorithm (default: the JWK's alg, else ES256)")
    .requiredOption('--issuer <url>', "the key's issuer")
    .option('--audience <url>', "the key's expectedAudience (default: --n8n-url)")
    .option('--portal-origin <origin>', 'a portal origin the endpoint accepts (profile strict)')
    .addOption(
      new Option(
        '--profile <profile>',
        "expectations: strict (n8n-embed's default) or n8n (n8n's licensed module)",
      )
        .choices(['strict', 'n8n'])
        .default('strict'),
    )
    .option(
      '--allow-login',
      'also run the cases that sign in the dedicated test subject (plain, replay, 60 s, redirects)',
    )
    .option('--test-sub <id>', 'the test subject (sub)', 'n8n-embed-test')
    .option('--test-email <address>', "the test subject's (verified) email", 'n8n-embed-test@example.com')
    .option('--timeout <ms>', 'per request', milliseconds, 5000)
    .option(
      '--connect-to <host:port>',
      "connect there instead of the URL's host (a proxy, a host before DNS); Host and TLS name stay the URL's",
    )
    .option('--ca-file <pem>', "more CA certificates to trust for https (a private CA), besides Node's own")
    .option('--json', 'print every case as JSON')
    .addHelpText(
      'after',
      `
Each case's expected answer is what the project's own endpoint answers to the same request.
At n8n's default rate limit (20 a minute per address) a run waits for the next minute when it must.
Exit codes: 0 nothing got through, 1 something that must be refused was accepted (or a 5xx), 2 usage error.

Example:
  n8n-embed conformance --n8n-url https://n8n.example.com --key keys/portal.private.jwk \\
    --issuer https://portal.example.com --portal-origin https://portal.example.com --allow-login`,
    )
    .action(lazy(() => import('../conformance/run-conformance.js')));
}
