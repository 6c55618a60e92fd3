// Benchmark: a 10,000-item feed served from a loopback server (made-up articles built from the CCC rows'
// places, dates, sizes, organizers and claims when ../shared is present, else test/helpers/corpus.ts),
// ingested end to end by `turnout watch --once`'s watcher in-process: poll, relevance, fetch of every page,
// extract, near-duplicate check, store. Prints items/s and peak RSS. Talks to 127.0.0.1 only.
import { join } from 'node:path';
import { parseFeed } from '../src/feeds/parse.js';
import { Watcher } from '../src/live/watch.js';
import { openStore } from '../src/store/sqlite/index.js';
import { existsSync } from 'node:fs';
import { makeArticle } from '../test/helpers/corpus.js';
import { CCC_FILE, cccRows, shiftDate, type Row } from './large-store.js';
import { startServer } from '../test/helpers/http-server.js';
import { tempDir } from '../test/helpers/shared.js';

const N = Number(process.env.BENCH_ITEMS ?? 10_000);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const server = await startServer();
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const FILLER = [
  'Speakers took turns at a portable microphone while volunteers handed out water.',
  'Police said the gathering remained peaceful and no roads were closed.',
  'Several participants said it was the first protest they had attended.',
  'Organizers said they would return next week if their demands were not met.',
  'A counter-protester stood across the street holding a small flag.',
  'The crowd chanted slogans and marched two blocks before dispersing.',
  'Local officials did not respond to requests for comment by press time.',
  'Students from a nearby college joined the group in the afternoon.',
  'Drivers honked in support as they passed the demonstrators.',
  'The event ended with a moment of silence.',
];

/** A made-up news text about one CCC row (its facts, not its sources' words), varied so texts differ. */
function cccArticle(r: Row, date: string, i: number): { text: string; town: string; state: string } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const when = `${MONTHS[m - 1]} ${d}, ${y}`;
  const size = r.size_text ? r.size_text[0]!.toUpperCase() + r.size_text.slice(1) : 'A group of';
  const lines = [
    `${r.title ?? 'Residents rally'} in ${r.locality}`,
    `${size} people rallied in ${r.locality}, ${r.state}, on ${when}${r.location ? `, at ${r.location}` : ''}.`,
    r.organizations.length ? `The ${r.event_type} was organized by ${r.organizations.join(' and ')}.` : `Organizers of the ${r.event_type} did not give their names.`,
    r.claims ? `Participants called ${r.claims.replace(/;/g, ',')}.` : 'Participants carried handmade signs.',
  ];
  for (let k = 0; k < 4; k++) lines.push(FILLER[(i * 7 + k * 3) % FILLER.length]!);
  lines.push(`(Item ${i}; written for the Turnout benchmark, not real news.)`);
  return { text: lines.join('\n\n'), town: r.locality, state: r.state };
}

const rows = existsSync(CCC_FILE) ? cccRows() : [];
const pages = Array.from({ length: N }, (_, i) => {
  if (!rows.length) return makeArticle(i, 6);
  const r = rows[i % rows.length]!;
  return cccArticle(r, shiftDate(r.date, 7 * Math.floor(i / rows.length)), i);
});
server.route('*', (req, res) => {
  const m = /^\/a\/(\d+)$/.exec(req.url ?? '');
  const page = m ? pages[Number(m[1])] : undefined;
  if (!page) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(page.text);
});
const items = pages
  .map((p, i) => `<item><title>${esc(`Rally in ${p.town}, ${p.state}`)}</title><link>${server.url}/a/${i}</link><guid>a-${i}</guid><description>${esc(p.text.slice(0, 200))}</description></item>`)
  .join('\n');
const xml = `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Benchmark feed (made up)</title>${items}</channel></rss>`;
server.route('/feed.xml', (_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(xml));

const tp = performance.now();
const parsed = parseFeed(Buffer.from(xml));
const parseMs = performance.now() - tp;

const repo = openStore(join(tempDir('turnout-bench-'), 'turnout.db'));
const watcher = new Watcher(repo, { allowHosts: [server.host], politenessMs: 0 });
watcher.live.addSource(`${server.url}/feed.xml`, 900);
console.log(`feed benchmark: ${N} items from ${rows.length ? 'CCC rows' : 'the test corpus'} (${(xml.length / 1e6).toFixed(1)} MB feed), pages of ${(pages[0]!.text.length / 1024).toFixed(1)} KB, loopback server`);
const t0 = performance.now();
const s = await watcher.once();
const secs = (performance.now() - t0) / 1000;
const states = watcher.live.itemCounts();
console.log(`  feed parse   ${parsed.items.length} items in ${parseMs.toFixed(0)} ms (cold)`);
console.log(`  items        ${JSON.stringify(states)}; ${s.eventsNew} events new, ${s.eventsUpdated} updated`);
console.log(`  throughput   ${(N / secs).toFixed(0)} items/s end to end (${secs.toFixed(1)} s)`);
console.log(`  peak RSS     ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (server, watcher and store in one process)`);
repo.close();
await server.close();
