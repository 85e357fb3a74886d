import { chmod, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Algorithm, N8N_MODULE_ALGORITHMS } from '@n8n-embed/protocol';
import { generateKeyPair } from '@n8n-embed/sdk';
import { CliError, type CliIo } from '../io.js';
import type { CommandRun } from '../program.js';

interface Options {
  readonly alg: string;
  readonly kid?: string;
  readonly out: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

export const run: CommandRun<Options> = async (options, io: CliIo) => {
  const pair = await generateKeyPair({
    alg: options.alg as Algorithm,
    ...(options.kid ? { kid: options.kid } : {}),
    now: new Date(io.now()),
  });
  const dir = resolve(io.cwd, options.out);
  const files = {
    privateJwk: resolve(dir, `${pair.kid}.private.jwk`),
    publicJwk: resolve(dir, `${pair.kid}.public.jwk`),
    jwks: resolve(dir, `${pair.kid}.jwks.json`),
    publicPem: resolve(dir, `${pair.kid}.public.pem`),
  };
  if (!options.force) {
    for (const file of Object.values(files)) {
      if (await exists(file)) throw new CliError(`${file} exists; pass --force to overwrite it`);
    }
  }
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  // The private key is written owner-only from the start, and again if it already existed.
  await writeFile(files.privateJwk, `${JSON.stringify(pair.privateJwk, null, 2)}\n`, { mode: 0o600 });
  await chmod(files.privateJwk, 0o600);
  await writeFile(files.publicJwk, `${JSON.stringify(pair.publicJwk, null, 2)}\n`);
  await writeFile(files.jwks, `${JSON.stringify(pair.jwks, null, 2)}\n`);
  await writeFile(files.publicPem, pair.publicPem.endsWith('\n') ? pair.publicPem : `${pair.publicPem}\n`);

  if (!N8N_MODULE_ALGORITHMS.includes(pair.alg)) {
    io.stderr(
      `warning: n8n's own token-exchange module cannot verify ${pair.alg} tokens; use this key only with @n8n-embed/verifier (the hooks adapter or n8n-embed dev)\n`,
    );
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({ kid: pair.kid, alg: pair.alg, files }, null, 2)}\n`);
  } else {
    io.stdout(
      `kid ${pair.kid} (${pair.alg})\n  private key  ${files.privateJwk}  (keep secret)\n  public JWK   ${files.publicJwk}\n  JWKS         ${files.jwks}\n  public PEM   ${files.publicPem}\n`,
    );
  }
  return 0;
};
