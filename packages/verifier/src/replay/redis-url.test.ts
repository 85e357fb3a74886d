import { isEmbedLoginError } from '@n8n-embed/protocol';
import { describe, expect, it } from 'vitest';
import { checkRedisUrl } from './redis-options.js';

const messageOf = (value: unknown, name: string): string => {
  try {
    return `accepted ${checkRedisUrl(value, name)}`;
  } catch (error) {
    if (isEmbedLoginError(error) && error.reason === 'config_invalid') return error.message;
    throw error;
  }
};

describe('checkRedisUrl: the one Redis URL rule (createRedisReplayStore and the n8n adapter)', () => {
  it.each(['redis://127.0.0.1:6379/0', 'rediss://user:secret@redis.example.com:6380', 'redis://[::1]:6379'])(
    'accepts %s',
    (url) => {
      expect(messageOf(url, 'url')).toBe(`accepted ${url}`);
    },
  );

  it.each(['http://redis.example.com', 'redis:/x', 'redis://', 'REDIS-URL', '', 6379])(
    'refuses %s, naming the option and never echoing the value',
    (value) => {
      expect(messageOf(value, 'N8N_EMBED_REDIS_URL')).toBe(
        'N8N_EMBED_REDIS_URL: must be a redis:// or rediss:// URL with a host',
      );
    },
  );
});
