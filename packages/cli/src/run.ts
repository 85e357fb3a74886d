import { createRequire } from 'node:module';
import { CliError, type CliIo, nodeIo } from './io.js';

/**
 * Runs `n8n-embed` with these arguments and answers the exit code: 0 done (or valid), 1 failed (or
 * invalid), 2 usage error. The one place where failures become messages: one line naming the flag
 * the user typed, no stack trace unless --debug, never a token or key.
 */
export async function run(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  // `--version` answers before commander, the command tree and the protocol load.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
    io.stdout(`${version}\n`);
    return 0;
  }
  const [{ CommanderError }, { buildProgram }] = await Promise.all([
    import('commander'),
    import('./program.js'),
  ]);
  let exitCode = 0;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print and end with code 0; commander already printed usage errors.
      return error.exitCode === 0 ? 0 : 2;
    }
    return report(error, io, argv.includes('--debug'));
  }
}

async function report(error: unknown, io: CliIo, debug: boolean): Promise<number> {
  const { isEmbedLoginError } = await import('@n8n-embed/protocol');
  const { renameOption } = await import('./flags.js');
  const stack = () => {
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  };
  if (error instanceof CliError) {
    io.stderr(`n8n-embed: ${error.message}\n`);
    stack();
    return error.exitCode;
  }
  if (isEmbedLoginError(error)) {
    // The SDK and verifier name their own options (`lifetimeSeconds:`, `privateKey:`); say the flag.
    const named =
      error.claim !== undefined
        ? renameOption(`${error.claim}: ${error.detail ?? error.message}`)
        : undefined;
    const renamed = named ?? renameOption(error.message);
    io.stderr(`n8n-embed: ${renamed?.message ?? error.message}\n`);
    stack();
    return renamed?.exitCode ?? 1;
  }
  const code = (error as { code?: string }).code;
  io.stderr(
    `n8n-embed: unexpected failure: ${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ''}; --debug shows where\n`,
  );
  stack();
  return 1;
}
