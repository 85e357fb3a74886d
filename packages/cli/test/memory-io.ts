import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/io.js';

export interface MemoryIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  /** Ends a running `dev` command. */
  readonly stop: () => void;
}

/** In-process I/O for a command: captured output, a fresh temp working directory, a fixed clock. */
export function memoryIo(options: { now?: number; stdin?: string; cwd?: string } = {}): MemoryIo {
  let out = '';
  let err = '';
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    env: {},
    cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'n8n-embed-cli-')),
    now: () => options.now ?? Date.now(),
    readStdin: async () => options.stdin ?? '',
    untilStopped: () => stopped,
    color: false,
    out: () => out,
    err: () => err,
    stop: () => stop(),
  };
}
