// Browser-test plumbing: Debian's chromium through playwright-core, an in-process server over a temporary
// store, and a watcher that records every request, console error, CSP violation and dialog of a page.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ensureWebBuilt } from '../../src/serve/build.js';
import { startServer } from '../../src/serve/server.js';
import type { Repository } from '../../src/store/repository.js';
import { REPO_ROOT } from './shared.js';
import { storeFrom } from './store.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const NO_CHROMIUM = existsSync(CHROMIUM) ? null : `needs a chromium binary at ${CHROMIUM} (Debian package "chromium"; or set CHROMIUM_PATH)`;
export const SHOTS_DIR = join(REPO_ROOT, 'test-output');

/** A store in a temporary directory holding the given article files (or every article in given directories). */
export function storeWith(paths: string[]): Repository {
  return storeFrom(...paths).repo;
}

export interface TestServer {
  url: string;
  repo: Repository;
  close(): Promise<void>;
}

/** Builds the web app if needed and serves it with the API on 127.0.0.1, on a free port. */
export async function serveStore(repo: Repository): Promise<TestServer> {
  const webRoot = await ensureWebBuilt({ quiet: true });
  const server = await startServer({ repo, host: '127.0.0.1', port: 0, webRoot });
  return {
    url: server.url,
    repo,
    close: async () => {
      await server.close();
      repo.close();
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface PageLog {
  requests: string[];
  consoleErrors: string[];
  cspViolations: string[];
  pageErrors: string[];
  dialogs: string[];
}

/** Records what a page does. Dialogs are dismissed (and recorded), so an alert() cannot block the test. */
export async function watch(context: BrowserContext, page: Page): Promise<PageLog> {
  const log: PageLog = { requests: [], consoleErrors: [], cspViolations: [], pageErrors: [], dialogs: [] };
  context.on('request', (r) => log.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text());
    if (/content security policy/i.test(m.text())) log.cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => log.pageErrors.push(e.message));
  page.on('dialog', (d) => {
    log.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  // the browser reports each CSP violation as an event too: keep them where the test can read them
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return log;
}

/** The hosts other than loopback that a list of request URLs reached (blob: URLs count by their origin). */
export function foreignHosts(urls: string[]): string[] {
  const bad = new Set<string>();
  for (const raw of urls) {
    if (raw.startsWith('data:')) continue;
    let host: string;
    try {
      const u = new URL(raw.startsWith('blob:') ? raw.slice(5) : raw);
      host = u.hostname;
    } catch {
      bad.add(raw);
      continue;
    }
    if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') bad.add(raw);
  }
  return [...bad];
}

export async function shot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, name);
  await page.screenshot({ path, fullPage });
  return path;
}
