// Browser tests of the web app in Debian's chromium (playwright-core): the map, filters, event page and
// roundup over the seed articles, phone width, WCAG AA contrast and focus indicators, keyboard-only use, map
// popups, and an article carrying script payloads. Screenshots of each
// step go to test-output/ (git-ignored).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { contrastAudit, focusProblem, foreignHosts, NO_CHROMIUM, openSession, shot, type BrowserSession, type PageLog, type TestServer } from './helpers/browser.js';
import { PRECISION_CASES, precisionArticles, type PrecisionCase } from './helpers/precision.js';
import { NO_SHARED, SEEDS_DIR, tempDir } from './helpers/shared.js';

const CA = ['Los Angeles', 'Pasadena', 'San Francisco', 'Santa Monica'];

async function listedLocalities(page: Page): Promise<string[]> {
  return page.locator('.event-list li .ev-locality').allTextContents();
}

async function waitForList(page: Page, n: number): Promise<void> {
  await page.waitForFunction((count) => document.querySelectorAll('.event-list li').length === count && !document.querySelector('.event-list-section[aria-busy="true"]'), n, {
    timeout: 15_000,
  });
}

async function assertClean(page: Page, log: PageLog): Promise<void> {
  const csp = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
  assert.deepEqual(foreignHosts(log.requests), [], 'requests outside localhost');
  assert.deepEqual([...log.cspViolations, ...csp], [], 'CSP violations');
  assert.deepEqual(log.consoleErrors, [], 'console errors');
  assert.deepEqual(log.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(log.dialogs, [], 'dialogs');
}

describe('web app over the seed articles', { skip: NO_CHROMIUM ?? NO_SHARED ?? false }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let log: PageLog;

  let session: BrowserSession;

  before(async () => {
    session = await openSession([SEEDS_DIR]);
    ({ server, browser, context, page, log } = session);
  });

  after(() => session?.close());

  it('opens the map, and the list shows the 20 events', async () => {
    await page.goto(`${server.url}/`);
    await waitForList(page, 20);
    assert.match((await page.locator('.list-count').textContent()) ?? '', /Showing 20 of 20/);
    // the map draws the mapped events from the offline basemap
    await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
    const mapped = Number(await page.locator('.map').getAttribute('data-points'));
    assert.ok(mapped >= 19, `${mapped} events on the map`);
    await shot(page, '01-map.png');
  });

  it('filters to region CA with the Region control, in the URL: the four California events remain', async () => {
    await page.selectOption('#f-region', 'CA');
    await page.waitForURL(/[?&]region=CA(&|$)/);
    await waitForList(page, 4);
    assert.deepEqual((await listedLocalities(page)).sort(), CA);
    assert.equal(new URL(page.url()).searchParams.get('region'), 'CA');
    await shot(page, '02-region-ca.png');

    // the URL is a shareable link: loading it applies the filter
    await page.goto(`${server.url}/?region=CA`);
    await waitForList(page, 4);
    assert.equal(await page.locator('#f-region').inputValue(), 'CA');
    assert.deepEqual((await listedLocalities(page)).sort(), CA);
  });

  it('sets the date range from the keyboard inputs and by brushing the timeline', async () => {
    await page.goto(`${server.url}/`);
    await waitForList(page, 20);
    const expected = server.repo.listEvents().filter((e) => e.date === '2026-01-26').length;
    await page.fill('#f-from', '2026-01-26');
    await page.waitForURL(/from=2026-01-26/);
    await page.fill('#f-to', '2026-01-26');
    await page.waitForURL(/to=2026-01-26/);
    await waitForList(page, expected);
    await shot(page, '03-dates.png');

    await page.goto(`${server.url}/`);
    await waitForList(page, 20);
    await page.locator('.timeline-svg').scrollIntoViewIfNeeded();
    const box = (await page.locator('.timeline-svg').boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}.*to=\d{4}-\d{2}-\d{2}/);
    const dated = server.repo.listEvents().filter((e) => e.date).length;
    await waitForList(page, dated);
    await shot(page, '04-brushed.png');
  });

  it("opens Los Angeles's event page from the list and finds the arrests value with its quote", async () => {
    await page.goto(`${server.url}/?region=CA`);
    await waitForList(page, 4);
    await page.locator('.event-list a', { hasText: 'Los Angeles' }).click();
    await page.waitForURL(/\/event\/[^/]+$/);
    const la = server.repo.listEvents().find((e) => e.locality === 'Los Angeles' && e.region === 'CA')!;
    assert.ok(page.url().endsWith(`/event/${la.id}`));
    const row = page.locator('[data-field="arrests"]');
    await row.waitFor();
    const value = ((await row.locator('.value').textContent()) ?? '').trim();
    assert.ok(value && value !== 'Not reported', `arrests value: "${value}"`);
    assert.ok(value.includes(la.arrests != null ? String(la.arrests) : la.arrests_text!), value);
    const quotes = (await row.locator('blockquote').allTextContents()).map((q) => q.trim());
    const expected = la.evidence.filter((e) => e.field === 'arrests').map((e) => e.quote);
    assert.ok(expected.length > 0, 'the record has evidence for its arrests');
    assert.ok(quotes.length > 0, 'the arrests row shows a quote');
    for (const q of quotes) assert.ok(expected.includes(q), `quote not in the record's evidence: ${q}`);
    // each quote names its source
    assert.match((await row.locator('figcaption').first().textContent()) ?? '', /\S/);
    // flags in plain words
    for (const f of la.flags) assert.ok(!(await page.locator(`[data-flag="${f}"]`).textContent())?.includes('_'), f);
    await shot(page, '05-event-los-angeles.png');
  });

  it('shows the roundup for 2026-01-30 with places grouped by state', async () => {
    await page.goto(`${server.url}/roundup?date=2026-01-30`);
    const h1 = page.locator('h1#roundup-heading');
    await h1.waitFor();
    assert.match((await h1.textContent()) ?? '', /^\d+ demonstrations? in \d+ states?/);
    const california = page.locator('section.roundup-group', { has: page.locator('h2', { hasText: /^California$/ }) });
    assert.equal(await california.count(), 1);
    const lines = california.locator('li[data-region="CA"]');
    const text = await lines.allTextContents();
    assert.ok(
      text.some((t) => t.startsWith('Los Angeles')),
      text.join(' | '),
    );
    const day = server.repo.listEvents().filter((e) => e.date === '2026-01-30' && e.region === 'CA');
    assert.equal(await lines.count(), day.length);
    // every group is a section headed by its state or country
    const headings = await page.locator('section.roundup-group h2').allTextContents();
    assert.ok(headings.length >= 2 && headings.every((h) => !/^[A-Z]{2}$/.test(h)), headings.join(', '));
    await page.getByRole('button', { name: 'Copy as text' }).click();
    await page.waitForFunction(() => /Cop/.test(document.querySelector('.roundup-actions [aria-live]')?.textContent ?? ''));
    await shot(page, '06-roundup-2026-01-30.png');
  });

  it('works at phone width (375 px) without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${server.url}/`);
    await waitForList(page, 20);
    await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await shot(page, '07-phone-map.png', false);
    await shot(page, '08-phone-map-full.png');
    await page.locator('.event-list a', { hasText: 'Los Angeles' }).click();
    await page.locator('[data-field="arrests"] blockquote').first().waitFor();
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 0, 'event page fits the phone');
    await shot(page, '09-phone-event.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('is keyboard navigable: the first Tab reaches the skip link, then the nav', async () => {
    await page.goto(`${server.url}/`);
    await waitForList(page, 20);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Map');
  });

  it('meets WCAG AA text contrast on the map, an event page and the roundup, at 1280 and 375 px', async () => {
    const la = server.repo.listEvents().find((e) => e.locality === 'Los Angeles' && e.region === 'CA')!;
    const pages: { name: string; path: string; ready: () => Promise<unknown> }[] = [
      {
        name: 'map',
        path: '/',
        ready: async () => {
          await waitForList(page, 20);
          await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
          await page.waitForSelector('.timeline-svg');
        },
      },
      { name: 'event', path: `/event/${la.id}`, ready: () => page.locator('[data-field="arrests"] blockquote').first().waitFor() },
      { name: 'roundup', path: '/roundup?date=2026-01-30', ready: () => page.locator('li[data-region="CA"]').first().waitFor() },
    ];
    const offenders: string[] = [];
    let clusterCounts = 0;
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 812 });
      for (const p of pages) {
        await page.goto(`${server.url}${p.path}`);
        await p.ready();
        const report = await contrastAudit(page);
        assert.ok(report.checked >= 10, `${p.name} at ${width}px: only ${report.checked} text elements measured`);
        clusterCounts += report.clusterCounts;
        offenders.push(...report.offenders.map((o) => `${p.name} @${width}px: ${o}`));
        await shot(page, `12-contrast-${p.name}-${width}.png`, false);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.ok(clusterCounts > 0, 'the map drew cluster counts, measured against the cluster colours');
    assert.deepEqual(offenders, [], `text under WCAG AA contrast:\n${offenders.join('\n')}`);
  });

  it('shows a visible focus indicator on every Tab stop of the map, an event page and the roundup', async () => {
    const la = server.repo.listEvents().find((e) => e.locality === 'Los Angeles' && e.region === 'CA')!;
    const problems: string[] = [];
    for (const path of ['/', `/event/${la.id}`, '/roundup?date=2026-01-30']) {
      await page.goto(`${server.url}${path}`);
      if (path === '/') {
        await waitForList(page, 20);
        await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
      } else await page.locator('main h1').first().waitFor();
      const seen: string[] = [];
      // every stop until focus leaves the page or comes back to the first one
      for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const f = await focusProblem(page);
        if (!f || (seen.length > 0 && f.where === seen[0])) break;
        seen.push(f.where);
        if (f.problem) problems.push(`${path}: ${f.where}: ${f.problem}`);
      }
      assert.ok(seen.length >= 5, `${path}: only ${seen.length} Tab stops (${seen.join(', ')})`);
      if (path === '/') assert.ok(seen.length >= 20 + 8, `the map page's Tab stops reach the list: ${seen.length}`);
    }
    assert.deepEqual(problems, [], `focused elements without a visible focus indicator:\n${problems.join('\n')}`);
  });

  it('with the keyboard alone, filters the map to California and opens an event page from the list', async () => {
    await page.goto(`${server.url}/`);
    await waitForList(page, 20);
    // options are loaded from the stats API: wait for California to be one of them
    await page.waitForSelector('#f-region option[value="CA"]', { state: 'attached' });
    const focused = () => page.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent?.trim() ?? '' }));
    let steps = 0;
    while ((await focused()).id !== 'f-region') {
      assert.ok(++steps < 30, 'Tab never reached the Region filter');
      await page.keyboard.press('Tab');
    }
    // a closed select takes type-ahead: typing the state's name picks it
    await page.keyboard.type('California');
    await page.waitForURL(/[?&]region=CA(&|$)/);
    await waitForList(page, 4);
    assert.equal((await focused()).id, 'f-region', 'focus stays on the filter that was changed');
    assert.deepEqual((await listedLocalities(page)).sort(), CA);

    steps = 0;
    while ((await page.evaluate(() => document.activeElement?.closest('.event-list a')?.querySelector('.ev-locality')?.textContent)) !== 'Los Angeles') {
      assert.ok(++steps < 40, 'Tab never reached the Los Angeles entry of the list');
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/event\/[^/]+$/);
    const la = server.repo.listEvents().find((e) => e.locality === 'Los Angeles' && e.region === 'CA')!;
    assert.equal(new URL(page.url()).pathname, `/event/${encodeURIComponent(la.id)}`);
    await page.locator('[data-field="arrests"] blockquote').first().waitFor();
    assert.match((await page.locator('main h1').first().textContent()) ?? '', /Los Angeles/);
    // the keyboard user is taken to the new page's content, not left on a link that no longer exists
    const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
    assert.ok(inMain, `focus after opening the event page: ${await page.evaluate(() => document.activeElement?.tagName)}`);
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement?.closest('main')), 'the next Tab stays in the event page');
    await shot(page, '13-keyboard-event.png');
  });

  it('opens a popup for a clicked map point with its locality and a link to its event page, as text', async () => {
    const la = server.repo.listEvents().find((e) => e.locality === 'Los Angeles' && e.region === 'CA')!;
    assert.ok(la.lon != null && la.lat != null, 'Los Angeles is mapped');
    // the popup's events come from the API: put markup into the locality it receives, which must stay text
    const payload = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await page.route(/\/api\/events\?.*bbox=/, async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { events: { locality: string | null }[] };
      for (const e of body.events) e.locality = `${e.locality} ${payload}`;
      await route.fulfill({ response: res, json: body });
    });
    try {
      await page.goto(`${server.url}/?test-hooks`);
      await waitForList(page, 20);
      await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
      const popup = page.locator('.maplibregl-popup');
      // click where Los Angeles is drawn; a cluster zooms in instead, so click again where it is then
      for (let i = 0; i < 8 && !(await popup.count()); i++) {
        await page.evaluate(() => (window as unknown as { __turnoutMap: { whenIdle(): Promise<void> } }).__turnoutMap.whenIdle());
        const [x, y] = await page.evaluate(([lon, lat]) => (window as unknown as { __turnoutMap: { project(a: number, b: number): [number, number] } }).__turnoutMap.project(lon, lat), [la.lon!, la.lat!] as const);
        await page.mouse.click(x, y);
        await popup.waitFor({ timeout: 800 }).catch(() => undefined);
      }
      await popup.locator('a[href^="/event/"]').first().waitFor({ timeout: 5_000 });
      const text = (await popup.textContent()) ?? '';
      assert.ok(text.includes('Los Angeles'), text);
      assert.ok(text.includes(payload), `the markup in the locality is shown as text: ${text}`);
      const links = await popup.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(links.includes(`/event/${encodeURIComponent(la.id)}`), links.join(', '));
      const tags = await popup.evaluate((el) => [...new Set([...el.querySelectorAll('.popup *')].map((n) => n.tagName.toLowerCase()))].sort());
      assert.ok(
        tags.every((t) => ['a', 'li', 'p', 'ul'].includes(t)),
        `the popup holds only the elements it builds: ${tags.join(', ')}`,
      );
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
      const report = await contrastAudit(page);
      assert.deepEqual(report.offenders, [], `popup contrast:\n${report.offenders.join('\n')}`);
      await shot(page, '14-map-popup.png', false);
      await popup.locator(`a[href="/event/${encodeURIComponent(la.id)}"]`).click();
      await page.waitForURL(new RegExp(`/event/${encodeURIComponent(la.id)}$`));
      await page.locator('[data-field="arrests"]').waitFor();
    } finally {
      await page.unroute(/\/api\/events\?.*bbox=/);
    }
  });

  it('made no request outside localhost, no CSP violation and no console error', async () => {
    assert.ok(log.requests.length > 10, `${log.requests.length} requests recorded`);
    await assertClean(page, log);
  });
});

