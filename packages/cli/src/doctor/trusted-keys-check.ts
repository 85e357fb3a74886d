import { isEmbedLoginError, parseTrustedKeys, type TrustedKeySource } from '@n8n-embed/protocol';
import { createVerifier, keysReachingAdmin } from '@n8n-embed/verifier';
import { type CliIo, readText } from '../io.js';
import { type Check, check, shown } from './check.js';
import type { TestKey } from './test-key.js';

const nameOf = (entry: TrustedKeySource, index: number): string =>
  entry.type === 'static' ? `kid ${shown(entry.kid)}` : `entry ${index} (jwks ${shown(entry.url)})`;

const pemBody = (pem: string): string => pem.replace(/-----[^-]+-----|\s/g, '');

/**
 * `--trusted-keys FILE`: n8n's format (the protocol's parser, which n8n's rules are written into),
 * every key importable (the verifier's own key rules: type, curve, RSA size), audience set, roles
 * capped; with --key, that the file trusts this key for this issuer and audience.
 */
export async function trustedKeysChecks(io: CliIo, file: string, key: TestKey | undefined): Promise<Check[]> {
  const text = await readText(io, file, '--trusted-keys');
  let entries: TrustedKeySource[];
  try {
    entries = parseTrustedKeys(text, { source: file });
    await createVerifier({ trustedKeys: entries, profile: 'n8n' });
  } catch (error) {
    if (!isEmbedLoginError(error)) throw error;
    return [
      check(
        'trusted-keys',
        'fail',
        shown(error.message, 300),
        'fix the entry named (contract §3; n8n-embed keys trusted-config writes valid entries)',
      ),
    ];
  }
  const checks: Check[] = [
    check(
      'trusted-keys',
      'pass',
      `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} in n8n's format, every key usable`,
    ),
  ];
  entries.forEach((entry, index) => {
    if (entry.expectedAudience === undefined)
      checks.push(
        check(
          'audience-set',
          'fail',
          `${nameOf(entry, index)} has no expectedAudience: n8n skips the audience check, so a token for another n8n works here`,
          'add "expectedAudience": "<this n8n\u2019s URL>" to the entry',
        ),
      );
    // The verifier's rule (the adapter warns at start by it): no allowedRoles, or one naming the admin role.
    if (keysReachingAdmin([entry]).length > 0)
      checks.push(
        check(
          'allowed-roles',
          'warn',
          `${nameOf(entry, index)} can sign in as global:admin (${entry.allowedRoles?.length ? 'allowedRoles names it' : 'no allowedRoles'}): existing admins by email, and an embed session counts as MFA-passed`,
          'set "allowedRoles": ["global:member"] on the entry unless admins are meant to sign in through the portal (n8n-embed keys trusted-config --allowed-roles global:member)',
        ),
      );
  });
  if (!checks.some((item) => item.id === 'allowed-roles'))
    checks.push(check('allowed-roles', 'pass', 'every entry caps its roles (allowedRoles) below admin'));
  if (key !== undefined) {
    const entry = entries.find(
      (candidate) =>
        candidate.type === 'static' && candidate.kid === key.kid && candidate.issuer === key.issuer,
    );
    if (entry === undefined || entry.type !== 'static')
      checks.push(
        check(
          'key-entry',
          entries.some((e) => e.type === 'jwks' && e.issuer === key.issuer) ? 'warn' : 'fail',
          `no static entry for kid ${shown(key.kid)} and issuer ${shown(key.issuer)}${entries.some((e) => e.type === 'jwks') ? ' (a JWKS entry may serve it)' : ''}`,
          `n8n-embed keys trusted-config --public-key <${key.kid}.public.jwk> --issuer ${key.issuer} --audience ${key.audience} --merge ${file}`,
        ),
      );
    else if (pemBody(entry.key) !== pemBody(key.entry.key))
      checks.push(
        check(
          'key-entry',
          'fail',
          `the entry for kid ${shown(key.kid)} holds another public key than --key's`,
          'replace the entry\u2019s key with the public half of --key (keys trusted-config writes it)',
        ),
      );
    else if (entry.expectedAudience !== undefined && entry.expectedAudience !== key.audience)
      checks.push(
        check(
          'key-entry',
          'fail',
          `the entry for kid ${shown(key.kid)} expects audience ${shown(entry.expectedAudience)}, not --audience ${shown(key.audience)}`,
          'sign with the entry\u2019s expectedAudience, or correct it',
        ),
      );
    else if (!entry.algorithms.includes(key.alg))
      checks.push(
        check(
          'key-entry',
          'fail',
          `the entry for kid ${shown(key.kid)} allows ${entry.algorithms.join(', ')}, not ${key.alg}`,
          `add ${key.alg} to its algorithms`,
        ),
      );
    else
      checks.push(
        check(
          'key-entry',
          'pass',
          `kid ${shown(key.kid)}: the entry holds --key's public key, for this issuer and audience`,
        ),
      );
  }
  return checks;
}
