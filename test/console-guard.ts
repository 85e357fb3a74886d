// A console.* call during a test fails that test: code under test logs through injected loggers,
// and tests assert on what they capture instead of printing.
import { afterEach } from 'vitest';

const calls: string[] = [];
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
  console[method] = (...args: unknown[]) => {
    calls.push(`console.${method}(${args.map((arg) => String(arg).slice(0, 80)).join(', ')})`);
  };
}

afterEach(() => {
  if (calls.length === 0) return;
  const made = calls.splice(0);
  throw new Error(`the test wrote to the console:\n${made.join('\n')}`);
});