// An article whose text carries markup: everything from it must be shown as text and nothing may run.
const HOSTILE = `<!doctype html>
<html><head><meta charset="utf-8">
<title>Hundreds march in Duluth &lt;script&gt;alert(1)&lt;/script&gt;</title>
<meta property="article:published_time" content="2026-02-09">
<meta property="og:site_name" content="North Shore &lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt; Ledger">
</head><body><article>
<h1>Hundreds march in Duluth &lt;script&gt;alert(1)&lt;/script&gt;</h1>
<p>Hundreds of people marched in Duluth, Minnesota on Saturday, February 7, 2026, carrying signs that read &lt;img src=x onerror="window.__pwned=1"&gt; and &lt;script&gt;alert(1)&lt;/script&gt; to protest the closure of a public library. <script>window.__pwned = 2; alert(2)</script></p>
<p>Police arrested 3 people near the &lt;a href="javascript:alert(1)"&gt;Aerial Lift Bridge&lt;/a&gt; during the march in Duluth, Minnesota, and organizers from the Library Defense &lt;b onmouseover=alert(1)&gt;Coalition&lt;/b&gt; said more rallies would follow. See <a href="javascript:alert(1)">javascript:alert(1)</a> for details.</p>
<p><img src=x onerror="window.__pwned=3">A photo caption of the protest in Duluth.</p>
</article></body></html>
`;

