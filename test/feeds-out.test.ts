// Feeds out: the Atom feed of events and the iCalendar file of planned events, built from the project's
// made-up sample articles through the real pipeline (test/helpers/store.ts), plus one made-up hostile
// article. The Atom output is checked with the project's own strict XML parser; the ICS output with a small
// unfolding line parser written here.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { EventRecord } from '../src/core/types.js';
import { parseFeed } from '../src/feeds/parse.js';
import { elementChildren, parseXml, textContent, type XmlElement } from '../src/feeds/xml.js';
import { ingestInto } from '../src/pipeline.js';
import { eventsAtom } from '../src/serve/feeds/atom.js';
import { createApp } from '../src/serve/server.js';
import { plannedIcs } from '../src/serve/feeds/ics.js';
import { localDay } from '../src/core/planned.js';
import type { Repository } from '../src/store/repository.js';
import { REPO_ROOT } from './helpers/shared.js';
import { storeFrom } from './helpers/store.js';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const BASE = 'https://turnout.example';
const SELF = `${BASE}/feeds/events.atom?region=OH&status=planned`;
// A MADE-UP plain-text article whose title line carries markup, quotes and iCalendar separators (the plain
// text reader keeps a title as written; the HTML reader would already strip the tag).
const HOSTILE = `<img src=x onerror=alert(1)> Toledo rally planned, with "quotes" & more`;
const HOSTILE_TXT = `${HOSTILE}

March 1, 2026

Organizers said a rally is planned for March 21, 2026, outside City Hall in Toledo, Ohio; they expect hundreds of people, "rain or shine", to call for bus service.
`;

let repo: Repository;
let events: EventRecord[];

before(() => {
  repo = storeFrom(join(REPO_ROOT, 'samples')).repo;
  ingestInto(repo, { bytes: new TextEncoder().encode(HOSTILE_TXT), name: 'hostile.txt', url: 'https://news.example/2026/03/01/hostile?a=1&b=2', contentType: 'text/plain' });
  events = repo.listEvents();
});
after(() => repo.close());

const kids = (el: XmlElement, local: string) => elementChildren(el).filter((c) => c.ns === ATOM_NS && c.local === local);
const one = (el: XmlElement, local: string) => {
  const found = kids(el, local);
  assert.equal(found.length, 1, `exactly one <${local}> in <${el.local}>`);
  return found[0];
};
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

