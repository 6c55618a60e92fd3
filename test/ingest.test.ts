// Tests for the ingest stage. Every HTML page and text snippet below was written by the project for these
// tests; the real seed articles are read from ../shared/seeds and never copied into the repository.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Article, BlockKind } from '../src/core/types.js';
import { IngestError, MAX_BYTES, ingest } from '../src/ingest/index.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const seedsDir = resolve(repoRoot, '..', 'shared', 'seeds');
const seedFiles = existsSync(seedsDir) ? readdirSync(seedsDir).filter((f) => f.endsWith('.txt')).sort() : [];
const noSeeds = seedFiles.length >= 2 ? null : `needs the seed articles in ${seedsDir}, which a fresh clone does not have`;

const enc = new TextEncoder();
const bytesOf = (s: string) => enc.encode(s);

function seed(prefix: string): { raw: string; article: Article } {
  const file = seedFiles.find((f) => f.startsWith(prefix));
  assert.ok(file, `seed ${prefix} not found`);
  const bytes = readFileSync(join(seedsDir, file));
  return { raw: bytes.toString('utf8'), article: ingest({ bytes, name: file, contentType: 'text/plain' }) };
}

function blockTexts(a: Article, kind: BlockKind): string[] {
  return a.blocks.filter((b) => b.kind === kind).map((b) => a.text.slice(b.start, b.end));
}

