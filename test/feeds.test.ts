// Feeds in: parsing (RSS 2.0, Atom 1.0, RDF/RSS 1.0, JSON Feed), the hostile cases (malformed XML, billion
// laughs, external entities, wrong charsets, a 10,000-item feed), protest relevance and near-duplicates.
// Every feed and article text below was MADE UP for these tests by the Turnout project; none is real news.
// The seed articles are read from ../shared/seeds (skipped without them) and never copied here.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FeedError, MAX_FEED_ITEMS, parseFeed, type ParsedFeed } from '../src/feeds/parse.js';
import { protestRelevance, titleOnly } from '../src/feeds/relevance.js';
import { NEAR_DUPLICATE_BITS, hammingDistance, isNearDuplicate, simhash } from '../src/feeds/simhash.js';
import { XmlError, parseXml } from '../src/feeds/xml.js';
import { NO_SHARED, SEEDS_DIR } from './helpers/shared.js';

const enc = new TextEncoder();
const feed = (s: string, opts: Parameters<typeof parseFeed>[1] = {}): ParsedFeed => parseFeed(enc.encode(s), opts);

function feedError(fn: () => unknown, pattern: RegExp): FeedError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof FeedError, `expected a FeedError, got ${String(caught)}`);
  assert.match(caught.message, pattern);
  return caught;
}

// ------------------------------------------------------------------ the four formats

const RSS = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Riverside Ledger &#8212; Local</title>
    <link>https://ledger.example/local/</link>
    <atom:link rel="self" href="https://ledger.example/feed.xml"/>
    <item>
      <title><![CDATA[Hundreds <b>rally</b> at City Hall &amp; march downtown]]></title>
      <link>/2026/02/14/rally-city-hall</link>
      <guid isPermaLink="false">ledger-1001</guid>
      <pubDate>Sat, 14 Feb 2026 22:30:00 -0500</pubDate>
      <description>&lt;p&gt;Crowd of &lt;i&gt;hundreds&lt;/i&gt; &amp;amp; a brass band.&lt;/p&gt;</description>
      <content:encoded><![CDATA[<p>Hundreds of residents rallied on Saturday.</p><p>Organizers said more would come.</p>]]></content:encoded>
    </item>
    <item>
      <title>Click me</title>
      <link>javascript:alert(document.cookie)</link>
      <dc:date>2026-02-15T08:00:00Z</dc:date>
      <description>A link that must never be followed.</description>
    </item>
    <item>
      <title>Data link</title>
      <link>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</link>
    </item>
    <item>
      <description>An item with neither a title nor a link nor a guid.</description>
    </item>
  </channel>
</rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://wire.example/news/">
  <title type="html">Wire &lt;em&gt;Service&lt;/em&gt;</title>
  <id>tag:wire.example,2026:feed</id>
  <updated>2026-03-02T12:00:00Z</updated>
  <link rel="self" href="https://wire.example/atom.xml"/>
  <link rel="alternate" type="text/html" href="/news/"/>
  <entry>
    <title type="text">Teachers walk out over pay</title>
    <id>tag:wire.example,2026:1</id>
    <link rel="alternate" href="2026/03/01/walkout"/>
    <updated>2026-03-01T18:00:00+01:00</updated>
    <summary type="html">&lt;p&gt;Teachers &lt;b&gt;walked out&lt;/b&gt;.&lt;/p&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Teachers walked out of <b>six</b> schools &amp; rallied.</p></div></content>
  </entry>
  <entry>
    <title>Plain content</title>
    <id>tag:wire.example,2026:2</id>
    <link href="https://other.example/story"/>
    <published>2026-02-28T23:59:00-08:00</published>
    <updated>2026-03-01T09:00:00Z</updated>
    <content type="text">Just text &lt;not a tag&gt;</content>
  </entry>
</feed>`;

const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example/rss">
    <title>Old Town Crier</title>
    <link>https://old.example/</link>
    <items><rdf:Seq><rdf:li resource="https://old.example/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://old.example/a">
    <title>Vigil held for flood victims</title>
    <link>https://old.example/a</link>
    <description>Candles on the green.</description>
    <dc:date>2026-01-20T19:00:00-06:00</dc:date>
  </item>
</rdf:RDF>`;

