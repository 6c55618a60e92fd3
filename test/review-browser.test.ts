// Browser acceptance test of issue 10 (chromium, keyboard only): an editor logs in, works the review queue of
// the seed store (verifies one event, corrects a crowd size with a reason, rejects one, merges two, splits one,
// meets a stale revision), undoes the merge from the event's history, checks that the event pages and their
// history show every step, and logs out; a viewer is told the queue needs an editor, and a rate-limited login
// says how long to wait. Needs ../shared (the seed articles) and a chromium binary.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { focusProblem, foreignHosts, NO_CHROMIUM, openSession, shot, type BrowserSession } from './helpers/browser.js';
import { NO_SHARED, SEEDS_DIR } from './helpers/shared.js';

type Json = any;

const EDITOR = 'tess-editor';
const PASSWORD = 'a long enough password for the browser test';

/** Presses Tab until `test` holds for the focused element (run in the page); fails after `max` presses. */
async function tabTo(page: Page, what: string, test: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate(`(() => { const el = document.activeElement; return !!el && (${test}); })()`)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${what}`);
}

/** GET a JSON API path with the page's session (the browser's cookie), following redirects. */
async function apiGet(page: Page, path: string): Promise<{ status: number; body: Json; url: string }> {
  return page.evaluate(async (p) => {
    // no-store: a merged id's 301 must not be answered from the cache after the merge is undone
    const res = await fetch(p, { headers: { accept: 'application/json' }, cache: 'no-store' });
    return { status: res.status, body: await res.json().catch(() => null), url: res.url };
  }, path);
}

/** The id of the queue item in focus. */
const shownId = (page: Page) => page.locator('.queue-item').getAttribute('data-event-id');

/** Waits until the item with this id is in the page's queue, the queue's item is focused, and no form is open. */
async function queueReady(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('dialog[open]') && document.activeElement?.classList.contains('queue-item'), undefined, { timeout: 15_000 });
}

/** Moves the focus with j and k (nothing else) to the queue item `id`. */
async function goToItem(page: Page, id: string): Promise<void> {
  await queueReady(page);
  for (let i = 0; i < 60; i++) {
    const ids = await page.locator('.queue-list li').evaluateAll((ls) => ls.map((l) => l.getAttribute('data-event-id')));
    const at = ids.indexOf(await shownId(page));
    const want = ids.indexOf(id);
    assert.ok(want >= 0, `event ${id} is not on the queue's page (${ids.join(', ')})`);
    if (at === want) return;
    await page.keyboard.press(want > at ? 'j' : 'k');
    // every key moves the focus, even one pressed while the page re-renders after an action
    await page.waitForFunction((x) => document.querySelector('.queue-item')?.getAttribute('data-event-id') !== x, ids[at], { timeout: 5_000 });
  }
  assert.fail(`j and k never reached ${id}`);
}

/** Waits for the review page's status line to say something matching `re`. */
async function status(page: Page, re: RegExp): Promise<string> {
  const line = page.locator('.review-page .status-line');
  await page.waitForFunction((src) => new RegExp(src).test(document.querySelector('.review-page .status-line')?.textContent ?? ''), re.source, { timeout: 15_000 });
  return (await line.textContent()) ?? '';
}