function expectError(fn: () => unknown, code: string): IngestError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof IngestError, `expected IngestError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

function assertBlocksValid(a: Article): void {
  let last = -1;
  for (const b of a.blocks) {
    assert.ok(b.start >= 0 && b.end <= a.text.length && b.start < b.end, `bad range ${b.start}-${b.end}`);
    assert.ok(b.start >= last, 'blocks are in text order and do not overlap');
    assert.equal(a.text.slice(b.start, b.end), a.text.slice(b.start, b.end).trim(), 'blocks are trimmed');
    last = b.end;
  }
}

// ------------------------------------------------------------------ the real seeds

test('seed 000: dateline date, title, headings, credits, captions', { skip: noSeeds ?? false }, () => {
  const { raw, article: a } = seed('000');
  assertBlocksValid(a);
  assert.equal(a.published, '2026-01-31');
  assert.equal(a.publishedSource, 'dateline');
  assert.match(a.publishedEvidence ?? '', /2026-01-31/);
  // the title is the first real line of the seed, not the date stamp above it
  const firstLines = raw.split('\n').map((l) => l.trim()).filter(Boolean);
  assert.equal(a.title, firstLines[1]);
  assert.deepEqual(blockTexts(a, 'title'), [firstLines[1]]);
  assert.deepEqual(blockTexts(a, 'furniture'), [firstLines[0]]);

  const headings = blockTexts(a, 'heading');
  for (const h of ['Twin Cities', 'California', 'New York City', 'Miami', 'Livingston, Montana', 'Charlotte, North Carolina', 'Washington, DC']) {
    assert.ok(headings.includes(h), `heading ${h} in ${JSON.stringify(headings)}`);
  }

  // Every line of the seed that ends in "/GETTY" ends with a credit block, and no caption or paragraph block
  // contains a credit's text.
  const credits = blockTexts(a, 'credit');
  const creditLines = firstLines.filter((l) => /\/GETTY$/.test(l));
  assert.ok(creditLines.length >= 20);
  for (const l of creditLines) {
    // the whole line, or its tail when the credit follows a caption on the same line
    assert.ok(credits.some((c) => l.endsWith(c) && /\/GETTY$/.test(c)), `credit line classified: ${l}`);
  }
  const prose = [...blockTexts(a, 'caption'), ...blockTexts(a, 'paragraph')];
  for (const c of new Set(credits)) {
    for (const p of prose) assert.ok(!p.includes(c), `credit "${c}" leaked into "${p.slice(0, 60)}..."`);
  }
  // a credit glued to the caption that repeats the previous line: split into credit + caption
  const glued = firstLines.find((l) => /^[^/]{3,60}\/GETTY\p{Lu}\p{Ll}/u.test(l));
  assert.ok(glued, 'the seed has a glued credit+caption line');
  const at = a.text.indexOf(glued);
  const inside = a.blocks.filter((b) => b.start >= at && b.end <= at + glued.length).map((b) => b.kind);
  assert.deepEqual(inside, ['credit', 'caption']);
  // a line directly followed by a credit line is a caption
  const captioned = firstLines[firstLines.indexOf(creditLines[0]) - 1];
  assert.ok(blockTexts(a, 'caption').includes(captioned));
});

test('seed 001: header date, furniture, repeated caption', { skip: noSeeds ?? false }, () => {
  const { raw, article: a } = seed('001');
  assertBlocksValid(a);
  assert.equal(a.published, '2026-01-28');
  assert.equal(a.publishedSource, 'header');
  assert.equal(a.publishedEvidence, '28 January 2026');
  const furniture = blockTexts(a, 'furniture');
  for (const f of ['top of page', 'Comments', 'bottom of page', '• 4 min read', '• Jan 28']) {
    assert.ok(furniture.includes(f), `furniture ${f}`);
  }
  for (const p of blockTexts(a, 'paragraph')) {
    assert.ok(!/^(?:top of page|bottom of page|Comments)$/.test(p), `furniture in a paragraph: ${p}`);
  }
  const lines = raw.split('\n').map((l) => l.trim()).filter(Boolean);
  assert.equal(a.title, lines[1]);
  const repeated = lines.find((l, i) => lines[i + 1] === l);
  assert.ok(repeated);
  assert.equal(blockTexts(a, 'caption').filter((c) => c === repeated).length, 2);
  assert.ok(blockTexts(a, 'paragraph').length >= 8);
});

test('seeds: the same bytes give the same id; ids differ between articles', { skip: noSeeds ?? false }, () => {
  const a = seed('000').article;
  const b = seed('000').article;
  const c = seed('001').article;
  assert.match(a.id, /^[0-9a-f]{64}$/);
  assert.equal(a.id, b.id);
  assert.notEqual(a.id, c.id);
  // CRLF line endings are normalised: same text, same id
  const crlf = ingest({ bytes: bytesOf(seed('001').raw.replace(/\n/g, '\r\n')), name: 'x.txt' });
  assert.equal(crlf.id, c.id);
});

// ------------------------------------------------------------------ text rules on project-written lines

test('text: generic furniture, credits, captions and headings', () => {
  const text = [
    'Skip to content',
    'City Workers Walk Out Over Pay',
    'By Pat Example',
    'Updated 3:45 PM EST, March 3, 2025',
    '• 6 min read',
    '',
    'Hundreds of city workers walked off the job on Monday morning, union leaders said, in a dispute over pay that has lasted months.',
    '',
    'Harbor Town',
    '',
    'In Harbor Town, the walkout closed two libraries and a pool, and a rally outside the town hall drew about 300 people.',
    'Workers hold signs outside the town hall in Harbor Town on Monday.',
    'Jane Roe/AP',
    'A union steward speaks to the crowd. (AP Photo/John Doe)',
    'A drummer leads the march on Monday.',
    'Pat Example for The Example Gazette',
    'Teachers join the picket line before the first bell.',
    'Photo: Sam Lee/Reuters',
    'Updated yesterday',
    'Read more',
    'Advertisement',
    'Sign up for our newsletter to get the latest news every morning',
  ].join('\n');
  const a = ingest({ bytes: bytesOf(text), name: 'note.txt' });
  assertBlocksValid(a);
  assert.equal(a.title, 'City Workers Walk Out Over Pay');
  assert.equal(a.published, '2025-03-03');
  assert.equal(a.publishedSource, 'header');
  assert.deepEqual(blockTexts(a, 'heading'), ['Harbor Town']);
  assert.deepEqual(blockTexts(a, 'credit'), ['Jane Roe/AP', '(AP Photo/John Doe)', 'Pat Example for The Example Gazette', 'Photo: Sam Lee/Reuters']);
  assert.deepEqual(blockTexts(a, 'caption'), [
    'Workers hold signs outside the town hall in Harbor Town on Monday.',
    'A union steward speaks to the crowd.',
    'A drummer leads the march on Monday.',
    'Teachers join the picket line before the first bell.',
  ]);
  const furniture = blockTexts(a, 'furniture');
  for (const f of ['Skip to content', 'By Pat Example', '• 6 min read', 'Updated yesterday', 'Read more', 'Advertisement']) {
    assert.ok(furniture.includes(f), f);
  }
  assert.equal(blockTexts(a, 'paragraph').length, 2);
});

test('text: a slash place name is not a credit; "Justice for X" after a heading is not a credit', () => {
  const text = 'Minneapolis/St. Paul\nCrowds gathered in both cities on Saturday for a long march along the river, police said.\n\nJustice for Renee Good\nA vigil was held on Sunday evening at the park, with candles and songs, and it lasted hours.';
  const a = ingest({ bytes: bytesOf(text), name: 'x.txt' });
  assert.deepEqual(blockTexts(a, 'credit'), []);
});

test('text and markdown: a title after an introductory note', () => {
  const note = 'This copy was prepared for an archive and edited for length, with photos removed from the page.';
  const txt = ingest({ bytes: bytesOf(`${note}\n\nNurses Rally for Safe Staffing\n\nNurses rallied outside the hospital on Tuesday, calling for higher staffing levels on every ward.`), name: 'x.txt' });
  assert.equal(txt.title, 'Nurses Rally for Safe Staffing');
  const md = ingest({ bytes: bytesOf(`${note}\n\n# Nurses Rally for Safe Staffing\n\nNurses rallied outside the hospital on Tuesday, calling for higher staffing levels.`), name: 'x.md' });
  assert.equal(md.title, 'Nurses Rally for Safe Staffing');
});

