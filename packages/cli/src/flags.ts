import { loginClaimsSchema } from '@n8n-embed/protocol';
import { InvalidArgumentError, Option } from 'commander';

/**
 * Commander argument parsers: a bad value is a usage error (exit 2) that commander reports with the
 * flag as typed ("option '--port <port>' argument 'abc' is invalid. …").
 */
export function wholeNumber(min: number, max: number, unit = ''): (value: string) => number {
  return (value) => {
    const number = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max))
      throw new InvalidArgumentError(`must be a whole number${unit} from ${min} to ${max}.`);
    return number;
  };
}

export const portNumber = wholeNumber(0, 65_535);

/**
 * What the SDK and verifier call an option, as the CLI's flag, and whether a bad value is the
 * command's fault (2: a value typed on the command line) or a file's (1). run.ts renames a
 * `config_invalid` message's leading `option:` with this, so every failure names what the user typed.
 */
export const FLAG_OF_OPTION: Readonly<Record<string, readonly [flag: string, exitCode: 1 | 2]>> = {
  privateKey: ['--key', 1],
  publicJwk: ['--public-key', 1],
  trustedKeys: ['--trusted-keys', 1],
  removeKid: ['--remove-kid', 1],
  lifetimeSeconds: ['--lifetime', 2],
  n8nUrl: ['--n8n-url', 2],
  redirectTo: ['--redirect-to', 2],
  issuer: ['--issuer', 2],
  audience: ['--audience', 2],
  kid: ['--kid', 2],
  alg: ['--alg', 2],
  allowedRoles: ['--allowed-roles', 2],
  sub: ['--sub', 2],
  email: ['--email', 2],
  given_name: ['--given-name', 2],
  family_name: ['--family-name', 2],
  role: ['--role', 2],
};

/** `option: rest` → `--flag: rest`, or undefined when the message names no option we know. */
export function renameOption(message: string): { message: string; exitCode: 1 | 2 } | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(:| )/.exec(message);
  const known = match ? FLAG_OF_OPTION[match[1] ?? ''] : undefined;
  if (!match || !known) return undefined;
  return { message: `${known[0]}${message.slice((match[1] ?? '').length)}`, exitCode: known[1] };
}

/** A value checked by one of the protocol's own schema fields: the rule stays there. */
export function bySchema(
  field: { safeParse(value: unknown): { success: boolean } },
  problem: string,
): (value: string) => string {
  return (value) => {
    if (!field.safeParse(value).success) throw new InvalidArgumentError(`${problem}.`);
    return value;
  };
}

/** `--issuer <url>`, checked by the claim schema's `iss`: one flag rule for every command. */
export function issuerOption(description: string): Option {
  return new Option('--issuer <url>', description).argParser(
    bySchema(loginClaimsSchema.shape.iss, 'must be an absolute http(s) URL'),
  );
}

/** `--audience <aud>`, checked by the claim schema's `aud`. */
export function audienceOption(description: string): Option {
  return new Option('--audience <aud>', description).argParser(
    bySchema(loginClaimsSchema.shape.aud, 'must be a non-empty string of at most 2048 characters'),
  );
}
