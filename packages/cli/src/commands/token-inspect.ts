import {
  displayText,
  isEmbedLoginError,
  type Profile,
  parseTrustedKeys,
  type TrustedKeySource,
} from '@n8n-embed/protocol';
import type { Finding, Inspection } from '@n8n-embed/verifier';
import { type Command, Option } from 'commander';
import { CliError, type CliIo, readText } from '../io.js';
import type { CommandRun, LazyAction } from '../program.js';
import { WHAT_TO_CHANGE } from './explain-reason.js';

interface Options {
  readonly args: readonly string[];
  readonly trustedKeys?: string;
  readonly audience?: string;
  readonly profile: Profile;
  readonly json?: boolean;
}

export function tokenInspectCommand(parent: Command, lazy: LazyAction): Command {
  return (
    parent
      .command('inspect')
      .description('check a token against every rule of the contract; with --trusted-keys, verify it fully')
      .argument('<token>', 'the token, a login URL or form body holding it, or - to read one from stdin')
      .option(
        '--trusted-keys <file>',
        "n8n's trusted-keys JSON: verify the signature and report the exact reason",
      )
      .option('--audience <aud>', "the audience to require (default: the keys' expectedAudience)")
      .addOption(
        new Option('--profile <profile>', 'verifier profile').choices(['strict', 'n8n']).default('strict'),
      )
      .option('--json', 'print the result as JSON')
      .addHelpText(
        'after',
        "\nExit codes: 0 valid, 1 invalid, 2 usage error.\n\nExample:\n  n8n-embed token inspect eyJhbGciOi...\n  n8n-embed token inspect 'https://n8n.example.com/rest/auth/embed?token=eyJhbGciOi...'\n  pbpaste | n8n-embed token inspect - --trusted-keys trusted-keys.json --profile n8n",
      )
      // `run` is below in this module: no self-import (a bundler cannot split a module from itself).
      .action(lazy(async () => ({ run })))
  );
}

type Verification =
  | { verified: true; kid: string; issuer: string }
  | { verified: false; reason: string; message: string; change?: string; hints: string[] };

const MARKS = { ok: ['✔', 32], warn: ['!', 33], fail: ['✖', 31] } as const;

// Everything below that came from the token is hostile: made printable and bounded before it
// reaches a terminal.
const shown = (value: unknown, max = 200): string =>
  displayText(typeof value === 'string' ? value : JSON.stringify(value), max);

