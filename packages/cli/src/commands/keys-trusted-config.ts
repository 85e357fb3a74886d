import { parseTrustedKeys } from '@n8n-embed/protocol';
import { trustedKeyEntry, updateTrustedKeys } from '@n8n-embed/sdk';
import { CliError, type CliIo, readJson } from '../io.js';
import type { CommandRun } from '../program.js';

interface Options {
  readonly publicKey?: string;
  readonly issuer?: string;
  readonly audience?: string;
  readonly allowedRoles?: string;
  readonly requireVerifiedEmail?: 'true' | 'false';
  readonly merge?: string;
  readonly removeKid?: string;
}

/** A public JWK file, or a JWKS file holding exactly one key. */
async function readPublicJwk(io: CliIo, file: string): Promise<Record<string, unknown>> {
  const value = (await readJson(io, file, '--public-key')) as { keys?: unknown[] } & Record<string, unknown>;
  if (Array.isArray(value.keys)) {
    if (value.keys.length !== 1) throw new CliError('--public-key: a JWKS file must hold exactly one key');
    return value.keys[0] as Record<string, unknown>;
  }
  return value;
}

export const run: CommandRun<Options> = async (options, io) => {
  if (options.publicKey === undefined && options.removeKid === undefined) {
    throw new CliError('give --public-key (add a key) or --merge with --remove-kid (retire one)', 2);
  }
  const existing = options.merge
    ? parseTrustedKeys(await readJson(io, options.merge, '--merge'), { source: options.merge })
    : [];
  let add: Awaited<ReturnType<typeof trustedKeyEntry>> | undefined;
  if (options.publicKey !== undefined) {
    if (!options.issuer || !options.audience)
      throw new CliError('--public-key needs --issuer and --audience', 2);
    const roles = options.allowedRoles
      ?.split(',')
      .map((role) => role.trim())
      .filter(Boolean);
    add = await trustedKeyEntry({
      publicJwk: await readPublicJwk(io, options.publicKey),
      issuer: options.issuer,
      audience: options.audience,
      ...(roles?.length ? { allowedRoles: roles } : {}),
      ...(options.requireVerifiedEmail
        ? { requireVerifiedEmail: options.requireVerifiedEmail === 'true' }
        : {}),
    });
  }
  const result = updateTrustedKeys(existing, {
    ...(add ? { add } : {}),
    ...(options.removeKid ? { removeKid: options.removeKid } : {}),
  });
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  io.stderr(
    'Set this as N8N_TOKEN_EXCHANGE_TRUSTED_KEYS, or save it and point N8N_TOKEN_EXCHANGE_TRUSTED_KEYS_FILE at it.\n',
  );
  return 0;
};
