// Browser tests of the web app in Debian's chromium (playwright-core): the map, filters, event page and
// roundup over the seed articles, phone width, WCAG AA contrast and focus indicators, keyboard-only use, map
// popups, and an article carrying script payloads; and over made-up articles (no ../shared needed): the event
// page's quotes, map and sources, the roundup of a day of action, filtered downloads, place names when zoomed in
// and the timeline's axes. Screenshots of each step go to test-output/ (git-ignored); those the README shows
// go to test-output/docs/, or to docs/screenshots/ (committed) with `npm run screenshots`.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { contrastAudit, DOC_SHOT_MAX_BYTES, docShot, focusProblem, foreignHosts, NO_CHROMIUM, openSession, shot, type BrowserSession, type PageLog, type TestServer } from './helpers/browser.js';
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
    // the seeds span about three months: the timeline counts by week, on a labelled axis
    await page.locator('.timeline-xtick').first().waitFor();
    assert.equal(await page.locator('.timeline').getAttribute('data-unit'), 'week');
    const ticks = await page.locator('.timeline-xtick').allTextContents();
    assert.ok(ticks.length >= 2 && /, 20\d\d$/.test(ticks[0]!), ticks.join(' | '));
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

  it("opens Los Angeles's event page from the list: the arrests value, its quotes each once, and no file's directory", async () => {
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
    // the row links to the quotes that gave it; those quotes are in the record's evidence for the arrests
    const expected = la.evidence.filter((e) => e.field === 'arrests').map((e) => e.quote);
    assert.ok(expected.length > 0, 'the record has evidence for its arrests');
    const targets = await row.locator('.from-quotes a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    assert.ok(targets.length > 0, 'the arrests row links to its quotes');
    for (const t of targets) {
      const q = ((await page.locator(`${t} blockquote`).textContent()) ?? '').trim();
      assert.ok(expected.includes(q), `quote not in the record's evidence for the arrests: ${q}`);
      assert.ok(((await page.locator(`${t} [data-supports="arrests"]`).count()) ?? 0) === 1, `${t} lists the arrests among what it gives`);
    }
    // each distinct quote once, though the record holds some sentences several times (captions, several fields)
    const shown = (await page.locator('.evidence-list blockquote').allTextContents()).map((q) => q.replace(/\s+/g, ' ').trim());
    const distinct = [...new Set(la.evidence.map((e) => e.quote.replace(/\s+/g, ' ').trim()))];
    assert.ok(la.evidence.length > distinct.length, 'the record repeats quotes (so the page has something to fold)');
    assert.equal(shown.length, new Set(shown).size, `a quote shown twice: ${shown.join(' | ')}`);
    assert.deepEqual([...shown].sort(), [...distinct].sort());
    // each quote names its source
    assert.match((await page.locator('.evidence-list figcaption').first().textContent()) ?? '', /\S/);
    // flags in plain words
    for (const f of la.flags) assert.ok(!(await page.locator(`[data-flag="${f}"]`).textContent())?.includes('_'), f);
    // the seed articles were read from files: the page names them, never the directory they are in
    const html = await page.content();
    for (const s of la.sources.filter((x) => x.file)) {
      const name = s.file!.split(/[\\/]/).pop()!;
      assert.ok(html.includes(name), `the page names the file ${name}`);
      assert.ok(!html.includes(`/${name}`) && !html.includes(`\\${name}`), `the page shows a directory of ${name}`);
    }
    assert.ok(!html.includes(SEEDS_DIR), 'the seeds directory appears in the page');
    await page.locator('.event-map .mini-map[data-rendered="true"]').waitFor({ timeout: 20_000 });
    await shot(page, '05-event-los-angeles.png');
  });

  it('shows the roundup for 2026-01-30 with places grouped by state', async () => {
    await page.goto(`${server.url}/roundup?date=2026-01-30`);
    const h1 = page.locator('h1#roundup-heading');
    await h1.waitFor();
    assert.match((await h1.textContent()) ?? '', /^\d+ demonstrations? in \d+ states?/);
    const california = page.locator('section.roundup-group', { has: page.locator('h3', { hasText: /^California$/ }) });
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
    const headings = await page.locator('section.roundup-group h3').allTextContents();
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
    await page.locator('.evidence-list blockquote').first().waitFor();
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
      { name: 'event', path: `/event/${la.id}`, ready: () => page.locator('.evidence-list blockquote').first().waitFor() },
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
    await page.locator('.evidence-list blockquote').first().waitFor();
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
    await page.locator('.evidence-list blockquote').first().waitFor();
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
      if (c.status === 'planned') assert.match(copiedLine, /\(planned(\)|; no report yet\))/);
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

// Made-up articles (written for these tests; the events are invented): a "Clean Water" day of action with a
// march two sources count differently, a rally planned for that day that no one reported afterwards, and a vigil
// two months earlier in another state. One article is a web page with its address, the others are text files.
const NEWSROOM: Record<string, string> = {
  'a-harbor-march.txt': `date 2026-03-09

Thousands march for clean water in Tacoma

Thousands of people marched through downtown Tacoma, Washington, on Saturday, March 7, 2026, as part of the "Clean Water" day of action, organizers said.

Police arrested 4 people during the march in Tacoma on Saturday.

Marchers cross the bridge in Tacoma during the "Clean Water" day of action.

Marchers cross the bridge in Tacoma during the "Clean Water" day of action.

In Olympia, Washington, dozens of people rallied outside the Capitol on Saturday as part of the "Clean Water" day of action.
`,
  'b-tacoma-count.html': `<!doctype html>
<html><head><meta charset="utf-8">
<title>Police count the Tacoma water march</title>
<link rel="canonical" href="https://news.example.org/2026/03/08/tacoma-water-march">
<meta property="og:site_name" content="Sound Example Ledger">
<meta property="article:published_time" content="2026-03-08">
</head><body><article>
<h1>Police count the Tacoma water march</h1>
<p>Police estimated that roughly 5,000 people took part in the march in Tacoma, Washington, on Saturday, March 7, 2026, to demand clean drinking water.</p>
</article></body></html>
`,
  'c-spokane-plans.txt': `date 2026-03-02

Rallies planned for clean water

Organizers plan to rally in Spokane, Washington, on Saturday, March 7, 2026, as part of the "Clean Water" day of action.
`,
  'd-boise-vigil.txt': `date 2026-01-12

Vigil for river cleanup in Boise

About 60 people held a candlelight vigil outside the Capitol in Boise, Idaho, on Saturday, January 10, 2026, to call for a cleanup of the river, organizers said.
`,
};
const ARTICLE_URL = 'https://news.example.org/2026/03/08/tacoma-water-march';

function newsroomArticles(): string {
  const dir = join(tempDir('turnout-newsroom-'), 'news');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(NEWSROOM)) writeFileSync(join(dir, name), text);
  return dir;
}

const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('web app: newsroom pages over made-up articles', { skip: NO_CHROMIUM ?? false }, () => {
  let server: TestServer;
  let context: BrowserContext;
  let page: Page;
  let log: PageLog;
  let session: BrowserSession;
  let dir: string;
  const byLocality = (name: string) => server.repo.listEvents().find((e) => e.locality === name)!;

  before(async () => {
    dir = newsroomArticles();
    session = await openSession([dir]);
    ({ server, context, page, log } = session);
  });

  after(() => session?.close());

  it('reads the made-up articles as written', () => {
    const got = server.repo
      .listEvents()
      .map((e) => `${e.locality} ${e.region} ${e.date} ${e.status} ${e.macroevent ?? '-'}`)
      .sort();
    assert.deepEqual(got, [
      'Boise ID 2026-01-10 occurred -',
      'Olympia WA 2026-03-07 occurred Clean Water',
      'Spokane WA 2026-03-07 planned -',
      'Tacoma WA 2026-03-07 occurred Clean Water',
    ]);
    const tacoma = byLocality('Tacoma');
    assert.deepEqual(tacoma.sources.map((s) => !!s.url).sort(), [false, true], 'one source from a file, one from a web address');
    assert.ok(sizeWordingCount(tacoma.size_text) === 2, `two crowd estimates: ${tacoma.size_text}`);
  });

  it('the event page shows each distinct quote once with what it gives marked, a map, linked sources, and no directory of a file', async () => {
    const e = byLocality('Tacoma');
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 812 });
      await page.goto(`${server.url}/event/${e.id}`);
      await page.locator('.evidence-list blockquote').first().waitFor();

      // each distinct quote once: the record holds a caption twice (and sentences under several fields)
      const quotes = (await page.locator('.evidence-list blockquote').allTextContents()).map(norm);
      const distinct = [...new Set(e.evidence.map((x) => norm(x.quote)))];
      assert.equal(e.evidence.filter((x) => x.field === 'locality' && x.quote.startsWith('Marchers cross the bridge')).length, 2, 'the record holds the repeated caption twice');
      assert.equal(quotes.length, new Set(quotes).size, `a quote shown twice: ${quotes.join(' | ')}`);
      assert.deepEqual([...quotes].sort(), [...distinct].sort());

      // beside each quote, every field it supports; in it, the words that gave the value
      for (const ev of e.evidence) {
        const card = page.locator('.quote-card', { has: page.locator('blockquote', { hasText: norm(ev.quote) }) });
        assert.equal(await card.locator(`[data-supports="${ev.field === 'size_text' ? 'size' : ev.field}"]`).count(), 1, `${ev.field} beside: ${ev.quote}`);
      }
      const marks = await page.locator('.evidence-list mark').evaluateAll((ms) => ms.map((m) => [m.getAttribute('data-fields') ?? '', (m.textContent ?? '').trim()]));
      const marked = (field: string, words: string) => marks.some(([f, t]) => f.split(' ').includes(field) && t === words);
      assert.ok(marked('size', 'roughly 5,000 people'), JSON.stringify(marks));
      assert.ok(marked('size', 'Thousands of people'), JSON.stringify(marks));
      assert.ok(marks.some(([f, t]) => f.includes('date') && t.includes('March 7, 2026')), JSON.stringify(marks));
      assert.ok(marked('arrests', '4') || marked('arrests', 'arrested'), JSON.stringify(marks));
      assert.ok(marked('locality', 'Tacoma'), JSON.stringify(marks));

      // plain words, not codes
      const size = norm(await page.locator('[data-field="size"] .value').textContent());
      assert.equal(size, '2,000 to 5,000 people (CCC: thousands; reported: roughly 5,000 people)');
      const main = norm(await page.locator('main').textContent());
      assert.doesNotMatch(main, /size category|size_cat|mean \d|sizes_disagree|single_source/);
      assert.match(norm(await page.locator('[data-field="confidence"] .value').textContent()), /^\d{1,3}% \((high|medium|low)\): .+; 2 sources\.$/);
      assert.equal(norm(await page.locator('[data-flag="sizes_disagree"]').textContent()), 'Sources disagree on the crowd size');
      assert.equal(norm(await page.locator('[data-field="arrests"] .value').textContent()), '4 people');

      // the two crowd estimates side by side, each with its source
      const cards = page.locator('.conflict-card');
      assert.equal(await cards.count(), 2);
      const counted = page.locator('.conflict-card', { hasText: 'roughly 5,000 people' });
      assert.equal(await counted.locator(`a[href="${ARTICLE_URL}"]`).count(), 1, 'the count is credited to the web article');
      assert.match(norm(await page.locator('.conflict-card', { hasText: 'Thousands of people' }).textContent()), /a-harbor-march\.txt/);
      const [b1, b2] = [(await cards.nth(0).boundingBox())!, (await cards.nth(1).boundingBox())!];
      if (width > 600) assert.ok(Math.abs(b1.y - b2.y) < 2 && b2.x > b1.x + b1.width - 1, 'the estimates stand side by side');

      // sources: the web article is a link with its title, outlet and date; the file is named by its name
      const src = page.locator('ol.sources li');
      assert.equal(await src.count(), 2);
      const web = page.locator('ol.sources li', { has: page.locator(`a[href="${ARTICLE_URL}"]`) });
      assert.equal(norm(await web.textContent()), 'Police count the Tacoma water march, Sound Example Ledger, Mar 8, 2026');
      assert.equal(norm(await page.locator('ol.sources li', { hasNot: page.locator('a') }).textContent()), 'Thousands march for clean water in Tacoma (file a-harbor-march.txt), Mar 9, 2026');

      // no directory of a file anywhere in the page's HTML
      const html = await page.content();
      assert.ok(!html.includes(dir), 'the articles directory appears in the page');
      for (const name of Object.keys(NEWSROOM)) assert.ok(!html.includes(`/${name}`) && !html.includes(`\\${name}`), `a path to ${name} appears in the page`);

      // a small map of the place
      await page.locator('.event-map .mini-map[data-rendered="true"]').waitFor({ timeout: 20_000 });
      const canvas = (await page.locator('.event-map .mini-map canvas').boundingBox())!;
      assert.ok(canvas.width > 200 && canvas.height > 150, `map ${canvas.width}x${canvas.height}`);

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the event page is ${overflow}px wider than the screen at ${width}px`);
      const report = await contrastAudit(page);
      assert.deepEqual(report.offenders, [], `event page contrast at ${width}px:\n${report.offenders.join('\n')}`);
      let bytes = await docShot(page, `event-${width > 600 ? 'desktop' : 'phone'}.png`);
      assert.ok(bytes < DOC_SHOT_MAX_BYTES, `screenshot of ${bytes} bytes`);
      bytes = await docShot(page, `event-quotes-${width > 600 ? 'desktop' : 'phone'}.png`, { element: '.evidence' });
      assert.ok(bytes < DOC_SHOT_MAX_BYTES, `screenshot of ${bytes} bytes`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('a planned event whose day has passed reads "planned for 7 March; no report yet"', async () => {
    const e = byLocality('Spokane');
    await page.goto(`${server.url}/event/${e.id}`);
    const banner = page.locator('.planned-banner');
    await banner.waitFor();
    assert.match(norm(await banner.textContent()), /^Planned for 7 March( 2026)?; no report yet\./);
    assert.match(norm(await page.locator('[data-field="status"] .value').textContent()), /^Planned for 7 March( 2026)?; no report yet$/);
  });

  it('the roundup of a day of action shows occurred and planned apart, counts by state, sizes summed and a map', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.goto(`${server.url}/roundup`);
    // the bare roundup goes to the latest day; then choose the day of action with the page's own controls
    await page.waitForURL(/\/roundup\?date=2026-03-07$/);
    await page.locator('h1#roundup-heading').waitFor();
    await page.getByLabel('A day of action').check();
    await page.locator('#r-macroevent option[value="Clean Water"]').waitFor({ state: 'attached' });
    await page.selectOption('#r-macroevent', 'Clean Water');
    await page.waitForURL(/\/roundup\?macroevent=Clean(\+|%20)Water$/);
    const h1 = page.locator('h1#roundup-heading');
    await h1.waitFor();
    // its events share one day: the heading gives it, the lines do not repeat it
    assert.equal(norm(await h1.locator(':scope > .subtitle').textContent()), 'Day of action: Clean Water · March 7, 2026');
    assert.equal(await page.locator('.rl-day').count(), 0);
    assert.match(norm(await h1.textContent()), /^2 demonstrations in 1 state, and 1 planned/);
    const occurred = await page.locator('section[data-part="occurred"] li .rl-locality').allTextContents();
    const planned = await page.locator('section[data-part="planned"] li .rl-locality').allTextContents();
    assert.deepEqual(occurred, ['Olympia', 'Tacoma']);
    assert.deepEqual(planned, ['Spokane']);
    assert.match(norm(await page.locator('section[data-part="planned"] li').textContent()), /Planned no report yet/);
    assert.equal(norm(await page.locator('.size-line').textContent()), 'At least 2,024 people in the 2 demonstrations that reported a size (up to 5,024 by the higher estimates).');
    const wa = (await page.locator('table[data-counts="state"] tr[data-key="WA"] td').allTextContents()).map(norm);
    assert.deepEqual(wa, ['2', '1', '2,024–5,024']);
    await page.locator('.roundup-map .mini-map[data-rendered="true"]').waitFor({ timeout: 20_000 });

    await page.getByRole('button', { name: 'Copy as text' }).click();
    await page.waitForFunction(() => /Cop/.test(document.querySelector('.roundup-actions [aria-live]')?.textContent ?? ''));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const lines = copied.split('\n');
    assert.equal(lines[0], '2 demonstrations in 1 state, and 1 planned');
    const plannedAt = lines.findIndex((l) => l.startsWith('PLANNED'));
    assert.ok(plannedAt > 0, copied);
    assert.ok(lines.findIndex((l) => l.startsWith('- Tacoma')) < plannedAt && lines.findIndex((l) => l.startsWith('- Spokane')) > plannedAt, copied);
    assert.doesNotMatch(copied, new RegExp(dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 812 });
      await page.locator('.roundup-map .mini-map[data-rendered="true"]').waitFor({ timeout: 20_000 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the roundup is ${overflow}px wider than the screen at ${width}px`);
      const report = await contrastAudit(page);
      assert.deepEqual(report.offenders, [], `roundup contrast at ${width}px:\n${report.offenders.join('\n')}`);
      const bytes = await docShot(page, `roundup-${width > 600 ? 'desktop' : 'phone'}.png`);
      assert.ok(bytes < DOC_SHOT_MAX_BYTES, `screenshot of ${bytes} bytes`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('the roundup of a date range counts every state and country of those days', async () => {
    await page.goto(`${server.url}/roundup?from=2026-01-01&to=2026-03-31`);
    const h1 = page.locator('h1#roundup-heading');
    await h1.waitFor();
    assert.match(norm(await h1.textContent()), /^3 demonstrations in 2 states, and 1 planned/);
    assert.deepEqual((await page.locator('table[data-counts="state"] tbody th').allTextContents()).map(norm), ['Washington', 'Idaho']);
    // over several days, each line gives its day
    assert.match(norm(await page.locator('li[data-region="ID"]').textContent()), /^Boise — January 10, 2026 — about 60 people/);
  });

  it('the counts of the map page count demonstrations, planned apart; its downloads return only the filtered events', async () => {
    await page.goto(`${server.url}/`);
    await waitForList(page, 4);
    await page.waitForFunction(() => !!document.querySelector('.summary-line strong'));
    assert.equal(norm(await page.locator('.summary-line strong').textContent()), '3 demonstrations in 2 states, and 1 planned');
    assert.match(norm(await page.locator('.list-count').textContent()), /^Showing 4 of 4: 3 demonstrations and 1 planned$/);

    // filter with the page's controls: Washington, occurred
    await page.waitForSelector('#f-region option[value="WA"]', { state: 'attached' });
    await page.selectOption('#f-region', 'WA');
    await page.waitForURL(/region=WA/);
    await page.selectOption('#f-status', 'occurred');
    await page.waitForURL(/status=occurred/);
    await waitForList(page, 2);
    await page.waitForFunction(() => /^2 demonstrations in 1 state$/.test(document.querySelector('.summary-line strong')?.textContent ?? ''));
    const wanted = server.repo
      .listEvents()
      .filter((e) => e.region === 'WA' && e.status === 'occurred')
      .map((e) => e.id)
      .sort();
    assert.equal(wanted.length, 2);

    const hrefs = {
      csv: await page.locator('.event-list-section a.dl-csv').getAttribute('href'),
      geojson: await page.locator('.event-list-section a.dl-geojson').getAttribute('href'),
      footerCsv: await page.locator('.site-footer a', { hasText: 'CSV' }).getAttribute('href'),
    };
    for (const h of Object.values(hrefs)) {
      const q = new URL(h!, server.url).searchParams;
      assert.equal(q.get('region'), 'WA', h!);
      assert.equal(q.get('status'), 'occurred', h!);
    }
    const geo = (await (await page.request.get(new URL(hrefs.geojson!, server.url).href)).json()) as { features: { id: string; properties: { region: string; status: string } }[] };
    assert.deepEqual(geo.features.map((f) => f.id).sort(), wanted);
    for (const href of [hrefs.csv!, hrefs.footerCsv!]) {
      const res = await page.request.get(new URL(href, server.url).href);
      assert.equal(res.status(), 200);
      const rows = parseCsv(await res.text());
      const header = rows[0]!;
      const data = rows.slice(1).filter((r) => r.length > 1);
      const at = (name: string) => header.indexOf(name);
      assert.ok(at('locality') >= 0 && at('state') >= 0, header.join(','));
      assert.deepEqual(data.map((r) => r[at('locality')]).sort(), ['Olympia', 'Tacoma']);
      assert.ok(data.every((r) => r[at('state')] === 'WA'), 'every row is in Washington');
    }
    // and the unfiltered link gives every event
    await page.goto(`${server.url}/`);
    await waitForList(page, 4);
    const all = (await (await page.request.get(new URL((await page.locator('a.dl-geojson').getAttribute('href'))!, server.url).href)).json()) as { features: unknown[] };
    assert.equal(all.features.length, 4);
  });

  it('names places as the map zooms in, offline from our gazetteer: at zoom 8 over a US state', async () => {
    await page.goto(`${server.url}/?test-hooks`);
    await waitForList(page, 4);
    await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
    type Hooks = { __turnoutMap: { jumpTo(lon: number, lat: number, z: number): Promise<void> } };
    const labelsAt = async (lon: number, lat: number, zoom: number) => {
      await page.evaluate(([x, y, z]) => (window as unknown as Hooks).__turnoutMap.jumpTo(x!, y!, z!), [lon, lat, zoom]);
      await page.waitForFunction(() => document.querySelectorAll('.map .place-label').length > 0, undefined, { timeout: 10_000 });
      const box = (await page.locator('.map').boundingBox())!;
      const labels = await page.locator('.map .place-label').evaluateAll((els) => els.map((el) => ({ text: el.textContent ?? '', r: el.getBoundingClientRect() })));
      for (const l of labels) {
        assert.ok(l.r.left >= box.x - 1 && l.r.right <= box.x + box.width + 1 && l.r.top >= box.y - 1 && l.r.bottom <= box.y + box.height + 1, `${l.text} is drawn outside the map`);
      }
      return labels.map((l) => l.text);
    };
    // over Washington state at zoom 8: its towns are named (Seattle has no event; Tacoma's name sits under its event)
    const near = await labelsAt(-122.4, 47.4, 8);
    assert.ok(near.length >= 5, `names at zoom 8: ${near.join(', ')}`);
    assert.ok(near.includes('Seattle') && near.includes('Tacoma'), `names at zoom 8: ${near.join(', ')}`);
    // zoomed out over the whole country, only the biggest cities: no town of Washington's size
    const far = await labelsAt(-97, 39, 3.6);
    assert.ok(!far.includes('Tacoma') && !far.includes('Olympia'), `names at zoom 3.6: ${far.join(', ')}`);
    await labelsAt(-122.4, 47.4, 8);
    const bytes = await docShot(page, 'map-zoom8-place-names.png', { element: '.map' });
    assert.ok(bytes < DOC_SHOT_MAX_BYTES, `screenshot of ${bytes} bytes`);
    // the names came from this server
    assert.ok(log.requests.some((u) => new URL(u).pathname === '/place-labels.json'));
  });

  it('the timeline has an axis with labelled date ticks and counts, and bars coloured by status', async () => {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 812 });
      await page.goto(`${server.url}/`);
      await waitForList(page, 4);
      await page.locator('.timeline-xtick').first().waitFor();
      // 10 January to 7 March: by day
      assert.equal(await page.locator('.timeline').getAttribute('data-unit'), 'day');
      const x = await page.locator('.timeline-xtick').evaluateAll((els) => els.map((el) => ({ text: el.textContent ?? '', left: el.getBoundingClientRect().left, right: el.getBoundingClientRect().right })));
      assert.ok(x.length >= 2, `x ticks: ${JSON.stringify(x)}`);
      assert.match(x[0]!.text, /^Jan 10, 2026$/);
      for (const t of x.slice(1)) assert.match(t.text, /^(Jan|Feb|Mar) \d{1,2}(, 2026)?$/);
      for (let i = 1; i < x.length; i++) assert.ok(x[i]!.left >= x[i - 1]!.right, `ticks overlap: ${x[i - 1]!.text} / ${x[i]!.text}`);
      const y = (await page.locator('.timeline-ytick').allTextContents()).map((t) => Number(t.replace(/,/g, '')));
      assert.ok(y.length >= 2 && y[0] === 0 && y.every((v, i) => i === 0 || v > y[i - 1]!), `y ticks: ${y.join(', ')}`);
      assert.ok(y.at(-1)! >= 3, 'the y axis reaches the busiest day (3 events on 7 March)');
      assert.equal(await page.locator('.timeline-svg .bar-planned').count(), 1, 'one planned bar (Spokane)');
      assert.equal(await page.locator('.timeline-svg .bar-occurred').count(), 2, 'two days with demonstrations');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the map page is ${overflow}px wider than the screen at ${width}px`);
      await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
      const report = await contrastAudit(page);
      assert.deepEqual(report.offenders, [], `map page contrast at ${width}px:\n${report.offenders.join('\n')}`);
      let bytes = await docShot(page, `map-${width > 600 ? 'desktop' : 'phone'}.png`);
      assert.ok(bytes < DOC_SHOT_MAX_BYTES, `screenshot of ${bytes} bytes`);
      if (width > 600) {
        bytes = await docShot(page, 'timeline.png', { element: '.timeline' });
        assert.ok(bytes < DOC_SHOT_MAX_BYTES, `screenshot of ${bytes} bytes`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('the legend is a set of toggles that show and hide each status on the map', async () => {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.map[data-rendered="true"]', { timeout: 20_000 });
    const planned = page.getByRole('button', { name: /^Planned/ });
    const mapped = async () => Number(await page.locator('.map').getAttribute('data-points'));
    assert.equal(await page.locator('.legend input[type="radio"]').count(), 0, 'no radio buttons in the legend');
    assert.equal(await planned.getAttribute('aria-pressed'), 'true');
    const before = await mapped();
    await planned.focus();
    await page.keyboard.press('Enter');
    assert.equal(await planned.getAttribute('aria-pressed'), 'false');
    await page.waitForFunction((n) => Number(document.querySelector('.map')?.getAttribute('data-points')) === n - 1, before);
    await page.keyboard.press('Space');
    assert.equal(await planned.getAttribute('aria-pressed'), 'true');
    await page.waitForFunction((n) => Number(document.querySelector('.map')?.getAttribute('data-points')) === n, before);
  });

  it('made no request outside localhost, no CSP violation and no console error', async () => {
    await assertClean(page, log);
  });
});

function sizeWordingCount(text: string | null): number {
  return (text ?? '').split(';').filter((s) => s.trim()).length;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