function line(io: CliIo, { rule, level, message }: Finding): string {
  const [mark, colour] = MARKS[level];
  return `${io.color ? `\u001b[${colour}m${mark}\u001b[0m` : mark} ${rule}: ${shown(message, 400)}\n`;
}

/** A bare token, or the `token` of a pasted login URL or form body. */
function tokenFrom(text: string): { token: string; from?: string } {
  if (/^https?:\/\//i.test(text.trim()) && URL.canParse(text.trim())) {
    const token = new URL(text.trim()).searchParams.get('token');
    if (!token) throw new CliError('the URL has no token parameter', 2);
    return { token, from: 'the login URL' };
  }
  if (/(^|&)token=/.test(text.trim())) {
    const token = new URLSearchParams(text.trim()).get('token');
    if (token) return { token, from: 'the form body' };
  }
  return { token: text };
}

/** Why the trusted keys did not take the token, where the reason alone does not say. */
function hintsFor(
  reason: string,
  inspection: Inspection,
  entries: readonly TrustedKeySource[],
  audience: string | undefined,
): string[] {
  const kid = inspection.header?.kid;
  const iss = inspection.claims?.iss;
  const keyed = entries.filter((entry) => 'kid' in entry && entry.kid === kid);
  if (reason === 'unknown_kid' && typeof kid === 'string') {
    if (keyed.length > 0)
      return [
        `kid ${shown(kid)} is trusted for issuer ${keyed.map((entry) => shown(entry.issuer)).join(', ')}, not for the token's iss ${shown(iss)}`,
      ];
    const known = entries.map((entry) => ('kid' in entry ? entry.kid : `${entry.url} (JWKS)`));
    return [`no trusted key has kid ${shown(kid)} (trusted: ${known.map((text) => shown(text)).join(', ')})`];
  }
  if (reason === 'audience_mismatch') {
    const entry =
      keyed.find((candidate) => candidate.issuer === iss) ??
      entries.find((candidate) => candidate.issuer === iss);
    const expected = audience ?? entry?.expectedAudience;
    const source = audience !== undefined ? '--audience' : "the key's expectedAudience";
    return [`aud in the token: ${shown(inspection.claims?.aud)}`, `expected (${source}): ${shown(expected)}`];
  }
  return [];
}

async function verify(
  io: CliIo,
  token: string,
  inspection: Inspection,
  options: Options,
): Promise<Verification> {
  const text = await readText(io, options.trustedKeys ?? '', '--trusted-keys');
  const entries = parseTrustedKeys(text, { source: options.trustedKeys ?? '--trusted-keys' });
  const { createVerifier } = await import('@n8n-embed/verifier');
  // A throwaway verifier: its memory replay store lives for this one check.
  const verifier = await createVerifier({
    trustedKeys: text,
    profile: options.profile,
    now: io.now,
    ...(options.audience ? { audience: options.audience } : {}),
  });
  try {
    const { kid, issuer } = await verifier.verify(token);
    return { verified: true, kid, issuer };
  } catch (error) {
    if (!isEmbedLoginError(error)) throw error;
    const change = WHAT_TO_CHANGE[error.reason];
    const detail = error.detail ? ` (${error.detail})` : '';
    return {
      verified: false,
      reason: error.reason,
      message: `${error.status} ${error.message}${detail}`,
      ...(change ? { change } : {}),
      hints: hintsFor(error.reason, inspection, entries, options.audience),
    };
  }
}

/** The decoded header and claims, times also as dates. */
function decoded(io: CliIo, inspection: Inspection): void {
  if (inspection.header) io.stdout(`header  ${shown(inspection.header, 400)}\n`);
  if (!inspection.claims) return;
  io.stdout('claims\n');
  for (const [name, value] of Object.entries(inspection.claims)) {
    const date =
      ['iat', 'exp', 'nbf'].includes(name) && Number.isSafeInteger(value)
        ? `  (${new Date((value as number) * 1000).toISOString()})`
        : '';
    io.stdout(`  ${shown(name, 40).padEnd(15)} ${shown(value)}${date}\n`);
  }
}

export const run: CommandRun<Options> = async (options, io) => {
  const [argument] = options.args;
  // A pasted or piped token ends with a newline; an argument is checked exactly as given.
  const input = argument === '-' ? (await io.readStdin()).trim() : (argument ?? '');
  if (input === '') throw new CliError('give a token, or - to read it from stdin', 2);
  const { token, from } = tokenFrom(input);
  const { inspectToken } = await import('@n8n-embed/verifier');
  const inspection = inspectToken(token, {
    now: io.now(),
    profile: options.profile,
    ...(options.audience ? { audience: options.audience } : {}),
  });
  const verification = options.trustedKeys ? await verify(io, token, inspection, options) : undefined;
  const valid = inspection.valid && (verification === undefined || verification.verified);
  if (options.json) {
    io.stdout(
      `${JSON.stringify({ ...inspection, valid, ...(from ? { from } : {}), ...(verification ? { verification } : {}) }, null, 2)}\n`,
    );
    return valid ? 0 : 1;
  }
  if (from) io.stdout(`token from ${from}\n`);
  decoded(io, inspection);
  for (const finding of inspection.findings) io.stdout(line(io, finding));
  if (verification?.verified)
    io.stdout(
      `verified with kid ${shown(verification.kid)} for ${shown(verification.issuer)} (profile ${options.profile})\n`,
    );
  else if (verification) {
    io.stdout(
      `refused (profile ${options.profile}): ${verification.reason}: ${shown(verification.message, 400)}\n`,
    );
    for (const hint of verification.hints) io.stdout(`  ${hint}\n`);
    if (verification.change) io.stdout(`  what to change: ${verification.change}\n`);
  }
  io.stdout(valid ? 'valid\n' : 'invalid\n');
  return valid ? 0 : 1;
};
