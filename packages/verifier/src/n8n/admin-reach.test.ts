import type { TrustedKeySource } from '@n8n-embed/protocol';
import { VECTOR_TRUSTED_KEYS } from '@n8n-embed/protocol/vectors';
import { describe, expect, it } from 'vitest';
import { adminReachWarning, keysReachingAdmin } from './admin-reach.js';

const base = VECTOR_TRUSTED_KEYS[0] as TrustedKeySource;
const withRoles = (kid: string, allowedRoles?: string[]): TrustedKeySource =>
  ({ ...base, kid, ...(allowedRoles ? { allowedRoles } : {}) }) as TrustedKeySource;

describe('keys that can reach n8n admins', () => {
  it('are those without allowedRoles (or an empty list) and those naming global:admin', () => {
    const keys = [
      withRoles('none'),
      withRoles('empty', []),
      withRoles('admins', ['global:member', 'global:admin']),
      withRoles('members', ['global:member']),
    ];
    expect(keysReachingAdmin(keys).map((key) => (key as { kid: string }).kid)).toEqual([
      'none',
      'empty',
      'admins',
    ]);
  });

  it('are named in one warning with the variable, the MFA consequence and the fix; none, no warning', () => {
    const warning = adminReachWarning(
      [withRoles('none'), withRoles('members', ['global:member'])],
      'KEYS_VAR',
    );
    expect(warning).toMatch(/^n8n-embed: KEYS_VAR: kid "none" \(https:\/\/.+\) can sign in as global:admin/);
    expect(warning).toContain('MFA-passed');
    expect(warning).toContain('"allowedRoles": ["global:member"]');
    expect(warning).not.toContain('members');
    expect(adminReachWarning([withRoles('members', ['global:member'])], 'KEYS_VAR')).toBeUndefined();
  });
});