test('text: a bare "Jan 28" without a year is ignored unless a full date confirms it', () => {
  const lone = ingest({ bytes: bytesOf('A Headline Here\n• Jan 28\n\nProtesters gathered downtown on Tuesday, organizers said, and marched to the courthouse in the rain.'), name: 'x.txt' });
  assert.equal(lone.published, null);
  const confirmed = ingest({
    bytes: bytesOf('A Headline Here\n• Jan 28\n\nProtesters gathered downtown on Tuesday, organizers said, and marched to the courthouse in the rain.\n\nThe report was filed on January 28, 2026.'),
    name: 'x.txt',
  });
  assert.equal(confirmed.published, '2026-01-28');
  assert.equal(confirmed.publishedEvidence, '• Jan 28');
});

test('markdown: headings, image alt text as caption, inline syntax removed', () => {
  const md = '# Rally at the Capitol\n\n*Published January 5, 2026*\n\nA **large** crowd met at the [Capitol](https://example.org/capitol) on Sunday afternoon to demand a vote on the bill.\n\n![Marchers on the Capitol steps on Sunday](img.jpg)\n\nJane Roe/Example Wire\n\n## Riverside\n\nIn Riverside, a smaller group gathered near the bridge for an hour and then walked to city hall together.\n';
  const a = ingest({ bytes: bytesOf(md), name: 'rally.md' });
  assertBlocksValid(a);
  assert.equal(a.title, 'Rally at the Capitol');
  assert.equal(a.published, '2026-01-05');
  assert.deepEqual(blockTexts(a, 'heading'), ['Riverside']);
  assert.deepEqual(blockTexts(a, 'caption'), ['Marchers on the Capitol steps on Sunday']);
  assert.deepEqual(blockTexts(a, 'credit'), ['Jane Roe/Example Wire']);
  assert.ok(!/[*[\]()#]|https?:/.test(a.text), a.text);
  assert.ok(a.flags.includes('markdown'));
});

// ------------------------------------------------------------------ options

test('the published option wins and is validated; bad url is refused', () => {
  const a = ingest({ bytes: bytesOf('Headline\n\ndate 2026-01-31 4 hours ago\n\nSome text about a march that happened yesterday in the city center, with many people.'), name: 'x', published: '2025-12-01' });
  assert.equal(a.published, '2025-12-01');
  assert.equal(a.publishedSource, 'option');
  const bad = expectError(() => ingest({ bytes: bytesOf('hello world'), name: 'x', published: '2025-02-30' }), 'bad_option');
  assert.match(bad.message, /YYYY-MM-DD/);
  expectError(() => ingest({ bytes: bytesOf('hello world'), name: 'x', url: 'not a url' }), 'bad_option');
});

// ------------------------------------------------------------------ hostile inputs

test('empty and whitespace-only files are refused', () => {
  assert.match(expectError(() => ingest({ bytes: new Uint8Array(0), name: 'e.txt' }), 'empty').message, /empty/);
  assert.match(expectError(() => ingest({ bytes: bytesOf(' \n\t\r\n  \u00a0 '), name: 'w.txt' }), 'empty').message, /whitespace/);
});

test('binary garbage is refused', () => {
  let seedValue = 42;
  const rnd = () => ((seedValue = (seedValue * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff;
  const bytes = new Uint8Array(4096).map(() => rnd());
  bytes[100] = 0;
  assert.match(expectError(() => ingest({ bytes, name: 'x.bin' }), 'binary').message, /binary/);
  // a PDF signature is named
  assert.match(expectError(() => ingest({ bytes: bytesOf('%PDF-1.7\n...'), name: 'x.pdf' }), 'binary').message, /PDF/);
  // control characters without NULs
  const ctrl = new Uint8Array(2000).map((_, i) => (i % 3 === 0 ? 0x01 : 0x41));
  expectError(() => ingest({ bytes: ctrl, name: 'x.txt' }), 'binary');
});

test('a 50 MB HTML page is refused fast, before parsing', () => {
  const chunk = bytesOf('<p>Protesters marched through the streets of the city on Friday.</p>\n');
  const bytes = new Uint8Array(50 * 1024 * 1024);
  for (let i = 0; i + chunk.length <= bytes.length; i += chunk.length) bytes.set(chunk, i);
  const t = performance.now();
  const err = expectError(() => ingest({ bytes, name: 'big.html', contentType: 'text/html' }), 'too_large');
  assert.ok(performance.now() - t < 100, 'refused without decoding');
  assert.match(err.message, /50\.0 MB/);
  assert.equal(MAX_BYTES, 20 * 1024 * 1024);
});

test('invalid UTF-8 decodes with U+FFFD and a flag', () => {
  const good = bytesOf('Café owners joined the march in Peñalolén on Friday, with hundreds of people. ');
  const bytes = new Uint8Array([...good, 0xc3, 0x28, 0xff, ...bytesOf(' More text follows here.')]);
  const a = ingest({ bytes, name: 'x.txt' });
  assert.ok(a.text.includes('\ufffd'));
  assert.ok(a.text.includes('Café') && a.text.includes('Peñalolén'));
  assert.ok(a.flags.includes('invalid_utf8'));
});

test('a Latin-1 HTML page with <meta charset="iso-8859-1"> decodes correctly', () => {
  const html = '<!doctype html><html><head><meta charset="iso-8859-1"><title>Marcha en Peñalolén</title></head><body><p>Vecinos de Peñalolén se reunieron frente al café de la plaza el viernes para protestar contra el cierre del consultorio.</p></body></html>';
  const bytes = Uint8Array.from(html, (ch) => ch.charCodeAt(0)); // one byte per character: Latin-1
  assert.ok(bytes.includes(0xf1) && bytes.includes(0xe9));
  const a = ingest({ bytes, name: 'latin1.html' });
  assert.ok(a.text.includes('Peñalolén'), a.text);
  assert.ok(a.text.includes('café'));
  assert.ok(!a.flags.includes('invalid_utf8'));
  // the same bytes with the charset given by the caller, and with no declaration at all (sniffed)
  const declared = ingest({ bytes: Uint8Array.from(html.replace('<meta charset="iso-8859-1">', ''), (ch) => ch.charCodeAt(0)), name: 'x.html', contentType: 'text/html; charset=ISO-8859-1' });
  assert.ok(declared.text.includes('Peñalolén'));
  const sniffed = ingest({ bytes: Uint8Array.from(html.replace('<meta charset="iso-8859-1">', ''), (ch) => ch.charCodeAt(0)), name: 'x.html' });
  assert.ok(sniffed.text.includes('Peñalolén'));
});

test('UTF-16 with a BOM decodes', () => {
  const s = 'Marchers met in Łódź on Saturday, and the crowd grew through the afternoon into the evening.';
  const bytes = new Uint8Array(2 + s.length * 2);
  bytes[0] = 0xff;
  bytes[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    bytes[2 + i * 2] = s.charCodeAt(i) & 0xff;
    bytes[3 + i * 2] = s.charCodeAt(i) >> 8;
  }
  assert.equal(ingest({ bytes, name: 'x.txt' }).text, s);
});

test('deeply nested markup (100,000 divs) parses in bounded time', () => {
  const n = 100_000;
  const html = `<html><head><title>Deep</title></head><body>${'<div>'.repeat(n)}<p>Protesters gathered at the deep end of the page on Friday to be heard.</p>${'</div>'.repeat(n)}</body></html>`;
  const t = performance.now();
  const a = ingest({ bytes: bytesOf(html), name: 'deep.html' });
  const ms = performance.now() - t;
  assert.ok(a.text.includes('Protesters gathered at the deep end of the page'));
  assert.ok(a.flags.includes('deep_nesting'));
  assert.ok(ms < 2000, `${ms.toFixed(0)} ms`);
  // unclosed deep nesting too
  const open = ingest({ bytes: bytesOf(`<html><body>${'<span><div>'.repeat(n)}Unclosed but readable text at the bottom of a very deep page.`), name: 'deep2.html' });
  assert.ok(open.text.includes('Unclosed but readable text'));
});

const page = (head: string, body = '', opts: { url?: string } = {}) =>
  ingest({
    bytes: bytesOf(`<!doctype html><html><head><title>Rally downtown | Example News</title>${head}</head><body><article><h1>Rally downtown</h1><p>Several hundred people rallied downtown on Saturday afternoon against the closure of the county hospital, organizers said.</p>${body}</article></body></html>`),
    name: 'page.html',
    url: opts.url ?? null,
  });

test('html: published date from JSON-LD (inside @graph)', () => {
  const a = page('<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example News"},{"@type":["NewsArticle"],"headline":"Rally downtown","datePublished":"2026-01-30T21:15:00-05:00","publisher":{"@type":"Organization","name":"Example News"}}]}</script><meta property="article:published_time" content="2020-01-01T00:00:00Z">');
  assert.equal(a.published, '2026-01-30');
  assert.equal(a.publishedSource, 'jsonld');
  assert.equal(a.publisher, 'Example News');
  assert.equal(a.title, 'Rally downtown');
});

test('html: published date from meta tags', () => {
  const a = page('<meta property="article:published_time" content="2026-01-29T08:00:00Z"><meta property="og:site_name" content="Example News">');
  assert.equal(a.published, '2026-01-29');
  assert.equal(a.publishedSource, 'meta');
  const b = page('<meta name="parsely-pub-date" content="2026-02-02T10:00:00Z">');
  assert.equal(b.published, '2026-02-02');
  const c = page('', '').published;
  assert.equal(c, null);
});

test('html: published date from <time datetime> in the header', () => {
  const a = ingest({
    bytes: bytesOf('<html><body><header><h1>Sit-in at the library</h1><time datetime="2026-01-27T09:00">Jan 27</time></header><main><p>Students held a sit-in at the main library on Monday to protest cuts to opening hours, staff said.</p></main></body></html>'),
    name: 'x.html',
  });
  assert.equal(a.published, '2026-01-27');
  assert.equal(a.publishedSource, 'meta');
});

test('html: published date from the URL path; canonical URL and host as publisher', () => {
  const a = page('<link rel="canonical" href="/news/2026/01/31/rally-downtown/">', '', { url: 'https://www.example.org/x?id=1' });
  assert.equal(a.url, 'https://www.example.org/news/2026/01/31/rally-downtown/');
  assert.equal(a.published, '2026-01-31');
  assert.equal(a.publishedSource, 'url');
  assert.equal(a.publisher, 'example.org');
  const b = page('', '', { url: 'https://example.org/story/2026-02-01/rally' });
  assert.equal(b.published, '2026-02-01');
});

test('html: scripts and styles never reach the text; escaped script text stays text', () => {
  const a = page(
    '<style>.lead{color:red} STYLE_MARK</style><script>var SCRIPT_MARK = 1;</script>',
    '<p>A sign read &lt;script&gt;alert(1)&lt;/script&gt; in large letters, which made the crowd laugh on the steps.</p><script>document.write("SCRIPT_MARK2")</script><noscript>NOSCRIPT_MARK</noscript>',
  );
  for (const mark of ['STYLE_MARK', 'SCRIPT_MARK', 'NOSCRIPT_MARK', 'color:red']) assert.ok(!a.text.includes(mark), mark);
  assert.ok(a.text.includes('<script>alert(1)</script> in large letters'));
  assert.ok(!/<(?:p|div|article|h1)\b/i.test(a.text), 'no markup kept');
});

test('html: structure (headings, captions, credits) and boilerplate removal', () => {
  const a = page(
    '<meta property="og:site_name" content="Example News">',
    '<figure><img src="a.jpg" alt=""><figcaption>Nurses lead the march past the hospital on Saturday. <span class="credit">Jane Roe/Example Wire</span></figcaption></figure>' +
      '<h2>Eastside</h2><p>On the east side of the county, a second group of about fifty people held a vigil outside the clinic that evening.</p>' +
      '<div class="social-share"><a>Share on Facebook</a><a>Share on X</a></div>' +
      '<p>The county board will vote on the closure plan next month, a spokesperson said after the rally had ended.</p>' +
      '<nav><a>Next story</a></nav><section class="comments"><h3>Comments</h3><p>Reader comment that should be dropped, written at length so it looks like content.</p></section><footer>Copyright 2026</footer>',
  );
  assertBlocksValid(a);
  assert.equal(a.title, 'Rally downtown');
  assert.equal(a.publisher, 'Example News');
  assert.deepEqual(blockTexts(a, 'heading'), ['Eastside']);
  assert.deepEqual(blockTexts(a, 'caption'), ['Nurses lead the march past the hospital on Saturday.']);
  assert.deepEqual(blockTexts(a, 'credit'), ['Jane Roe/Example Wire']);
  for (const gone of ['Share on Facebook', 'Reader comment', 'Next story', 'Copyright']) assert.ok(!a.text.includes(gone), gone);
});

test('html: fragments and bare text labelled as HTML still parse', () => {
  const frag = ingest({ bytes: bytesOf('<p>Hundreds marched in the town on Friday, police said, and it ended at dusk.</p><p>Second paragraph.</p>'), name: 'x', contentType: 'text/html' });
  assert.equal(blockTexts(frag, 'paragraph').length, 2);
  const bare = ingest({ bytes: bytesOf('Hundreds marched in the town on Friday, police said.'), name: 'x', contentType: 'text/html' });
  assert.equal(bare.text, 'Hundreds marched in the town on Friday, police said.');
});

test('html: a page with no text is refused with no_text', () => {
  expectError(() => ingest({ bytes: bytesOf('<html><head><title></title></head><body><img src="x.png"><script>var a=1</script></body></html>'), name: 'x.html' }), 'no_text');
});

test('html: a 10 MB page parses completely and does not hang (no quadratic path)', () => {
  const parts: string[] = ['<!doctype html><html><head><title>Big page</title></head><body><article>'];
  let size = 0;
  for (let i = 0; size < 10 * 1024 * 1024; i++) {
    const s = `<div class="item"><h2>Section ${i}</h2><p>Paragraph ${i}: people marched along the river and gathered in the square, where speakers addressed the crowd.</p><figure><figcaption>Caption ${i} for a photo of marchers. <span class="credit">Jane Roe/AP</span></figcaption></figure></div>\n`;
    parts.push(s);
    size += s.length;
  }
  parts.push('</article></body></html>');
  const bytes = bytesOf(parts.join(''));
  const t = performance.now();
  const a = ingest({ bytes, name: 'big.html' });
  const ms = performance.now() - t;
  assert.ok(a.text.includes('Paragraph 100: people marched'));
  // a guard against a hang, not a speed measurement (the benchmarks measure speed): a quadratic path over
  // 10 MB would take minutes
  assert.ok(ms < 20_000, `${ms.toFixed(0)} ms for ${(bytes.length / 1048576).toFixed(1)} MB`);
});