const JSON_FEED = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Harbor Notes',
  home_page_url: 'https://harbor.example/',
  feed_url: 'https://harbor.example/feed.json',
  items: [
    { id: 'h-1', url: '/2026/02/21/picket', title: 'Dock workers <i>picket</i> the port', summary: 'A picket line at dawn.', content_html: '<p>Dock workers formed a picket line.</p>', date_published: '2026-02-21T06:00:00-08:00' },
    { id: 2, external_url: 'https://elsewhere.example/x', content_text: 'Plain body.', date_modified: '2026-02-22T10:00:00Z' },
    { id: 'h-3', url: 'javascript:void(0)', title: 'No link' },
  ],
});

describe('parseFeed: the four formats', () => {
  test('RSS 2.0: CDATA, entities, HTML stripped, relative links resolved, dangerous links dropped', () => {
    const f = feed(RSS, { baseUrl: 'https://ledger.example/feed.xml' });
    assert.equal(f.kind, 'rss');
    assert.equal(f.title, 'Riverside Ledger — Local');
    assert.equal(f.link, 'https://ledger.example/local/');
    assert.equal(f.items.length, 4);
    const [a, b, c, d] = f.items;
    assert.equal(a.id, 'ledger-1001');
    assert.equal(a.url, 'https://ledger.example/2026/02/14/rally-city-hall');
    assert.equal(a.title, 'Hundreds rally at City Hall & march downtown');
    assert.equal(a.published, '2026-02-14', 'the publisher’s calendar day, not shifted to UTC');
    assert.equal(a.summary, 'Crowd of hundreds & a brass band.');
    assert.match(a.content ?? '', /^<p>Hundreds of residents rallied/);
    assert.equal(a.contentType, 'text/html');
    assert.equal(b.url, null, 'javascript: is dropped');
    assert.equal(b.published, '2026-02-15', 'dc:date');
    assert.equal(b.id.startsWith('sha256:'), true, 'no guid and no usable link: a hash');
    assert.equal(c.url, null, 'data: is dropped');
    assert.equal(d.title, null);
    assert.match(d.id, /^sha256:[0-9a-f]{64}$/);
    assert.equal(d.content, null);
    assert.equal(d.contentType, null);
  });

  test('RSS without a base URL resolves relative links against the channel link', () => {
    const f = feed(RSS);
    assert.equal(f.items[0].url, 'https://ledger.example/2026/02/14/rally-city-hall');
  });

  test('Atom 1.0: xml:base, text constructs, xhtml and text content, published before updated', () => {
    const f = feed(ATOM);
    assert.equal(f.kind, 'atom');
    assert.equal(f.title, 'Wire Service');
    assert.equal(f.link, 'https://wire.example/news/');
    const [a, b] = f.items;
    assert.equal(a.id, 'tag:wire.example,2026:1');
    assert.equal(a.url, 'https://wire.example/news/2026/03/01/walkout');
    assert.equal(a.title, 'Teachers walk out over pay');
    assert.equal(a.summary, 'Teachers walked out.');
    assert.equal(a.published, '2026-03-01');
    assert.equal(a.contentType, 'text/html');
    assert.equal(a.content, '<p>Teachers walked out of <b>six</b> schools &amp; rallied.</p>');
    assert.equal(b.url, 'https://other.example/story');
    assert.equal(b.published, '2026-02-28', 'published wins over updated, on the publisher’s day');
    assert.equal(b.content, 'Just text <not a tag>');
    assert.equal(b.contentType, 'text/plain');
  });

  test('RDF / RSS 1.0: items beside the channel, rdf:about, dc:date', () => {
    const f = feed(RDF);
    assert.equal(f.kind, 'rdf');
    assert.equal(f.title, 'Old Town Crier');
    assert.equal(f.items.length, 1);
    assert.equal(f.items[0].id, 'https://old.example/a');
    assert.equal(f.items[0].published, '2026-01-20');
    assert.equal(f.items[0].summary, 'Candles on the green.');
  });

  test('JSON Feed 1.1, by a leading brace and by content type', () => {
    for (const opts of [{}, { contentType: 'application/feed+json' }]) {
      const f = feed(JSON_FEED, opts);
      assert.equal(f.kind, 'json');
      assert.equal(f.title, 'Harbor Notes');
      assert.equal(f.link, 'https://harbor.example/');
      const [a, b, c] = f.items;
      assert.equal(a.url, 'https://harbor.example/2026/02/21/picket');
      assert.equal(a.title, 'Dock workers picket the port');
      assert.equal(a.published, '2026-02-21');
      assert.equal(a.contentType, 'text/html');
      assert.equal(b.id, '2');
      assert.equal(b.url, 'https://elsewhere.example/x');
      assert.equal(b.content, 'Plain body.');
      assert.equal(b.contentType, 'text/plain');
      assert.equal(b.published, '2026-02-22', 'date_modified when there is no date_published');
      assert.equal(c.url, null);
    }
    const v1 = JSON.parse(JSON_FEED) as Record<string, unknown>;
    v1.version = 'https://jsonfeed.org/version/1';
    assert.equal(feed(JSON.stringify(v1)).items.length, 3);
    feedError(() => feed('{"items": []}'), /not a feed: JSON without a JSON Feed version/);
    feedError(() => feed('{"version": "https://jsonfeed.org/version/1.1", "items": [}'), /malformed JSON/);
  });

  test('undeclared conventional prefixes still count (content:encoded without xmlns:content)', () => {
    const f = feed('<rss><channel><item><title>t</title><content:encoded>&lt;p&gt;body&lt;/p&gt;</content:encoded></item></channel></rss>');
    assert.equal(f.items[0].content, '<p>body</p>');
  });

  test('an HTML page and other roots are "not a feed"', () => {
    feedError(() => feed('<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head><body><p>hi</body></html>'), /not a feed: root element <html>/);
    feedError(() => feed('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), /not a feed: root element <svg>/);
    feedError(() => feed('Hello, world'), /not a feed/);
    feedError(() => parseFeed(new Uint8Array(0)), /not a feed: empty body/);
  });
});

// ------------------------------------------------------------------ hostile input

describe('parseFeed: hostile input', () => {
  test('malformed XML is a FeedError naming the line', () => {
    const cases: Array<[string, RegExp]> = [
      ['<rss>\n<channel>\n<item><title>x</title>\n</channel>\n</rss>', /malformed XML at line 4: mismatched tag: <\/channel> closes <item> \(opened at line 3\)/],
      ['<rss>\n<channel>\n<item>\n', /malformed XML at line 4: unclosed <item> \(opened at line 3\)/],
      ['<rss><channel></channel></rss>\n<rss/>', /line 2: a second root element/],
      ['<rss>\n<channel><title>AT&T</title></channel></rss>', /line 2: unescaped "&"/],
      ['<rss>\n\n<channel a=1></channel></rss>', /line 3: .*not quoted/],
      ['<rss><channel>\n<!-- never closed </channel></rss>', /line 2: unterminated comment/],
      ['<rss><channel><title>&nbsp;</title></channel></rss>', /undeclared entity &nbsp;/],
      ['<rss><channel><title>bell \u0007</title></channel></rss>', /illegal character U\+0007/],
      ['<rss>\u0000\u0001garbage\u00ff\u00fe', /malformed XML at line 1/],
      ['<rss><channel></channel></rss> trailing', /text after the root element/],
    ];
    for (const [xml, pattern] of cases) feedError(() => feed(xml), pattern);
  });

  test('an external DTD is never read; its entities stay literal', () => {
    const f = feed('<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>A&nbsp;B</title><item><title>x</title></item></channel></rss>');
    assert.equal(f.title, 'A B', 'the literal &nbsp; is decoded as HTML by the title cleaner');
  });

  test('billion laughs is refused at once, without expanding anything', () => {
    const levels = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) levels.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${levels.join('\n')}\n]>\n<rss><channel><title>&lol9;</title></channel></rss>`;
    const heapBefore = process.memoryUsage().heapUsed;
    feedError(() => feed(xml), /feed declares entities \(<!ENTITY>\): refused/);
    const grew = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(grew < 20 * 1024 * 1024, `heap grew ${(grew / 1048576).toFixed(1)} MB`);
  });

  test('quadratic blow-up (one huge entity used many times) is refused the same way', () => {
    const xml = `<!DOCTYPE rss [<!ENTITY a "${'x'.repeat(50_000)}">]><rss><channel><title>${'&a;'.repeat(5_000)}</title></channel></rss>`;
    feedError(() => feed(xml), /refused/);
  });

  test('external entities are refused and never fetched or read', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits++;
      res.end('<!ENTITY x "pwned">');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const xxe = [
        `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><title>&xxe;</title></channel></rss>`,
        `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/secret">]><rss><channel><title>&xxe;</title></channel></rss>`,
        `<!DOCTYPE rss [<!ENTITY % dtd SYSTEM "http://127.0.0.1:${port}/evil.dtd"> %dtd;]><rss><channel><title>&x;</title></channel></rss>`,
        `<!DOCTYPE rss [<!entity xxe SYSTEM "file:///etc/passwd">]><rss/>`,
      ];
      for (const xml of xxe) {
        const err = feedError(() => feed(xml), /feed declares entities \(<!ENTITY>\): refused/);
        assert.doesNotMatch(err.message, /root:/, 'no file content in the message');
      }
      // a DOCTYPE naming an external DTD (no entity declarations) parses, and the DTD is not fetched
      const f = feed(`<!DOCTYPE rss SYSTEM "http://127.0.0.1:${port}/rss.dtd"><rss><channel><title>&x;</title></channel></rss>`);
      assert.equal(f.title, '&x;', 'an entity of an unread external DTD stays literal');
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(hits, 0, 'nothing was fetched');
    } finally {
      server.close();
    }
  });

  test('deep nesting is bounded', () => {
    const xml = '<rss>' + '<x>'.repeat(10_000) + '</x>'.repeat(10_000) + '</rss>';
    feedError(() => feed(xml), /nested deeper than 128/);
  });

  test('wrong and unknown charsets decode leniently and still parse', () => {
    const latin1 = (s: string) => Uint8Array.from([...s].map((ch) => ch.charCodeAt(0)));
    const body = '<?xml version="1.0"?><rss><channel><title>Caf\u00e9 protest</title><item><title>Se\u00f1ora march\u00e9</title></item></channel></rss>';
    // the header says utf-8, the body is latin-1: replacement characters, no crash
    const wrong = parseFeed(latin1(body), { contentType: 'application/rss+xml; charset=utf-8' });
    assert.equal(wrong.title, 'Caf\ufffd protest');
    assert.equal(wrong.items.length, 1);
    // told the truth, by header or by declaration
    assert.equal(parseFeed(latin1(body), { charset: 'iso-8859-1' }).title, 'Café protest');
    assert.equal(parseFeed(latin1(body.replace('version="1.0"', 'version="1.0" encoding="windows-1252"'))).title, 'Café protest');
    // an unknown label falls back to UTF-8
    assert.equal(parseFeed(enc.encode(body), { charset: 'x-no-such-charset' }).title, 'Café protest');
    // a byte-order mark wins over a wrong header
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(body)]);
    assert.equal(parseFeed(bom, { charset: 'windows-1252' }).title, 'Café protest');
    // UTF-16 with a BOM
    const u16 = Buffer.from('\ufeff' + body.replace('version="1.0"', 'version="1.0" encoding="utf-16"'), 'utf16le');
    assert.equal(parseFeed(u16).title, 'Café protest');
  });

  test('a 10,000-item feed parses whole and fast', (t) => {
    const items: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      items.push(
        `<item><title>Rally number ${i} &amp; more</title><link>https://big.example/${i}</link><guid>big-${i}</guid>` +
          `<pubDate>Mon, 02 Mar 2026 10:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate>` +
          `<description><![CDATA[<p>Made-up item ${i}: a crowd gathered and marched.</p>]]></description></item>`,
      );
    }
    const bytes = enc.encode(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>${items.join('\n')}</channel></rss>`);
    const t0 = performance.now();
    const f = parseFeed(bytes);
    const ms = performance.now() - t0;
    t.diagnostic(`10,000-item RSS feed (${(bytes.length / 1048576).toFixed(2)} MB) parsed in ${ms.toFixed(0)} ms`);
    assert.equal(f.items.length, 10_000);
    assert.equal(f.truncated, undefined);
    assert.equal(f.items[9_999].id, 'big-9999');
    assert.equal(f.items[9_999].title, 'Rally number 9999 & more');
  });

  test(`more than MAX_FEED_ITEMS (${MAX_FEED_ITEMS}) items: the first ones, and the count dropped`, () => {
    const n = MAX_FEED_ITEMS + 5;
    const xml = `<rss><channel>${'<item><title>x</title></item>'.repeat(n)}</channel></rss>`;
    const f = feed(xml);
    assert.equal(f.items.length, MAX_FEED_ITEMS);
    assert.equal(f.truncated, 5);
  });
});

describe('the XML parser', () => {
  test('namespaces resolve by URI whatever the prefix; CDATA and character references', () => {
    const doc = parseXml('<a xmlns="urn:d" xmlns:p="urn:p"><p:b x="1 &lt; 2">&#x41;&#66;<![CDATA[<c>&amp;]]></p:b><c xmlns="urn:e"/></a>');
    const [b, c] = doc.root.children as Array<{ ns: string; local: string; children: unknown[]; attrs: Array<{ value: string }> }>;
    assert.equal(doc.root.ns, 'urn:d');
    assert.equal(b.ns, 'urn:p');
    assert.equal(b.local, 'b');
    assert.equal(b.attrs[0].value, '1 < 2');
    assert.deepEqual(b.children, ['AB<c>&amp;']);
    assert.equal(c.ns, 'urn:e');
  });

  test('errors carry the line', () => {
    try {
      parseXml('<a>\n<b>\n</a>');
      assert.fail('should throw');
    } catch (e) {
      assert.ok(e instanceof XmlError);
      assert.equal(e.line, 3);
    }
  });
});

// ------------------------------------------------------------------ relevance

describe('protestRelevance', () => {
  const rel = (title: string, summary: string | null = null, content: string | null = null) => protestRelevance({ title, summary, content });

  test('protest words in the title, summary or content', () => {
    for (const title of [
      'Hundreds rally at City Hall',
      'Thousands March in Portland Against Deployment',
      'Nurses strike for safe staffing',
      'Students stage walkout over budget cuts',
      'Candlelight vigil for victims',
      'Workers picket the port',
      'Tenants hold sit-in at landlord’s office',
      'Demonstrators block the bridge',
      'Residents took to the streets on Saturday',
      'Hunger strike enters third week',
    ]) {
      assert.equal(rel(title).relevant, true, title);
    }
    assert.deepEqual(rel('Weekend roundup', 'Crowds rallied and then marched downtown'), { relevant: true, reason: 'mentions: rally, march' });
    assert.equal(rel('Weekend roundup', null, '<p>A protest was held.</p>').relevant, true);
  });

  test('not about protests, with the reason', () => {
    assert.deepEqual(rel('City council approves budget', 'The vote was 7-2.'), { relevant: false, reason: 'no protest words in title or summary' });
    assert.equal(rel('Council approves budget', 'x', '<p>nothing</p>').reason, 'no protest words in title, summary or content');
  });

  test('false friends: March the month, strikes in war and sport, market rallies, product demonstrations', () => {
    const cases = [
      ['Budget hearing set for March 28', /the month/],
      ['Sales rose in March', /the month/],
      ['Early March storms flood basements', /the month/],
      ['March Madness bracket picks', /the month/],
      ['Air strike hits depot', /war or sport/],
      ['Drone strikes reported near border', /war or sport/],
      ['Pitcher records 12 strikeouts', /no protest words/],
      ['Batter takes a called strike', /war or sport/],
      ['Leaders strike a deal on trade', /war or sport/],
      ['Stocks rally after the Fed decision', /markets or sport/],
      ['Late rally lifts the home team', /markets or sport/],
      ['Chef gives a cooking demonstration', /a showing/],
      ['Study demonstrated that the drug works', /verb: to show/],
      ['New picket fence for the park', /picket fence/],
    ] as const;
    for (const [title, why] of cases) {
      const r = rel(title);
      assert.equal(r.relevant, false, `${title}: ${r.reason}`);
      assert.match(r.reason, why, title);
    }
    // and the same words when they are protests
    assert.equal(rel('March 28: thousands march on the capitol').relevant, true);
    assert.equal(rel('Teachers strike in March').relevant, true);
    assert.equal(rel('Rally planned for March 7').relevant, true);
  });

  test('the shared classifier\'s sentence rules apply to summaries too: a club\'s protest, a game\'s rally', () => {
    let r = rel('Cup tie result stands', 'The club lodged a formal protest with the federation over the late goal.');
    assert.equal(r.relevant, false, r.reason);
    assert.match(r.reason, /complaint/);
    r = rel('Comeback win', 'The visitors rallied in the second half and scored twice to win the match.');
    assert.equal(r.relevant, false, r.reason);
    assert.match(r.reason, /sport/);
    assert.equal(rel('Weekend roundup', 'Fans rallied outside the stadium to protest the sale of the team.').relevant, true);
  });

  test('titleOnly: an item with nothing but its title (or a summary that repeats it) is judged on its page', () => {
    assert.equal(titleOnly({ title: 'Weekend update', summary: null, content: null }), true);
    assert.equal(titleOnly({ title: 'Weekend update', summary: '  weekend   UPDATE ', content: '<p>Weekend update</p>' }), true);
    assert.equal(titleOnly({ title: null, summary: null }), true);
    assert.equal(titleOnly({ title: 'Weekend update', summary: 'Crowds gathered downtown.' }), false);
    assert.equal(titleOnly({ title: 'Weekend update', summary: null, content: '<p>The full story.</p>' }), false);
  });
});

// ------------------------------------------------------------------ near-duplicates

// MADE-UP wire stories, written for these tests. Not real news; any resemblance to real events is chance.
const WIRE_A = `Hundreds of bus riders and drivers rallied outside the regional transit authority's headquarters on Tuesday, protesting a plan to cut weekend service on a dozen routes that serve the city's east side.

The crowd, which organizers put at about 600 people, filled the plaza in front of the building for nearly two hours. Many carried hand-lettered signs reading "Our buses, our city" and "Don't strand the night shift." Drivers in union jackets led chants between speeches.

"I take the 14 to work every Saturday and Sunday," said one rider, a hospital cook who asked that her name not be used. "If they cut it, I walk an hour each way or I lose my job."

The transit authority says the cuts would save about $9 million a year and are needed to close a budget gap left by falling fare revenue and the end of federal relief money. A spokesperson said the board would consider public comments before a vote next month and that no route would be eliminated entirely.

Union leaders said the plan would fall hardest on workers without cars and on neighbourhoods that already wait longest for buses. They asked the board to seek money from the state legislature instead and to delay the vote until after the session ends.

Police closed one lane of the avenue during the rally. No arrests were reported, and the crowd dispersed peacefully in the early evening after a final speech by a retired driver who had worked the east side routes for thirty years.

A second rally is planned for the day of the board vote, organizers said, and a coalition of tenant groups and churches has signed on to support it.`;

// a different made-up story on a similar subject (a public-service cut, a march, officials' reply)
const WIRE_B = `More than a thousand parents, teachers and students marched from the district office to the state capitol on Saturday to oppose a proposal to close nine neighbourhood schools at the end of the year.

Marchers carried banners with the names of each school and stopped at two of them along the route, where students read letters they had written to the school board. The march stretched for several blocks and slowed traffic downtown for about an hour.

"These schools are the heart of our neighbourhoods," said a teacher who has taught fourth grade at one of the schools for eleven years. "Closing them means longer bus rides and bigger classes for kids who already have the least."

District officials say enrollment has dropped by a fifth over the past decade and that consolidating buildings would free money for teacher raises and repairs. The superintendent said in a statement that the district had held community meetings and would publish a revised list in the spring.

At the capitol, speakers urged lawmakers to change the school funding formula, which they say punishes districts with falling enrollment. Several legislators addressed the crowd and promised to introduce a bill.

State troopers watched from the capitol steps. The march ended without incident, and organizers said they would return for the school board's public hearing later in the month.`;

// the same bus story told again by another (made-up) outlet: a different story about the same rally
const WIRE_A_OTHER_OUTLET = `East side riders packed the plaza at transit headquarters Tuesday afternoon to push back against proposed weekend bus cuts, the latest sign of anger over a budget plan the agency's board will vote on next month.

Organizers estimated the turnout at 600. Agency staff watched from the lobby as speakers, including several bus drivers, took turns with a bullhorn.

The proposal would trim Saturday and Sunday trips on twelve routes. Agency officials have said the change is necessary because fare revenue has not recovered and one-time federal aid has run out.

Riders who spoke at the event described long waits already. One man said he had missed two medical appointments this winter because buses did not come. A pastor from a church near the end of the line said older members of her congregation would be cut off on Sundays.

Board members did not attend. The agency said it was reading every public comment.`;

describe('simhash near-duplicates', () => {
  const a = simhash(WIRE_A);
  const d = (t: string) => hammingDistance(a, simhash(t));

  test('wire copy re-run with a new headline, a dateline, an added paragraph or small edits is a near-duplicate', (t) => {
    const variants: Record<string, string> = {
      'new headline': 'Transit riders protest weekend bus cuts\n\n' + WIRE_A,
      dateline: 'EASTVILLE, Ohio (Wire) — ' + WIRE_A,
      'added paragraph': WIRE_A + '\n\nThe authority last raised fares two years ago, and ridership on the east side routes has recovered to about 80 percent of its level before the pandemic, according to agency figures.',
      'three small edits': WIRE_A.replace('Hundreds of', 'Several hundred').replace('thirty years', '30 years').replace('Tuesday,', 'Tuesday afternoon,'),
      'last paragraph cut': WIRE_A.split('\n\n').slice(0, -1).join('\n\n'),
      'all of it, with typography': ('Bus riders rally against cuts\n\nEASTVILLE, Ohio (Wire) — ' + WIRE_A + '\n\n© 2026 Wire Service. All rights reserved.').replace(/"/g, '“').replace(/'/g, '’'),
    };
    const report: string[] = [];
    for (const [name, text] of Object.entries(variants)) {
      report.push(`${name} ${d(text)}`);
      assert.ok(isNearDuplicate(a, simhash(text)), `${name}: ${d(text)} bits > ${NEAR_DUPLICATE_BITS}`);
    }
    t.diagnostic(`bits from the original: ${report.join(', ')} (threshold ${NEAR_DUPLICATE_BITS})`);
  });

  test('different stories, even on the same subject or the same event, are not', (t) => {
    const ab = d(WIRE_B);
    const other = d(WIRE_A_OTHER_OUTLET);
    t.diagnostic(`bits: different story ${ab}, same rally by another outlet ${other}`);
    assert.ok(!isNearDuplicate(a, simhash(WIRE_B)), `${ab} bits`);
    assert.ok(!isNearDuplicate(a, simhash(WIRE_A_OTHER_OUTLET)), `${other} bits`);
    assert.ok(ab > 2 * NEAR_DUPLICATE_BITS);
  });

  test('basics: deterministic, 64 bits, normalised, empty text', () => {
    assert.equal(simhash(WIRE_A), a);
    assert.ok(a >= 0n && a < 1n << 64n);
    assert.equal(simhash('Hundreds RALLIED, downtown!'), simhash('hundreds rallied downtown'));
    assert.equal(simhash('café'), simhash('cafe'));
    assert.equal(simhash(''), 0n);
    assert.equal(hammingDistance(0n, (1n << 64n) - 1n), 64);
    assert.equal(hammingDistance(0b1011n, 0b0001n), 2);
  });

  test('the seed articles: not near-duplicates of each other; a lightly edited seed is', { skip: NO_SHARED ?? false }, (t) => {
    const seeds = readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(SEEDS_DIR, f), 'utf8'));
    assert.ok(seeds.length >= 2);
    const [s0, s1] = seeds.map(simhash);
    t.diagnostic(`seed 0 vs seed 1: ${hammingDistance(s0, s1)} bits`);
    assert.ok(!isNearDuplicate(s0, s1));
    seeds.forEach((text, i) => {
      const edited = 'A syndicated headline\n\n' + text.replace(/\bthe\b/, 'a').replace(/\bFriday\b/, 'Friday evening') + '\n\nThis story has been updated.';
      const bits = hammingDistance(simhash(text), simhash(edited));
      t.diagnostic(`seed ${i} with light edits: ${bits} bits`);
      assert.ok(bits <= NEAR_DUPLICATE_BITS);
    });
  });
});
