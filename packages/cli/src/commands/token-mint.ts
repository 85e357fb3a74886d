import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Algorithm } from '@n8n-embed/protocol';
import { buildLoginUrl, createLoginSigner, renderLoginForm } from '@n8n-embed/sdk';
import { CliError, readJson } from '../io.js';
import type { CommandRun } from '../program.js';

interface Options {
  readonly key: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly sub: string;
  readonly email?: string;
  readonly emailVerified?: boolean;
  readonly givenName?: string;
  readonly familyName?: string;
  readonly role?: string;
  readonly lifetime: string;
  readonly n8nUrl?: string;
  readonly redirectTo?: string;
  readonly form?: string;
  readonly json?: boolean;
}

export const run: CommandRun<Options> = async (options, io) => {
  const jwk = (await readJson(io, options.key, '--key')) as Record<string, unknown>;
  const kid = options.kid ?? (typeof jwk.kid === 'string' ? jwk.kid : undefined);
  if (kid === undefined) throw new CliError('--kid: the key file has no kid; pass --kid', 2);
  const lifetime = Number(options.lifetime);
  if (!Number.isInteger(lifetime)) throw new CliError('--lifetime: must be a whole number of seconds', 2);
  if ((options.redirectTo || options.form) && !options.n8nUrl) {
    throw new CliError('--redirect-to and --form need --n8n-url', 2);
  }
  const signer = await createLoginSigner({
    privateKey: jwk,
    kid,
    alg: (options.alg ?? (typeof jwk.alg === 'string' ? jwk.alg : 'ES256')) as Algorithm,
    issuer: options.issuer,
    audience: options.audience,
    lifetimeSeconds: lifetime,
    now: io.now,
  });
  const token = await signer.mint({
    sub: options.sub,
    ...(options.email !== undefined ? { email: options.email } : {}),
    ...(options.emailVerified ? { emailVerified: true } : {}),
    ...(options.givenName !== undefined ? { givenName: options.givenName } : {}),
    ...(options.familyName !== undefined ? { familyName: options.familyName } : {}),
    ...(options.role !== undefined ? { role: options.role } : {}),
  });
  const target = { ...(options.redirectTo ? { redirectTo: options.redirectTo } : {}) };
  const url = options.n8nUrl ? buildLoginUrl({ n8nUrl: options.n8nUrl, token, ...target }) : undefined;
  let form: string | undefined;
  if (options.form && options.n8nUrl) {
    form = resolve(io.cwd, options.form);
    await writeFile(form, renderLoginForm({ n8nUrl: options.n8nUrl, token, ...target }).body, {
      mode: 0o600,
    });
  }
  if (options.json)
    io.stdout(`${JSON.stringify({ token, ...(url ? { url } : {}), ...(form ? { form } : {}) }, null, 2)}\n`);
  else if (form) io.stdout(`${form}\n`);
  else io.stdout(`${url ?? token}\n`);
  return 0;
};