describe('Atom feed of events', () => {
  test('the pipeline gave events to work with, one planned', () => {
    assert.ok(events.length >= 9, `${events.length} events`);
    assert.ok(events.some((e) => e.status === 'planned'));
    assert.ok(events.some((e) => e.sources.some((s) => s.title === HOSTILE)), 'the hostile title reached a source');
  });

  test('is well-formed XML with the elements RFC 4287 requires', () => {
    const xml = eventsAtom(events, { baseUrl: BASE, selfUrl: SELF });
    const { root } = parseXml(xml);
    assert.equal(root.ns, ATOM_NS);
    assert.equal(root.local, 'feed');
    assert.equal(textContent(one(root, 'id')), SELF);
    assert.ok(textContent(one(root, 'title')).length > 0);
    assert.match(textContent(one(root, 'updated')), RFC3339);
    assert.ok(kids(root, 'author').length >= 1, 'a feed-level author (entries have none)');
    const self = kids(root, 'link').filter((l) => l.attrs.find((a) => a.name === 'rel')?.value === 'self');
    assert.equal(self.length, 1);
    assert.equal(self[0].attrs.find((a) => a.name === 'href')?.value, SELF, 'the & in the self URL survives escaping');
    const entries = kids(root, 'entry');
    assert.equal(entries.length, events.length);
    const ids = new Set<string>();
    entries.forEach((entry, i) => {
      const e = events[i];
      const id = textContent(one(entry, 'id'));
      assert.match(id, new RegExp(`^urn:turnout:event:${e.id}:r[0-9a-f]{12}$`));
      ids.add(id);
      assert.ok(textContent(one(entry, 'title')).trim().length > 0);
      assert.match(textContent(one(entry, 'updated')), RFC3339);
      const latest = e.sources.map((s) => s.published).filter(Boolean).sort().at(-1);
      if (latest) assert.equal(textContent(one(entry, 'updated')).slice(0, 10), latest, 'updated is the latest source day');
      const href = kids(entry, 'link').map((l) => l.attrs.find((a) => a.name === 'href')?.value);
      assert.ok(href.includes(`${BASE}/event/${e.id}`), `entry links to its event page: ${href.join(' ')}`);
      const summary = textContent(one(entry, 'summary'));
      assert.ok(summary.startsWith(`${e.date} — ${e.locality}, ${e.region}: `), summary);
      // a plan whose day has passed says so (the samples' plans are dated to the day)
      const stands = e.status === 'planned' && e.date_precision === 'day' && e.date! < localDay() ? 'planned; no report yet' : e.status;
      assert.ok(summary.endsWith(`(${stands})`), summary);
    });
    assert.equal(ids.size, entries.length, 'entry ids are unique');
    const dayton = events.find((e) => e.locality === 'Dayton')!;
    assert.ok(/^hundreds\b/i.test(dayton.size_text ?? ''), `Dayton size: ${dayton.size_text}`);
    assert.ok(xml.includes(`${dayton.date} — Dayton, OH: ${dayton.size_text} (occurred)`));
  });

  test('our own feed reader reads it back: entries link to event pages', () => {
    const f = parseFeed(new TextEncoder().encode(eventsAtom(events, { baseUrl: BASE, selfUrl: SELF, updated: new Date('2026-03-05T00:00:00Z') })));
    assert.equal(f.kind, 'atom');
    assert.equal(f.items.length, events.length);
    assert.deepEqual(f.items.map((i) => i.url), events.map((e) => `${BASE}/event/${e.id}`));
    assert.equal(f.link, `${BASE}/`);
  });

  test('a record updated is a new entry id; the same record the same id', () => {
    const e = events[0];
    const id = (x: EventRecord) => /<id>(urn:[^<]+)<\/id>/.exec(eventsAtom([x], { baseUrl: BASE, selfUrl: SELF }))![1];
    assert.equal(id(e), id({ ...e }));
    assert.notEqual(id(e), id({ ...e, size_text: 'thousands' }));
  });

  test('hostile text is escaped: no element, no broken CDATA, no control characters', () => {
    const bad: EventRecord = { ...events[0], id: 'e<v>"1', title: `<script>alert("t")</script> ]]> \u0001\u0007 end`, locality: '<img src=x onerror=alert(1)>', size_text: ']]><script>x</script>' };
    const xml = eventsAtom([...events, bad], { baseUrl: BASE, selfUrl: SELF, title: 'Feed <b>&</b>' });
    const { root } = parseXml(xml); // throws on anything malformed, including control characters
    const walk = (el: XmlElement): string[] => [el.local, ...elementChildren(el).flatMap(walk)];
    const names = walk(root);
    for (const n of ['script', 'img', 'b']) assert.ok(!names.includes(n), `no <${n}> element`);
    const entries = kids(root, 'entry');
    const last = entries[entries.length - 1];
    const title = one(last, 'title');
    // type="html": the element's text is HTML whose own text is the hostile string, shown literally
    assert.equal(title.attrs.find((a) => a.name === 'type')?.value, 'html');
    assert.ok(textContent(title).includes('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;'), textContent(title));
    assert.ok(!/<script/i.test(textContent(title)), 'as HTML, the title has no script tag');
    assert.ok(!/<img/i.test(textContent(one(last, 'summary'))));
    assert.ok(!/[\u0001\u0007]/.test(xml));
    assert.equal(textContent(one(root, 'title')), 'Feed <b>&</b>', 'the feed title is text, escaped as such');
    // the event id is URL-encoded in the link
    assert.ok(kids(last, 'link').some((l) => l.attrs.find((a) => a.name === 'href')?.value === `${BASE}/event/e%3Cv%3E%221`));
    // the hostile source title from the pipeline appears only escaped
    const hostileEntry = entries.find((en) => textContent(one(en, 'content')).includes('onerror'));
    assert.ok(hostileEntry, 'the hostile article’s event lists its source');
    const content = textContent(one(hostileEntry, 'content'));
    assert.ok(!/<img/i.test(content) && content.includes('&lt;img src=x onerror=alert(1)&gt;'), content);
    assert.ok(!xml.includes('samples/') && !xml.includes('hostile.txt'), 'no local file paths in a public feed');
  });

  test('an empty feed is still valid', () => {
    const { root } = parseXml(eventsAtom([], { baseUrl: BASE, selfUrl: SELF, updated: new Date('2026-03-05T00:00:00Z') }));
    assert.equal(kids(root, 'entry').length, 0);
    assert.equal(textContent(one(root, 'updated')), '2026-03-05T00:00:00.000Z');
  });
});

