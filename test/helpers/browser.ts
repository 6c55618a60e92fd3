// Browser-test plumbing: Debian's chromium through playwright-core, an in-process server over a temporary
// store, and a watcher that records every request, console error, CSP violation and dialog of a page.
import { existsSync, mkdirSync, statSync } from 'node:fs';
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
/**
 * The README's screenshots, made by the browser tests: into docs/screenshots (committed) when TURNOUT_DOC_SHOTS=1
 * (`npm run screenshots`), else beside the other screenshots in test-output/docs, so a test run leaves the tree as it was.
 */
export const DOC_SHOTS_DIR = process.env.TURNOUT_DOC_SHOTS === '1' ? join(REPO_ROOT, 'docs', 'screenshots') : join(SHOTS_DIR, 'docs');
/** Largest size of a committed screenshot. */
export const DOC_SHOT_MAX_BYTES = 200 * 1024;

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

/**
 * A screenshot for the README (DOC_SHOTS_DIR/NAME): what the screen shows (the viewport, or one element), so it
 * stays small. Resolves to its size in bytes.
 */
export async function docShot(page: Page, name: string, opts: { element?: string; fullPage?: boolean } = {}): Promise<number> {
  mkdirSync(DOC_SHOTS_DIR, { recursive: true });
  const path = join(DOC_SHOTS_DIR, name);
  // let the map's last frame and the place names settle
  await page.waitForTimeout(300);
  if (opts.element) await page.locator(opts.element).first().screenshot({ path });
  else await page.screenshot({ path, fullPage: opts.fullPage ?? false });
  return statSync(path).size;
}

// ---- WCAG 2.x contrast -------------------------------------------------------------------------------------

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Parses a computed colour ("rgb(1, 2, 3)", "rgba(1, 2, 3, 0.5)", "transparent"); null for anything else. */
export function parseColor(css: string): Rgba | null {
  const s = css.trim();
  if (s === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(s);
  if (!m) return null;
  const a = m[4] == null ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
  return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a };
}

/** `top` painted over an opaque `bottom`. */
export function blend(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a;
  return { r: top.r * a + bottom.r * (1 - a), g: top.g * a + bottom.g * (1 - a), b: top.b * a + bottom.b * (1 - a), a: 1 };
}

/** WCAG 2.x relative luminance of an opaque sRGB colour. */
export function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const x = v / 255;
    return x <= 0.04045 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const show = (c: Rgba) => `rgb(${Math.round(c.r)},${Math.round(c.g)},${Math.round(c.b)})`;

/** Composites background layers (topmost first, as collected walking up the tree) over the white canvas. */
function effectiveBackground(layers: string[]): Rgba {
  let bg = WHITE;
  for (const css of [...layers].reverse()) {
    const c = parseColor(css);
    if (c && c.a > 0) bg = blend(c, bg);
  }
  return bg;
}

interface TextSample {
  where: string;
  text: string;
  color: string;
  layers: string[];
  overMap: boolean;
  image: boolean;
  opacity: number;
  fontSize: number;
  fontWeight: number;
  disabled: boolean;
  clusterCount: boolean;
}

