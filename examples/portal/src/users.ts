import type { LoginUser } from '@n8n-embed/sdk';

/** The portal's own users. In a real portal these come from its database and its sign-in. */
export const DEMO_USERS: Readonly<Record<string, LoginUser & { label: string }>> = {
  ada: {
    label: 'Ada Lovelace',
    sub: 'portal-user-ada',
    email: 'ada@example.com',
    emailVerified: true,
    givenName: 'Ada',
    familyName: 'Lovelace',
  },
  grace: {
    label: 'Grace Hopper',
    sub: 'portal-user-grace',
    email: 'grace@example.com',
    emailVerified: true,
    givenName: 'Grace',
    familyName: 'Hopper',
  },
};
