let counter = 0;

/**
 * A fresh, fixed-length key like the verifier's (hex SHA-256), unique per call: what the replay-store
 * conformance suite and the reliability tests consume.
 */
export function conformanceKey(): string {
  counter += 1;
  // Fixed-width fields: `1` + padding must never equal `1a` + padding.
  return `${Date.now().toString(16).padStart(16, '0')}${counter.toString(16).padStart(16, '0')}`.padEnd(
    64,
    '0',
  );
}