// Runs in the page. A string, not a function: tsx wraps named inner functions in a helper the page lacks.
// For each rendered element that directly holds text (and each text field or select, by its shown value or
// placeholder), the text colour and the background colours met walking up the tree until an opaque one.
const COLLECT_TEXT = `(() => {
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'option', 'optgroup', 'title', 'desc', 'head']);
  const NO_TEXT_INPUT = new Set(['hidden', 'checkbox', 'radio', 'range', 'color', 'file', 'image']);
  const alpha = (css) => {
    if (css === 'transparent') return 0;
    const m = /rgba\\([^)]*[,/]\\s*([\\d.]+)\\s*\\)/.exec(css);
    return m ? Number(m[1]) : 1;
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const tag = el.tagName.toLowerCase();
    if (SKIP.has(tag)) continue;
    const inSvg = el instanceof SVGElement;
    if (inSvg && tag !== 'text' && tag !== 'tspan') continue;
    const control = tag === 'input' || tag === 'select' || tag === 'textarea';
    if (control && NO_TEXT_INPUT.has(el.type)) continue;
    let text = '';
    if (control) text = tag === 'select' ? (el.selectedOptions[0] ? el.selectedOptions[0].textContent : '') : el.value || el.placeholder || '';
    else for (const n of el.childNodes) if (n.nodeType === 3) text += n.textContent;
    text = text.replace(/\\s+/g, ' ').trim();
    if (!text) continue;
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) continue; // visually hidden (screen-reader text)
    const cs = getComputedStyle(el);
    const placeholder = control && tag !== 'select' && !el.value && el.placeholder;
    const color = placeholder ? getComputedStyle(el, '::placeholder').color : inSvg ? cs.fill : cs.color;
    const layers = [];
    let overMap = false;
    let image = false;
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) {
      const s = n === el ? cs : getComputedStyle(n);
      if (n.classList.contains('maplibregl-map')) { overMap = true; break; }
      opacity *= Number(s.opacity);
      if (s.backgroundImage !== 'none') image = true;
      layers.push(s.backgroundColor);
      if (alpha(s.backgroundColor) >= 1) break;
    }
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    out.push({
      where: tag + (el.id ? '#' + el.id : '') + cls,
      text: text.slice(0, 50),
      color,
      layers,
      overMap,
      image,
      opacity,
      fontSize: parseFloat(cs.fontSize),
      fontWeight: Number(cs.fontWeight) || 400,
      disabled: !!el.closest(':disabled'),
      clusterCount: el.classList.contains('cluster-count'),
    });
  }
  return out;
})()`;

export interface ContrastReport {
  /** text elements measured */
  checked: number;
  /** "where "text": ratio (needs N) fg on bg" for each one under the threshold or unmeasurable */
  offenders: string[];
  /** disabled controls (WCAG 1.4.3 exempts inactive components), not measured */
  exempt: string[];
  /** cluster counts over the map canvas, measured against the cluster circle colours instead */
  clusterCounts: number;
}

/**
 * WCAG 2.x AA text contrast of everything shown on the page: 4.5:1, or 3:1 for large text (24 px, or 18.66 px
 * bold). Text over the map canvas has no DOM background: it fails unless it is a cluster count, which is
 * measured against every cluster circle colour (the legend's swatches, at the layer's 0.92 opacity over white,
 * the lightest thing under a circle) with its own colour.
 */
export async function contrastAudit(page: Page): Promise<ContrastReport> {
  const samples = (await page.evaluate(COLLECT_TEXT)) as TextSample[];
  const circles = (await page.evaluate(`[...document.querySelectorAll('.legend .swatch')].map((s) => getComputedStyle(s).backgroundColor)`)) as string[];
  const report: ContrastReport = { checked: 0, offenders: [], exempt: [], clusterCounts: 0 };
  for (const s of samples) {
    const label = `${s.where} "${s.text}"`;
    if (s.disabled) {
      report.exempt.push(label);
      continue;
    }
    const large = s.fontSize >= 24 || (s.fontSize >= 18.66 && s.fontWeight >= 700);
    const need = large ? 3 : 4.5;
    const fg0 = parseColor(s.color);
    if (!fg0) {
      report.offenders.push(`${label}: unreadable colour ${s.color}`);
      continue;
    }
    const fgOver = (bg: Rgba) => blend({ ...fg0, a: fg0.a * s.opacity }, bg);
    if (s.overMap) {
      if (!s.clusterCount) {
        report.offenders.push(`${label}: over the map canvas without a solid background`);
        continue;
      }
      report.clusterCounts++;
      if (circles.length === 0) report.offenders.push(`${label}: no legend swatches to measure the cluster colours by`);
      for (const css of circles) {
        const circle = parseColor(css);
        if (!circle) continue;
        const bg = blend({ ...circle, a: 0.92 }, WHITE);
        const ratio = contrastRatio(fgOver(bg), bg);
        if (ratio < need) report.offenders.push(`${label}: ${ratio.toFixed(2)}:1 (needs ${need}) ${s.color} on cluster ${show(bg)}`);
      }
      continue;
    }
    report.checked++;
    if (s.image) {
      report.offenders.push(`${label}: text over a background image, contrast cannot be measured`);
      continue;
    }
    const bg = effectiveBackground(s.layers);
    const ratio = contrastRatio(fgOver(bg), bg);
    if (ratio < need) report.offenders.push(`${label}: ${ratio.toFixed(2)}:1 (needs ${need}) ${show(fgOver(bg))} on ${show(bg)}`);
  }
  return report;
}