describe('web app and an article carrying script payloads', { skip: NO_CHROMIUM ?? false }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let log: PageLog;

  let session: BrowserSession;

  before(async () => {
    const file = join(tempDir('turnout-hostile-'), 'duluth.html');
    writeFileSync(file, HOSTILE);
    session = await openSession([file]);
    ({ server, browser, context, page, log } = session);
  });

  after(() => session?.close());

  async function assertInert(): Promise<void> {
    const found = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: unknown }).__pwned,
      img: document.querySelectorAll('img[src="x"], img[onerror]').length,
      js: document.querySelectorAll('a[href^="javascript:" i], [href^="javascript:" i]').length,
      handlers: document.querySelectorAll('[onerror], [onmouseover], [onclick], [onload]').length,
      inlineScripts: document.querySelectorAll('script:not([src])').length,
      bold: document.querySelectorAll('#main b').length,
    }));
    assert.deepEqual(found, { pwned: undefined, img: 0, js: 0, handlers: 0, inlineScripts: 0, bold: 0 });
    assert.deepEqual(log.dialogs, [], 'no dialog opened');
  }

  it('lists the event, and its page shows the payloads as text without running them', async () => {
    const [event] = server.repo.listEvents();
    assert.ok(event, 'the hostile article yields an event');
    assert.ok(
      event.evidence.some((e) => e.quote.includes('<img src=x onerror=')),
      'the payload reached the stored quotes (so the page has to escape it)',
    );

    await page.goto(`${server.url}/`);
    await waitForList(page, 1);
    await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
    await assertInert();

    await page.locator('.event-list a').first().click();
    await page.locator('[data-field="arrests"] blockquote').first().waitFor();
    await page.waitForTimeout(300);
    await assertInert();
    const quotes = (await page.locator('blockquote').allTextContents()).join('\n');
    assert.ok(quotes.includes('<img src=x onerror="window.__pwned=1">'), 'the img payload is shown as text');
    assert.ok(quotes.includes('<a href="javascript:alert(1)">'), 'the link payload is shown as text');
    await shot(page, '10-hostile-event.png');

    await page.goto(`${server.url}/roundup?date=${event.date}`);
    await page.locator('li[data-region="MN"]').first().waitFor();
    await assertInert();
    await shot(page, '11-hostile-roundup.png');

    await page.goto(`${server.url}/?q=${encodeURIComponent('<script>alert(1)</script>')}`);
    await page.waitForFunction(() => !document.querySelector('.event-list-section[aria-busy="true"]'));
    await assertInert();
  });

  it('made no request outside localhost and nothing was blocked by the CSP', async () => {
    await assertClean(page, log);
  });
});

