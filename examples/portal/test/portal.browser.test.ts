// The example portal in a real Chromium against the CLI's local n8n-compatible endpoint, on plain
// 127.0.0.1 ports: sign in as a demo user, see n8n signed in as that user inside the helper's frame,
// then open n8n in the whole window. (Host names and TLS: embed-helper.browser.test.ts.)
import { startDevServer } from '@n8n-embed/cli';
import {
  VECTOR_AUDIENCE,
  VECTOR_ISSUER,
  VECTOR_KEYS,
  VECTOR_TRUSTED_KEYS,
} from '@n8n-embed/protocol/vectors';
import { createLoginSigner } from '@n8n-embed/sdk';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPortal } from '../src/portal.js';
import { freePort } from './support/two-sites.js';

const CHROMIUM = '/usr/bin/chromium';
let browser: Browser;
let stops: (() => Promise<void>)[] = [];
let portalUrl = '';

beforeAll(async () => {
  const key = VECTOR_KEYS[0];
  if (!key) throw new Error('no vector key');
  const portalPort = await freePort();
  const dev = await startDevServer({
    port: 0,
    trustedKeys: VECTOR_TRUSTED_KEYS,
    audience: VECTOR_AUDIENCE,
    portalOrigins: [`http://127.0.0.1:${portalPort}`],
  });
  const signer = await createLoginSigner({
    privateKey: key.privateJwk,
    kid: key.kid,
    issuer: VECTOR_ISSUER,
    audience: VECTOR_AUDIENCE,
  });
  const portal = await startPortal({ signer, n8nUrl: dev.url, port: portalPort });
  portalUrl = portal.url;
  stops = [() => portal.close(), () => dev.close()];
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const stop of stops) await stop();
});

it('signs a portal user into n8n inside the iframe, then in the whole window', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(portalUrl);
  await page.getByRole('button', { name: 'Sign in as Ada Lovelace' }).click();
  await expect.poll(() => page.url()).toContain('/dashboard');
  const frame = page.frameLocator('#n8n iframe');
  await frame.getByText('ada@example.com').waitFor({ timeout: 15_000 });

  await page.getByRole('link', { name: 'Open n8n' }).click();
  await page.getByText('ada@example.com').waitFor({ timeout: 15_000 });
  expect(new URL(page.url()).origin).not.toBe(new URL(portalUrl).origin);
}, 60_000);

it('keeps two portal users apart', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(portalUrl);
  await page.getByRole('button', { name: 'Sign in as Grace Hopper' }).click();
  await page.frameLocator('#n8n iframe').getByText('grace@example.com').waitFor({ timeout: 15_000 });
  expect(await page.frameLocator('#n8n iframe').getByText('ada@example.com').count()).toBe(0);
}, 60_000);
