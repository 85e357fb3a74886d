import { randomBytes } from 'node:crypto';

const COOKIE = 'portal_session';

/** In-memory portal sessions: session id → user name. */
export function createSessions(): {
  start(user: string): string;
  userOf(request: Request): string | undefined;
  end(request: Request): void;
} {
  const sessions = new Map<string, string>();
  const idOf = (request: Request) =>
    request.headers
      .get('cookie')
      ?.split(';')
      .map((part) => part.trim().split('='))
      .find(([name]) => name === COOKIE)?.[1];
  return {
    start(user) {
      const id = randomBytes(18).toString('base64url');
      sessions.set(id, user);
      return `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
    },
    userOf: (request) => sessions.get(idOf(request) ?? ''),
    end(request) {
      sessions.delete(idOf(request) ?? '');
    },
  };
}
