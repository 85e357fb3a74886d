import { CommanderError } from 'commander';
import { CliError, type CliIo, nodeIo } from './io.js';
import { buildProgram } from './program.js';

/**
 * Runs `n8n-embed` with these arguments and answers the exit code: 0 done (or valid), 1 failed (or
 * invalid), 2 usage error. The one place where failures become messages: one line, no stack trace
 * unless --debug, never a token or key.
 */
export async function run(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
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
    const debug = argv.includes('--debug');
    // Loaded only here: `--version` and `--help` should not pay for the protocol's schema.
    const { isEmbedLoginError } = await import('@n8n-embed/protocol');
    if (error instanceof CliError || isEmbedLoginError(error)) {
      io.stderr(`n8n-embed: ${error.message}\n`);
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    io.stderr(`n8n-embed: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return 1;
  }
}