/** Selects the focused field's text and types over it. */
async function typeOver(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** The history of an event as the API serves it. */
async function history(page: Page, id: string): Promise<Json[]> {
  const h = await apiGet(page, `/api/events/${id}/history`);
  assert.equal(h.status, 200, `history of ${id}: ${JSON.stringify(h.body)}`);
  return h.body.history;
}

describe('the review queue in the browser, keyboard only (issue 10 acceptance)', { skip: NO_CHROMIUM ?? NO_SHARED ?? false }, () => {
  let session: BrowserSession;
  let page: Page;
  let url: string;
  let token: string;
  // the events the test works on, chosen from the queue's first page
  const pick: { verify?: string; edit?: string; reject?: string; merge?: string; mergeWith?: string; split?: string; splitMentions?: number } = {};
  let sizeBefore: { low: number | null; high: number | null };

  before(async () => {
    session = await openSession([SEEDS_DIR]);
    ({ page } = session);
    url = session.server.url;
    session.server.repo.accounts().addUser(EDITOR, 'editor', PASSWORD);
    token = session.server.repo.accounts().createToken(EDITOR);
  });
  after(() => session?.close());

  it('sends an anonymous visitor of /review to the login page, says when the password is wrong, and logs the editor in', async () => {
    await page.goto(`${url}/review`);
    await page.waitForURL(/\/login\?next=%2Freview$/);
    await page.locator('#login-name').waitFor();
    await tabTo(page, 'the user name field', "el.id === 'login-name'");
    await page.keyboard.type(EDITOR);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Enter');
    await page.locator('.login-error:not([hidden])').waitFor();
    assert.match((await page.locator('.login-error').textContent()) ?? '', /name or the password is wrong/);
    // the password field is cleared and focused for another try
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-password');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/review$/);
    await queueReady(page);
    const account = (await page.locator('.account').textContent()) ?? '';
    assert.ok(account.includes(EDITOR) && account.includes('editor'), account);
    assert.ok(await page.locator('nav a[href="/review"][aria-current="page"]').count(), 'the nav links the review page');
    await shot(page, 'review-01-queue.png');
  });

  it('shows each field of the item in focus beside its quote and source, the reasons, and the suggestions', async () => {
    const queue = await apiGet(page, '/api/review/queue');
    assert.equal(queue.status, 200, JSON.stringify(queue.body));
    const items: Json[] = queue.body.items;
    assert.ok(items.length >= 6, `${items.length} items in the queue`);
    assert.equal(await page.locator('.queue-list li').count(), items.length);
    assert.equal(await shownId(page), items[0].event.id, 'the most doubtful event is in focus first');
    // the first field with a quote: its quote and source sit in the same row
    const row = page.locator('.queue-item .review-field', { has: page.locator('.review-quotes blockquote') }).first();
    assert.ok(await row.count(), 'a field is shown with its quote');
    assert.match((await row.locator('.review-quotes figcaption').first().textContent()) ?? '', /\S/);
    const reasons = await page.locator('.item-reasons li').allTextContents();
    assert.equal(reasons.length, items[0].reasons.length);

    // the events to work on: two that the queue suggests merging, one with two reports or more to split, a
    // sized one to correct, and two others
    const merge = items.find((i) => i.neighbours.length > 0 && items.some((o) => o.event.id === i.neighbours[0].id));
    assert.ok(merge, 'the queue suggests a merge of two events on its first page');
    pick.merge = merge.event.id;
    pick.mergeWith = merge.neighbours[0].id;
    const taken = () => new Set(Object.values(pick).filter((v) => typeof v === 'string'));
    for (const i of items.filter((x) => x.event.sources.length >= 2 && !taken().has(x.event.id))) {
      const m = await apiGet(page, `/api/events/${i.event.id}/mentions`);
      if (m.status === 200 && m.body.mentions.length >= 2) {
        pick.split = i.event.id;
        pick.splitMentions = m.body.mentions.length;
        break;
      }
    }
    assert.ok(pick.split, 'an event with two reports or more to split');
    const sized = items.find((i) => i.event.size_low != null && !taken().has(i.event.id));
    assert.ok(sized, 'an event with a crowd size');
    pick.edit = sized.event.id;
    sizeBefore = { low: sized.event.size_low, high: sized.event.size_high };
    const rest = items.filter((i) => !taken().has(i.event.id));
    pick.verify = rest[0].event.id;
    pick.reject = rest[1].event.id;
  });

  it('accepts one with a (verify, Enter)', async () => {
    await goToItem(page, pick.verify!);
    await page.keyboard.press('a');
    await page.locator('#accept-dialog[open]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'accept-dialog-reason');
    await page.keyboard.press('Enter');
    await status(page, /^Verified/);
    await queueReady(page);
    const e = (await apiGet(page, `/api/events/${pick.verify}`)).body;
    assert.equal(e.review_status, 'verified');
    assert.equal(e.reviewed_by, EDITOR);
    assert.ok(!(await page.locator(`.queue-list li[data-event-id="${pick.verify}"]`).count()), 'a verified event leaves the queue');
  });

  it('corrects a crowd size with e: the field, the counts, the words and a reason', async () => {
    await goToItem(page, pick.edit!);
    await page.keyboard.press('e');
    await page.locator('#edit-dialog[open]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-group');
    // a closed select takes type-ahead
    await page.keyboard.type('Crowd size');
    await page.locator('#edit-size_low').waitFor();
    const low = (sizeBefore.high ?? sizeBefore.low ?? 100) + 150;
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-size_low');
    await typeOver(page, String(low));
    await page.keyboard.press('Tab');
    await typeOver(page, String(low + 50));
    await page.keyboard.press('Tab');
    await typeOver(page, `${low} to ${low + 50}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-reason');
    await page.keyboard.type('The organizers and the police count agree on this range');
    await page.keyboard.press('Enter');
    await status(page, /^Saved: Crowd size/);
    await queueReady(page);
    const e = (await apiGet(page, `/api/events/${pick.edit}`)).body;
    assert.equal(e.size_low, low);
    assert.equal(e.size_high, low + 50);
    assert.equal(e.review_status, 'edited');
    assert.ok(e.edited_fields.includes('size_low') && e.edited_fields.includes('size_high'), e.edited_fields.join(', '));
    // the page shows the new value
    assert.match((await page.locator('.queue-item [data-field="size"] .review-value').textContent()) ?? '', new RegExp(low.toLocaleString('en-US')));
    await shot(page, 'review-02-edited.png');
  });

  it('meets a stale revision: the item is reloaded with a message, then r rejects it with a reason', async () => {
    await goToItem(page, pick.reject!);
    const before = Number(await page.locator('.queue-item').getAttribute('data-revision'));
    // another editor changes the event behind the page's back (a script with an API token)
    const res = await fetch(`${url}/api/events/${pick.reject}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ changes: { title: 'A title set by another editor' }, reason: 'Clearer title', revision: before }),
    });
    assert.equal(res.status, 200, await res.text());
    await page.keyboard.press('r');
    await page.locator('#reject-dialog[open]').waitFor();
    await page.keyboard.type('Not a protest: a meeting');
    await page.keyboard.press('Enter');
    await page.locator('.review-page .error[role="alert"]:not([hidden])').waitFor();
    assert.match((await page.locator('.review-page .error[role="alert"]').textContent()) ?? '', /Someone else changed/);
    await queueReady(page);
    assert.equal(Number(await page.locator('.queue-item').getAttribute('data-revision')), before + 1, 'the item was reloaded');
    await page.keyboard.press('r');
    await page.locator('#reject-dialog[open]').waitFor();
    await page.keyboard.type('Not a protest: a meeting');
    await page.keyboard.press('Enter');
    await status(page, /^Rejected/);
    await queueReady(page);
    const e = (await apiGet(page, `/api/events/${pick.reject}`)).body;
    assert.equal(e.review_status, 'rejected');
  });

  it('merges two with m, and splits one with s', async () => {
    await goToItem(page, pick.merge!);
    await page.keyboard.press('m');
    await page.locator('#merge-dialog[open]').waitFor();
    assert.match((await page.locator('#merge-dialog').textContent()) ?? '', /move into this event/);
    await typeOver(page, 'Two reports of one march');
    await page.keyboard.press('Enter');
    await status(page, /^Merged/);
    await queueReady(page);
    const followed = await apiGet(page, `/api/events/${pick.mergeWith}`);
    assert.equal(followed.body.id, pick.merge, 'the merged id answers with the survivor');
    assert.ok(!(await page.locator(`.queue-list li[data-event-id="${pick.mergeWith}"]`).count()), 'the merged event leaves the queue');

    await goToItem(page, pick.split!);
    await page.keyboard.press('s');
    await page.locator('#split-dialog .mention input').first().waitFor();
    // focus is on the first report: Space chooses it
    await page.waitForFunction(() => document.activeElement?.matches('#split-dialog .mention input'));
    await page.keyboard.press('Space');
    await tabTo(page, 'the reason', "el.id === 'split-reason'");
    await page.keyboard.type('Two different gatherings on the same day');
    await page.keyboard.press('Enter');
    await status(page, /^Split/);
    await queueReady(page);
    const m = await apiGet(page, `/api/events/${pick.split}/mentions`);
    assert.equal(m.body.mentions.length, pick.splitMentions! - 1, 'one report moved out');
  });

  it('shows every step on the event pages and in their history, and undoes the merge from there', async () => {
    await page.goto(`${url}/event/${pick.verify}`);
    await page.locator('.history-entry').first().waitFor();
    assert.equal(await page.locator('.review-line .review-badge').textContent(), 'Verified');
    const verified = page.locator('.history-entry[data-action="review"]').first();
    assert.match((await verified.textContent()) ?? '', new RegExp(`Reviewed by ${EDITOR}.*Checked against the sources`));

    await page.goto(`${url}/event/${pick.edit}`);
    await page.locator('.history-entry').first().waitFor();
    assert.equal(await page.locator('.review-line .review-badge').textContent(), 'Edited');
    const edit = page.locator('.history-entry[data-action="edit"]').first();
    const editText = (await edit.textContent()) ?? '';
    assert.match(editText, new RegExp(`Edited by ${EDITOR}`));
    assert.match(editText, /organizers and the police count agree/);
    assert.match(editText, /Crowd size \(lowest count\): .+ → \d+/, 'old → new');
    assert.ok(await page.locator('.history-entry[data-action="ingest"]').count(), "the machine's reading stays in the history");

    await page.goto(`${url}/event/${pick.reject}`);
    await page.locator('.history-entry').first().waitFor();
    assert.match((await page.locator('.review-line').textContent()) ?? '', /Rejected by/);
    assert.match((await page.locator('.history-entry[data-action="review"]').first().textContent()) ?? '', /Not a protest/);
    assert.ok(await page.locator('.history-entry[data-action="edit"]').count(), "the other editor's change is in the history");

    await page.goto(`${url}/event/${pick.split}`);
    await page.locator('.history-entry[data-action="split"]').first().waitFor();
    assert.match((await page.locator('.history-entry[data-action="split"]').first().textContent()) ?? '', /Two different gatherings/);

    // the merged id follows to the survivor, whose history has the merge; Undo with the keyboard
    await page.goto(`${url}/event/${pick.mergeWith}`);
    await page.waitForURL(new RegExp(`/event/${pick.merge}\\?merged_from=${pick.mergeWith}$`));
    await page.locator('.merged-note').waitFor();
    await page.locator('.history-entry[data-action="merge"]').first().waitFor();
    assert.match((await page.locator('.history-entry[data-action="merge"]').first().textContent()) ?? '', /Two reports of one march/);
    await shot(page, 'review-03-history.png');
    await tabTo(page, 'the Undo button', "el.classList.contains('undo-button')", 120);
    await page.keyboard.press('Enter');
    await page.locator('#undo-dialog[open]').waitFor();
    await page.keyboard.type('They were two marches after all');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /undone/.test(document.querySelector('.history .status-line')?.textContent ?? ''), undefined, { timeout: 15_000 });
    await page.locator('.history-entry[data-action="undo"]').first().waitFor();
    const back = await apiGet(page, `/api/events/${pick.mergeWith}`);
    assert.equal(back.status, 200);
    assert.equal(back.body.id, pick.mergeWith, 'the merged event is back');
    const h = await history(page, pick.merge!);
    assert.deepEqual(
      h.slice(0, 2).map((x: Json) => x.action),
      ['undo', 'merge'],
    );
  });

  it('lists show the verified badge; the review page fits a phone and every Tab stop shows focus', async () => {
    await page.goto(`${url}/`);
    await page.locator(`.event-list li[data-id="${pick.verify}"] .review-badge`).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator(`.event-list li[data-id="${pick.verify}"] .review-badge`).textContent(), 'Verified');
    assert.ok(!(await page.locator(`.event-list li[data-id="${pick.reject}"]`).count()), 'the rejected event is not listed');

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${url}/review`);
    await queueReady(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the review page is ${overflow}px wider than the phone`);
    await shot(page, 'review-04-phone.png', false);
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.goto(`${url}/review`);
    await queueReady(page);
    const problems: string[] = [];
    const seen: string[] = [];
    // from the item in focus round the whole page (past its end, back from the top) to the item again
    for (let i = 0, outside = 0; i < 120 && outside < 3; i++) {
      await page.keyboard.press('Tab');
      const f = await focusProblem(page);
      if (!f) {
        outside++;
        continue;
      }
      if (seen.length > 0 && f.where === seen[0]) break;
      seen.push(f.where);
      if (f.problem) problems.push(`${f.where}: ${f.problem}`);
    }
    assert.ok(seen.length >= 10, `only ${seen.length} Tab stops`);
    assert.deepEqual(problems, []);
    // ? opens the keys' help, Escape closes it and the item has focus again
    await page.keyboard.press('Escape');
    await page.locator('.queue-item').focus();
    await page.keyboard.press('?');
    await page.locator('#help-dialog[open]').waitFor();
    await page.keyboard.press('Escape');
    await queueReady(page);
  });

  it('logs out from the header with the keyboard', async () => {
    await tabTo(page, 'the Log out button', "el.tagName === 'BUTTON' && el.textContent.trim() === 'Log out'", 200);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login/);
    await page.locator('#login-name').waitFor();
    await page.waitForFunction((name) => !document.querySelector('.account')?.textContent?.includes(name), EDITOR);
    const me = await apiGet(page, '/api/me');
    assert.equal(me.body.user, null);
    // a write with the old session is refused now
    const refused = await page.evaluate(async (id) => (await fetch(`/api/events/${id}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status, pick.verify);
    assert.ok(refused === 401 || refused === 403, `a write after logging out: ${refused}`);
  });

  it('tells a viewer the queue needs an editor, and says how long to wait when logins are rate limited', async () => {
    session.server.repo.accounts().addUser('vic-viewer', 'viewer', PASSWORD);
    await page.goto(`${url}/login?next=%2Freview`);
    await tabTo(page, 'the user name field', "el.id === 'login-name'");
    await page.keyboard.type('vic-viewer');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/review$/);
    await page.locator('main [role="alert"]', { hasText: "needs an editor's or an admin's role" }).waitFor();
    assert.equal(await page.locator('nav a[href="/review"]').count(), 0, 'no Review link for a viewer');
    await tabTo(page, 'the Log out button', "el.tagName === 'BUTTON' && el.textContent.trim() === 'Log out'", 40);
    // where focus is at the moment the login form appears: on the new page's content already, not moved there a
    // frame later (out of a field the user may have begun typing in)
    await page.evaluate(() => {
      const seen = new MutationObserver(() => {
        if (!document.getElementById('login-name')) return;
        document.body.dataset.focusWhenShown = document.activeElement?.id || document.activeElement?.tagName;
        seen.disconnect();
      });
      seen.observe(document.body, { childList: true, subtree: true });
    });
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/login/);
    await page.locator('#login-name').waitFor();
    assert.equal(await page.evaluate(() => document.body.dataset.focusWhenShown), 'main');

    // the server's answer to too many attempts (its limits are tested in sessions.test.ts): the page says how long
    await page.route('**/api/session', (route) =>
      route.fulfill({ status: 429, headers: { 'retry-after': '120', 'content-type': 'application/problem+json' }, body: JSON.stringify({ title: 'Too many requests', status: 429 }) }),
    );
    await page.locator('#login-name').focus();
    await page.keyboard.type(EDITOR);
    await page.keyboard.press('Tab');
    await page.keyboard.type('any password');
    await page.keyboard.press('Enter');
    await page.locator('.login-error:not([hidden])').waitFor();
    assert.equal(await page.locator('.login-error').textContent(), 'Too many attempts. Try again in 2 minutes.');
    await page.unroute('**/api/session');
  });

  it('stayed on this origin, with no CSP violation, console error or uncaught error', async () => {
    const { log } = session;
    const csp = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
    assert.deepEqual(foreignHosts(log.requests), []);
    assert.deepEqual([...log.cspViolations, ...csp], []);
    // the wrong password, the stale revision and the rate limit answer 401, 409 and 429: the browser logs them as failed loads
    const unexpected = log.consoleErrors.filter((m) => !/status of (401|409|429)/.test(m));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.dialogs, []);
  });
});
