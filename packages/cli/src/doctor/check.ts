import { displayText } from '@n8n-embed/protocol';

/** ✔ passed, ⚠ works with a caveat (or could not be checked), ✖ broken. */
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface Check {
  /** Stable identifier for `--json` readers, e.g. `framing`. */
  readonly id: string;
  readonly status: CheckStatus;
  /** One line: what was found. Anything the server sent is already escaped (`shown`). */
  readonly summary: string;
  /** The exact change that fixes it, when there is one. */
  readonly fix?: string;
}

const MARKS: Readonly<Record<CheckStatus, string>> = { pass: '✔', warn: '⚠', fail: '✖' };
const COLOURS: Readonly<Record<CheckStatus, string>> = { pass: '32', warn: '33', fail: '31' };

/** Server- or file-controlled text, made safe for a terminal and bounded (protocol's rule). */
export function shown(value: unknown, maxLength = 120): string {
  return displayText(value, maxLength);
}

export function check(id: string, status: CheckStatus, summary: string, fix?: string): Check {
  return fix === undefined ? { id, status, summary } : { id, status, summary, fix };
}

/** One line per check (`✔ id  summary`), the fix indented under it, then the tally. */
export function renderChecks(checks: readonly Check[], color: boolean): string {
  const width = Math.max(...checks.map((item) => item.id.length));
  const lines = checks.flatMap((item) => {
    const mark = color ? `\u001b[${COLOURS[item.status]}m${MARKS[item.status]}\u001b[0m` : MARKS[item.status];
    const line = `${mark} ${item.id.padEnd(width)}  ${item.summary}`;
    return item.fix === undefined ? [line] : [line, `  ${' '.repeat(width)}  fix: ${item.fix}`];
  });
  return `${lines.join('\n')}\n${tally(checks)}\n`;
}

export function tally(checks: readonly Check[]): string {
  const count = (status: CheckStatus) => checks.filter((item) => item.status === status).length;
  return `${count('pass')} passed, ${count('warn')} warnings, ${count('fail')} failed`;
}
