import { open } from 'node:fs/promises';

/** Every file and stdin the CLI reads is bounded: keys, configurations and tokens are small. */
export const MAX_INPUT_BYTES = 1_048_576;

/** Everything a command touches outside itself, injected so commands run in-process in tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => number;
  readonly readStdin: () => Promise<string>;
  /** Resolves when a long-running command (`dev`) should stop: Ctrl-C in a terminal. */
  readonly untilStopped: () => Promise<void>;
  /** Colour marks in human output: off when NO_COLOR is set or stdout is not a terminal. */
  readonly color: boolean;
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.from(chunk);
    size += bytes.length;
    if (size > MAX_INPUT_BYTES) throw new CliError(`stdin: more than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    now: Date.now,
    readStdin: () => readAll(process.stdin),
    untilStopped: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
}

/** Reads a UTF-8 file named on the command line, relative to the working directory, at most 1 MiB. */
export async function readText(io: CliIo, file: string, option: string): Promise<string> {
  const { resolve } = await import('node:path');
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(resolve(io.cwd, file), 'r');
    const buffer = Buffer.alloc(MAX_INPUT_BYTES + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > MAX_INPUT_BYTES) throw new CliError(`${option}: ${file} is larger than 1 MiB`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as { code?: string }).code;
    throw new CliError(`${option}: cannot read ${file}${code ? ` (${code})` : ''}`);
  } finally {
    await handle?.close();
  }
}

export async function readJson(io: CliIo, file: string, option: string): Promise<unknown> {
  const text = await readText(io, file, option);
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${option}: ${file} is not JSON`);
  }
}

/** A failure to report in one line, with an exit code (1: it did not work; 2: the command was wrong). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