// Runs in the page: the focused element's outline and box-shadow, whether an overflow-clipping ancestor hides
// the whole outline, and the background behind it.
const COLLECT_FOCUS = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const width = parseFloat(s.outlineWidth) || 0;
  const offset = parseFloat(s.outlineOffset) || 0;
  let clipped = false;
  if (s.outlineStyle !== 'none' && width > 0 && offset + width > 0) {
    // the outline lies between the box grown by the offset and grown by offset + width
    const inner = { l: r.left - offset, t: r.top - offset, r: r.right + offset, b: r.bottom + offset };
    for (let n = el.parentElement; n; n = n.parentElement) {
      const ns = getComputedStyle(n);
      if (ns.overflowX === 'visible' && ns.overflowY === 'visible') continue;
      const c = n.getBoundingClientRect();
      if (c.left >= inner.l - 0.5 && c.right <= inner.r + 0.5 && c.top >= inner.t - 0.5 && c.bottom <= inner.b + 0.5) clipped = true;
    }
  }
  const layers = [];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    layers.push(bg);
    if (bg.startsWith('rgb(')) break;
  }
  const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
  return {
    where: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + (text ? ' "' + text + '"' : ''),
    outlineStyle: s.outlineStyle,
    outlineWidth: width,
    outlineColor: s.outlineColor,
    boxShadow: s.boxShadow,
    clipped,
    layers,
  };
})()`;

interface FocusSample {
  where: string;
  outlineStyle: string;
  outlineWidth: number;
  outlineColor: string;
  boxShadow: string;
  clipped: boolean;
  layers: string[];
}

/**
 * The focus indicator of the focused element: null when it is visible (an outline that is not clipped away,
 * or a box-shadow) in a colour at 3:1 against the background around it (WCAG 1.4.11); else what is wrong.
 */
export async function focusProblem(page: Page): Promise<{ where: string; problem: string | null } | null> {
  const f = (await page.evaluate(COLLECT_FOCUS)) as FocusSample | null;
  if (!f) return null;
  const bg = effectiveBackground(f.layers);
  const outline = f.outlineStyle !== 'none' && f.outlineWidth > 0;
  if (outline && !f.clipped) {
    if (f.outlineStyle === 'auto') return { where: f.where, problem: null };
    const c = parseColor(f.outlineColor);
    const ratio = c ? contrastRatio(blend(c, bg), bg) : 0;
    return { where: f.where, problem: ratio >= 3 ? null : `outline ${f.outlineColor} is ${ratio.toFixed(2)}:1 against ${show(bg)}` };
  }
  if (f.boxShadow !== 'none') {
    const m = /rgba?\([^)]*\)/.exec(f.boxShadow);
    const c = m ? parseColor(m[0]) : null;
    const ratio = c ? contrastRatio(blend(c, bg), bg) : 0;
    return { where: f.where, problem: ratio >= 3 ? null : `box-shadow ${f.boxShadow} is ${ratio.toFixed(2)}:1 against ${show(bg)}` };
  }
  return { where: f.where, problem: outline ? 'its outline is clipped away by an overflow:hidden ancestor' : 'no outline and no box-shadow' };
}

export interface BrowserSession {
  server: TestServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  log: PageLog;
  close(): Promise<void>;
}

/** A server over a new store of these articles, and a chromium page (1280 x 900) on it that logs what it does. */
export async function openSession(paths: string[]): Promise<BrowserSession> {
  const server = await serveStore(storeWith(paths));
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const log = await watch(context, page);
  return {
    server,
    browser,
    context,
    page,
    log,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
