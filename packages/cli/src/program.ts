import { createRequire } from 'node:module';
import { Command } from 'commander';
import { conformanceCommand } from './commands/conformance.js';
import { devCommand } from './commands/dev.js';
import { doctorCommand } from './commands/doctor.js';
import { keysGenerateCommand } from './commands/keys-generate.js';
import { keysTrustedConfigCommand } from './commands/keys-trusted-config.js';
import { tokenInspectCommand } from './commands/token-inspect.js';
import { tokenMintCommand } from './commands/token-mint.js';
import type { CliIo } from './io.js';

/** What a command module exports: run with the parsed options, answer an exit code. */
export type CommandRun<Options> = (options: Options, io: CliIo) => Promise<number>;

/** Turns a command module's loader into its commander action: the module loads when the command runs. */
export type LazyAction = <Options>(
  load: () => Promise<{ run: CommandRun<Options> }>,
) => (...args: unknown[]) => Promise<void>;

export const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The command tree, assembled: each command file owns its commander `Command` (options, parsers,
 * choices, help) and its `run`; the SDK and verifier load only when a command runs.
 */
export function buildProgram(io: CliIo, done: (exitCode: number) => void): Command {
  const lazy: LazyAction =
    <Options>(load: () => Promise<{ run: CommandRun<Options> }>) =>
    async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const { run } = await load();
      done(await run({ ...command.optsWithGlobals(), args: command.args } as Options, io));
    };

  const program = new Command('n8n-embed')
    .description('Keys, n8n trusted-keys config, test tokens and a local endpoint for n8n embed login')
    .version(version)
    .option('--debug', 'print stack traces of failures')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)');

  // Subcommands inherit exitOverride, the output and showHelpAfterError from where they are added.
  const keys = program.command('keys').description('signing keys and n8n trusted-keys configuration');
  keysGenerateCommand(keys, lazy);
  keysTrustedConfigCommand(keys, lazy);
  const token = program.command('token').description('test tokens');
  tokenMintCommand(token, lazy);
  tokenInspectCommand(token, lazy);
  devCommand(program, lazy);
  doctorCommand(program, lazy);
  conformanceCommand(program, lazy);
  return program;
}