// ------------------------------------------------------------------ iCalendar

interface IcsLine {
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Splits on CRLF (a bare LF or CR is an error), checks octets, unfolds and parses each content line. */
function parseIcs(text: string): IcsLine[] {
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const l of physical) {
    assert.ok(!/[\r\n]/.test(l), `bare CR or LF in ${JSON.stringify(l)}`);
    assert.ok(Buffer.byteLength(l, 'utf8') <= 75, `line of ${Buffer.byteLength(l, 'utf8')} octets: ${l}`);
    assert.ok(!l.includes('\ufffd'), 'no split UTF-8 sequence');
  }
  const logical: string[] = [];
  for (const l of physical) {
    if (l.startsWith(' ') || l.startsWith('\t')) logical[logical.length - 1] += l.slice(1);
    else logical.push(l);
  }
  return logical.map((l) => {
    const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^;:,"]*))*):(.*)$/.exec(l);
    assert.ok(m, `not a content line: ${l}`);
    const params: Record<string, string> = {};
    for (const p of m[2].split(';').slice(1)) {
      const [k, v] = p.split('=');
      params[k.toUpperCase()] = v;
    }
    return { name: m[1].toUpperCase(), params, value: m[3] };
  });
}

function unescapeText(v: string): string {
  return v.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

describe('iCalendar of planned events', () => {
  const NOW = new Date('2026-03-04T12:34:56Z');

  test('parses: balanced components, the required properties, all-day dates', () => {
    const ics = plannedIcs(events, { baseUrl: BASE, now: NOW });
    const lines = parseIcs(ics);
    const stack: string[] = [];
    const vevents: IcsLine[][] = [];
    for (const l of lines) {
      if (l.name === 'BEGIN') {
        stack.push(l.value);
        if (l.value === 'VEVENT') vevents.push([]);
      } else if (l.name === 'END') assert.equal(stack.pop(), l.value, 'BEGIN/END balanced');
      else if (stack.at(-1) === 'VEVENT') vevents[vevents.length - 1].push(l);
    }
    assert.equal(stack.length, 0);
    assert.equal(lines[0].name, 'BEGIN');
    assert.equal(lines[0].value, 'VCALENDAR');
    const top = lines.filter((l) => l.name === 'VERSION' || l.name === 'PRODID');
    assert.deepEqual(top.map((l) => l.name), ['VERSION', 'PRODID']);
    assert.equal(top[0].value, '2.0');

    const planned = events.filter((e) => e.status === 'planned' && e.date);
    assert.ok(planned.length >= 2, 'the Columbus sample and the hostile Toledo article');
    assert.equal(vevents.length, planned.length);
    for (const props of vevents) {
      const get = (n: string) => props.filter((p) => p.name === n);
      for (const n of ['UID', 'DTSTAMP', 'DTSTART', 'SUMMARY', 'URL']) assert.equal(get(n).length, 1, `one ${n}`);
      const uid = get('UID')[0].value;
      const e = planned.find((x) => `${x.id}@turnout` === uid);
      assert.ok(e, `UID ${uid} names a planned event`);
      assert.equal(get('DTSTAMP')[0].value, '20260304T123456Z');
      assert.equal(get('DTSTART')[0].params.VALUE, 'DATE');
      assert.equal(get('DTSTART')[0].value, e.date!.replace(/-/g, ''));
      assert.equal(get('DTEND')[0].params.VALUE, 'DATE');
      assert.equal(get('URL')[0].value, `${BASE}/event/${e.id}`);
      assert.ok(unescapeText(get('LOCATION')[0].value).includes(`${e.locality}, ${e.region}`));
      const desc = unescapeText(get('DESCRIPTION')[0].value);
      for (const s of e.sources) assert.ok(desc.includes(s.title ?? s.url ?? s.id.slice(0, 12)), 'DESCRIPTION lists the sources');
      assert.ok(!desc.includes('samples/'), 'no local file paths');
    }
    const columbus = planned.find((e) => e.locality === 'Columbus');
    assert.ok(columbus && ics.includes(`DTSTART;VALUE=DATE:${columbus.date!.replace(/-/g, '')}`));
  });

  test('escapes commas, semicolons, backslashes and newlines, and folds long and multi-byte lines', () => {
    const base = events.find((e) => e.status === 'planned')!;
    const nasty = 'Rally; march, vigil \\ sit-in\nsecond line\r\nthird — “quoted” ✊🏽 ' + 'é'.repeat(60) + ' 中文'.repeat(20);
    const ics = plannedIcs([{ ...base, title: nasty, location_detail: 'Main St; Park, north gate' }], { baseUrl: BASE, now: NOW });
    const lines = parseIcs(ics);
    const summary = lines.find((l) => l.name === 'SUMMARY')!;
    assert.ok(summary.value.startsWith('Rally\\; march\\, vigil \\\\ sit-in\\nsecond line\\nthird'), summary.value.slice(0, 60));
    assert.equal(unescapeText(summary.value), nasty.replace(/\r\n/g, '\n'));
    assert.ok(unescapeText(lines.find((l) => l.name === 'LOCATION')!.value).startsWith('Main St; Park, north gate, '));
    assert.ok(ics.split('\r\n').length > lines.length, 'some lines were folded');
    // the hostile article's source title reaches DESCRIPTION escaped, never as a line of its own
    const all = parseIcs(plannedIcs(events, { baseUrl: BASE, now: NOW }));
    assert.ok(all.every((l) => /^[A-Z-]+$/.test(l.name)));
    assert.ok(all.some((l) => l.name === 'DESCRIPTION' && unescapeText(l.value).includes(HOSTILE)));
  });

  test('only planned events with a date; none gives an empty but valid calendar', () => {
    const occurred = events.filter((e) => e.status === 'occurred');
    const lines = parseIcs(plannedIcs(occurred, { baseUrl: BASE, now: NOW }));
    assert.equal(lines.filter((l) => l.name === 'BEGIN' && l.value === 'VEVENT').length, 0);
    assert.deepEqual([lines[0].value, lines.at(-1)!.value], ['VCALENDAR', 'VCALENDAR']);
  });

  test('a date known to the week spans the week', () => {
    const base = events.find((e) => e.status === 'planned')!;
    const lines = parseIcs(plannedIcs([{ ...base, date: '2026-03-02', date_precision: 'week' }], { baseUrl: BASE, now: NOW }));
    assert.equal(lines.find((l) => l.name === 'DTEND')!.value, '20260309');
  });
});

// ------------------------------------------------------------------ the served feeds

describe('served feeds: /feeds/events.atom and /feeds/planned.ics', () => {
  test('the Atom feed takes the API filters and lists the changed events with links to their pages', async () => {
    const app = createApp(repo);
    const res = await app.request('http://127.0.0.1:8080/feeds/events.atom?region=OH');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/atom\+xml/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const feed = parseXml(await res.text()).root;
    assert.equal(feed.local, 'feed');
    const self = kids(feed, 'link').find((l) => l.attrs.find((a) => a.name === 'rel')?.value === 'self');
    assert.equal(self?.attrs.find((a) => a.name === 'href')?.value, 'http://127.0.0.1:8080/feeds/events.atom?region=OH');
    const ohio = events.filter((e) => e.region === 'OH');
    const entries = kids(feed, 'entry');
    assert.equal(entries.length, ohio.length);
    const links = entries.map((en) => one(en, 'link').attrs.find((a) => a.name === 'href')!.value).sort();
    assert.deepEqual(links, ohio.map((e) => `http://127.0.0.1:8080/event/${e.id}`).sort());
    for (const en of entries) assert.match(textContent(one(en, 'updated')), RFC3339);
    const bad = await app.request('/feeds/events.atom?status=soon');
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).param, 'status');
  });

  test('the iCalendar lists the planned events whose day is not over, and parses', async () => {
    // the server's calendar day fixed between the samples' plans and the hostile article's (March 7 and 21, 2026)
    const res = await createApp(repo, { today: () => '2026-03-10' }).request('http://127.0.0.1:8080/feeds/planned.ics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
    const lines = parseIcs(await res.text());
    const uids = lines.filter((l) => l.name === 'UID').map((l) => l.value.replace(/@turnout$/, '')).sort();
    const planned = events.filter((e) => e.status === 'planned');
    assert.deepEqual(uids, planned.filter((e) => e.date! >= '2026-03-10').map((e) => e.id).sort());
    assert.ok(uids.length >= 1 && uids.length < planned.length, `a real test: ${uids.length} of ${planned.length} plans kept`);
  });
});
