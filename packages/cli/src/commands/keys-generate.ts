import { chmod, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ALGORITHMS, type Algorithm, DEFAULT_ALGORITHM, N8N_MODULE_ALGORITHMS } from '@n8n-embed/protocol';
import { type Command, Option } from 'commander';
import { CliError, type CliIo } from '../io.js';
import { makeDirectory } from '../make-dir.js';
import type { CommandRun, LazyAction } from '../program.js';

interface Options {
  readonly alg: Algorithm;
  readonly kid?: string;
  readonly out: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

export function keysGenerateCommand(parent: Command, lazy: LazyAction): Command {
  return (
    parent
      .command('generate')
      .description('create a signing key pair: private JWK (0600), public JWK, JWKS and SPKI PEM')
      .addOption(
        new Option('--alg <alg>', 'signing algorithm').choices(ALGORITHMS).default(DEFAULT_ALGORITHM),
      )
      .option('--kid <id>', 'key id (default: portal-<date>-<random>)')
      .option('--out <dir>', 'directory to write the files to (created if missing)', '.')
      .option('--force', 'overwrite existing files')
      .option('--json', 'print the kid, alg and file paths as JSON')
      .addHelpText(
        'after',
        '\nExample:\n  n8n-embed keys generate --out keys\n  n8n-embed keys generate --alg RS256 --kid portal-rsa-1 --out keys',
      )
      // `run` is below in this module: no self-import (a bundler cannot split a module from itself).
      .action(lazy(async () => ({ run })))
  );
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function write(file: string, text: string, mode?: number): Promise<void> {
  await writeFile(file, text, mode === undefined ? {} : { mode }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`--out: cannot write ${file} (${error.code ?? error.message})`);
  });
}

export const run: CommandRun<Options> = async (options, io: CliIo) => {
  const { generateKeyPair } = await import('@n8n-embed/sdk');
  const pair = await generateKeyPair({
    alg: options.alg,
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
  await makeDirectory(dir, '--out');
  if (!options.force) {
    for (const file of Object.values(files)) {
      if (await exists(file)) throw new CliError(`--out: ${file} exists; pass --force to overwrite it`);
    }
  }
  // The private key is written owner-only from the start, and again if it already existed.
  await write(files.privateJwk, `${JSON.stringify(pair.privateJwk, null, 2)}\n`, 0o600);
  await chmod(files.privateJwk, 0o600);
  await write(files.publicJwk, `${JSON.stringify(pair.publicJwk, null, 2)}\n`);
  await write(files.jwks, `${JSON.stringify(pair.jwks, null, 2)}\n`);
  await write(files.publicPem, pair.publicPem.endsWith('\n') ? pair.publicPem : `${pair.publicPem}\n`);

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
