// The message protocol: only n8n's exact origin and the helper's own frame window count, only in the
// known shapes; everything else is ignored.
import { describe, expect, it } from 'vitest';
import { isN8nPath, readMessage } from './messages.js';

const ORIGIN = 'https://n8n.example.com';
const frameWindow = { name: 'the frame' };
const otherWindow = { name: 'another frame' };
const login = { n8nEmbed: 1, type: 'login', channel: 'abc', ok: true, framed: true };
const read = (data: unknown, origin = ORIGIN, source: unknown = frameWindow) =>
  readMessage({ data, origin, source: source as MessageEventSource }, ORIGIN, frameWindow);

describe('origin and source', () => {
  it('accepts a message from n8n’s exact origin and the frame’s own window', () => {
    expect(read(login)).toEqual({
      type: 'login',
      channel: 'abc',
      ok: true,
      framed: true,
      cookies: true,
      help: [],
    });
  });
  it.each([
    'https://n8n.example.com.evil.test',
    'http://n8n.example.com',
    'https://n8n.example.com:444',
    'https://evil.test',
    'null',
    '',
  ])('ignores origin %j', (origin) => {
    expect(read(login, origin)).toBeUndefined();
  });
  it('ignores the right origin from another window (another helper’s frame, a popup)', () => {
    expect(read(login, ORIGIN, otherWindow)).toBeUndefined();
    expect(read(login, ORIGIN, null)).toBeUndefined();
  });
  it('ignores everything while the frame has no window', () => {
    expect(readMessage({ data: login, origin: ORIGIN, source: null }, ORIGIN, null)).toBeUndefined();
  });
});

describe('shapes', () => {
  it('reads a refused login with its reason, message and status', () => {
    expect(
      read({
        n8nEmbed: 1,
        type: 'login',
        channel: 'c',
        ok: false,
        reason: 'replayed',
        message: 'm',
        status: 401,
      }),
    ).toEqual({ type: 'login', channel: 'c', ok: false, reason: 'replayed', message: 'm', status: 401 });
  });
  it('reads cookies: false with the known strategies only, in order, at most four', () => {
    expect(
      read({ ...login, cookies: false, help: ['same-site', 'partitioned', 'storage-access', 'new-tab'] }),
    ).toMatchObject({ cookies: false, help: ['same-site', 'partitioned', 'storage-access', 'new-tab'] });
    expect(read({ ...login, cookies: false, help: ['reload', 7, 'new-tab', { x: 1 }] })).toMatchObject({
      cookies: false,
      help: ['new-tab'],
    });
    expect(read({ ...login, cookies: false, help: 'new-tab' })).toMatchObject({ cookies: false, help: [] });
    // Four entries at most: a fifth, even a known one, is not read.
    expect(read({ ...login, cookies: false, help: ['x', 'x', 'x', 'x', 'new-tab'] })).toMatchObject({
      help: [],
    });
    // An endpoint from before the cookie check: the cookie counts as usable.
    expect(read({ ...login, cookies: undefined })).toMatchObject({ cookies: true });
  });

  it('reads framed: false, and anything but false as framed', () => {
    expect(read({ ...login, framed: false })).toMatchObject({ framed: false });
    expect(read({ ...login, framed: undefined })).toMatchObject({ framed: true });
  });
  it('reads the bridge’s route and n8n’s own n8nReady', () => {
    expect(read({ n8nEmbed: 1, type: 'route', path: '/workflow/7?x=1', signedIn: true })).toEqual({
      type: 'route',
      path: '/workflow/7?x=1',
      signedIn: true,
    });
    expect(read(JSON.stringify({ command: 'n8nReady', version: '2.41.1' }))).toEqual({ type: 'n8n-ready' });
  });
  it.each([
    ['not an object', 42],
    ['null', null],
    ['no marker', { type: 'login', channel: 'c', ok: true }],
    ['another marker', { ...login, n8nEmbed: 2 }],
    ['unknown type', { n8nEmbed: 1, type: 'token', token: 'x' }],
    ['channel not a string', { ...login, channel: 5 }],
    ['channel too long', { ...login, channel: 'c'.repeat(3000) }],
    ['ok not a boolean', { ...login, ok: 'true' }],
    [
      'refusal without status',
      { n8nEmbed: 1, type: 'login', channel: 'c', ok: false, reason: 'r', message: 'm' },
    ],
    [
      'refusal with an object message',
      { n8nEmbed: 1, type: 'login', channel: 'c', ok: false, reason: 'r', message: {}, status: 401 },
    ],
    ['route without signedIn', { n8nEmbed: 1, type: 'route', path: '/' }],
    ['route to another site', { n8nEmbed: 1, type: 'route', path: '//evil.test/', signedIn: true }],
    ['route with a backslash', { n8nEmbed: 1, type: 'route', path: '/\\evil.test', signedIn: true }],
    ['a JSON string that is not n8nReady', JSON.stringify({ command: 'openWorkflow' })],
    ['a string mentioning n8nReady that is not JSON', 'n8nReady<'],
    ['a huge string', `{"command":"n8nReady","x":"${'x'.repeat(5000)}"}`],
  ])('ignores %s', (_name, data) => {
    expect(read(data)).toBeUndefined();
  });
  it('survives hostile objects (getters that throw are never called for other shapes)', () => {
    const hostile = Object.defineProperty({ n8nEmbed: 3 }, 'type', {
      get() {
        throw new Error('touched');
      },
    });
    expect(read(hostile)).toBeUndefined();
  });
});

describe('isN8nPath', () => {
  it.each(['/', '/workflow/7', '/home/workflows?x=1#y'])('accepts %j', (path) => {
    expect(isN8nPath(path)).toBe(true);
  });
  it.each([
    '',
    'workflow/7',
    '//evil.test',
    '/\\evil',
    'https://evil.test/',
    '/a\nb',
    42,
    '/'.padEnd(3000, 'a'),
  ])('refuses %j', (path) => {
    expect(isN8nPath(path)).toBe(false);
  });
});
