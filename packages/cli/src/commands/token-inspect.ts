import { isEmbedLoginError, type Profile } from '@n8n-embed/protocol';
import { createVerifier, type Finding, inspectToken } from '@n8n-embed/verifier';
import { CliError, type CliIo, readText } from '../io.js';
import type { CommandRun } from '../program.js';
import { WHAT_TO_CHANGE } from './explain-reason.js';

interface Options {
  readonly args: readonly string[];
  readonly trustedKeys?: string;
  readonly audience?: string;
  readonly profile: Profile;
  readonly json?: boolean;
}

type Verification =
  | { verified: true; kid: string; issuer: string }
  | { verified: false; reason: string; message: string; change?: string };

const MARKS = { ok: ['✔', 32], warn: ['!', 33], fail: ['✖', 31] } as const;

function line(io: CliIo, { rule, level, message }: Finding): string {
  const [mark, colour] = MARKS[level];
  return `${io.color ? `\u001b[${colour}m${mark}\u001b[0m` : mark} ${rule}: ${message}\n`;
}

async function verify(io: CliIo, token: string, options: Options): Promise<Verification> {
  // A throwaway verifier: its memory replay store lives for this one check.
  const verifier = await createVerifier({
    trustedKeys: await readText(io, options.trustedKeys ?? '', '--trusted-keys'),
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
    };
  }
}

export const run: CommandRun<Options> = async (options, io) => {
  const [argument] = options.args;
  // A pasted or piped token ends with a newline; an argument is checked exactly as given.
  const token = argument === '-' ? (await io.readStdin()).trim() : (argument ?? '');
  if (token === '') throw new CliError('give a token, or - to read it from stdin', 2);
  const inspection = inspectToken(token, {
    now: io.now(),
    profile: options.profile,
    ...(options.audience ? { audience: options.audience } : {}),
  });
  const verification = options.trustedKeys ? await verify(io, token, options) : undefined;
  const valid = inspection.valid && (verification === undefined || verification.verified);
  if (options.json) {
    io.stdout(
      `${JSON.stringify({ ...inspection, valid, ...(verification ? { verification } : {}) }, null, 2)}\n`,
    );
    return valid ? 0 : 1;
  }
  for (const finding of inspection.findings) io.stdout(line(io, finding));
  if (verification?.verified)
    io.stdout(
      `verified with kid ${verification.kid} for ${verification.issuer} (profile ${options.profile})\n`,
    );
  else if (verification) {
    io.stdout(`refused (profile ${options.profile}): ${verification.reason}: ${verification.message}\n`);
    if (verification.change) io.stdout(`  what to change: ${verification.change}\n`);
  }
  io.stdout(valid ? 'valid\n' : 'invalid\n');
  return valid ? 0 : 1;
};