// Made-up articles whose events are known only to the month or the week (and one to the day): every place a
// date shows says "January 2026" or "week of 19 January 2026", never a made-up day such as "Jan 1, 2026".
describe('web app: dates shown at their precision', { skip: NO_CHROMIUM ?? false }, () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let log: PageLog;
  let session: BrowserSession;
  const MADE_UP_DAYS = /Jan(uary)? 1, 2026|Jan(uary)? 19, 2026|Feb(ruary)? 1, 2026/;

  const eventOf = (c: PrecisionCase) => server.repo.listEvents().find((e) => e.locality === c.locality)!;
  const byLocality = (name: string) => PRECISION_CASES.find((c) => c.locality === name)!;

  before(async () => {
    session = await openSession([precisionArticles()]);
    ({ server, context, page, log } = session);
  });

  after(() => session?.close());

  it('reads the made-up articles at the precision they give', () => {
    for (const c of PRECISION_CASES) {
      const e = eventOf(c);
      assert.deepEqual(e && [e.date, e.date_precision, e.status], [c.date, c.precision, c.status], `the pipeline's reading of ${c.file}`);
    }
  });

  it('the list shows the month, the week, and the day as before; the planned one still says Planned', async () => {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 812 });
      await page.goto(`${server.url}/`);
      await waitForList(page, PRECISION_CASES.length);
      for (const c of PRECISION_CASES) {
        const item = page.locator('.event-list li', { has: page.locator('.ev-locality', { hasText: c.locality }) });
        const shown = ((await item.locator('.ev-date').textContent()) ?? '').trim();
        assert.equal(shown, c.precision === 'day' ? 'Jan 28, 2026' : c.shown, c.locality);
        assert.equal(((await item.locator('.status').textContent()) ?? '').trim(), c.status === 'planned' ? 'Planned' : 'Occurred', c.locality);
      }
      assert.doesNotMatch((await page.locator('.event-list').textContent()) ?? '', MADE_UP_DAYS);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the list is ${overflow}px wider than the screen at ${width}px`);
      const report = await contrastAudit(page);
      assert.deepEqual(report.offenders, [], `list contrast at ${width}px:\n${report.offenders.join('\n')}`);
      await shot(page, `15-precision-list-${width}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("each event page's heading, Date row and title read at the date's precision", async () => {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 812 });
      for (const c of PRECISION_CASES) {
        const e = eventOf(c);
        await page.goto(`${server.url}/event/${e.id}`);
        await page.locator('[data-field="date"]').waitFor();
        assert.equal(((await page.locator('main h1 .subtitle').textContent()) ?? '').trim(), c.shown, c.locality);
        const row = ((await page.locator('[data-field="date"] .value').textContent()) ?? '').trim();
        assert.ok(row.startsWith(c.shown), `${c.locality} Date row: ${row}`);
        if (c.precision !== 'day') assert.match(row, new RegExp(`only the ${c.precision}`));
        await page.waitForFunction((shown) => document.title.includes(shown), c.shown);
        assert.equal(await page.locator('.planned-banner').count(), c.status === 'planned' ? 1 : 0, `${c.locality}: planned banner`);
        assert.doesNotMatch((await page.locator('main').textContent()) ?? '', MADE_UP_DAYS, c.locality);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${c.locality}'s page is ${overflow}px wider than the screen at ${width}px`);
        const report = await contrastAudit(page);
        assert.deepEqual(report.offenders, [], `${c.locality} page contrast at ${width}px:\n${report.offenders.join('\n')}`);
      }
      await shot(page, `16-precision-event-${width}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("the map popup of a month-precision event says the month", async () => {
    const c = byLocality('Peoria');
    const e = eventOf(c);
    assert.ok(e.lon != null && e.lat != null, 'Peoria is mapped');
    await page.goto(`${server.url}/?test-hooks`);
    await waitForList(page, PRECISION_CASES.length);
    await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
    const popup = page.locator('.maplibregl-popup');
    for (let i = 0; i < 8 && !(await popup.count()); i++) {
      await page.evaluate(() => (window as unknown as { __turnoutMap: { whenIdle(): Promise<void> } }).__turnoutMap.whenIdle());
      const [x, y] = await page.evaluate(([lon, lat]) => (window as unknown as { __turnoutMap: { project(a: number, b: number): [number, number] } }).__turnoutMap.project(lon, lat), [e.lon!, e.lat!] as const);
      await page.mouse.click(x, y);
      await popup.waitFor({ timeout: 800 }).catch(() => undefined);
    }
    await popup.locator('a[href^="/event/"]').first().waitFor({ timeout: 5_000 });
    const text = (await popup.textContent()) ?? '';
    assert.ok(text.includes('Peoria') && text.includes(`${c.shown} · Occurred`), text);
    assert.doesNotMatch(text, MADE_UP_DAYS);
    await shot(page, '17-precision-popup.png', false);
  });

  it('the roundup and its "Copy as text" give the month or week of a line that has no day', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    for (const c of PRECISION_CASES) {
      await page.goto(`${server.url}/roundup?date=${c.date}`);
      const line = page.locator('section.roundup-group li', { has: page.locator('.rl-locality', { hasText: c.locality }) });
      await line.waitFor();
      const shown = ((await line.textContent()) ?? '').trim();
      if (c.precision === 'day') assert.equal(await line.locator('.rl-date').count(), 0, shown);
      else assert.equal(((await line.locator('.rl-date').textContent()) ?? '').trim(), `— ${c.shown}`, shown);
      if (c.status === 'planned') assert.match(shown, /Planned/);
      await page.getByRole('button', { name: 'Copy as text' }).click();
      await page.waitForFunction(() => /Cop/.test(document.querySelector('.roundup-actions [aria-live]')?.textContent ?? ''));
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const copiedLine = copied.split('\n').find((l) => l.startsWith(`- ${c.locality}`)) ?? '';
      if (c.precision !== 'day') assert.ok(copiedLine.includes(` — ${c.shown} — `), `copied: ${copied}`);
      if (c.status === 'planned') assert.match(copiedLine, /\(planned\)/);
      assert.doesNotMatch(copiedLine, MADE_UP_DAYS);
      if (c.locality === 'Peoria') {
        const report = await contrastAudit(page);
        assert.deepEqual(report.offenders, [], `roundup contrast:\n${report.offenders.join('\n')}`);
        await shot(page, '18-precision-roundup.png');
      }
    }
  });

  it('made no request outside localhost, no CSP violation and no console error', async () => {
    await assertClean(page, log);
  });
});
