// Made-up reports of a few protests, each event told by many articles in different words, for the store's growth
// tests and the ingest benchmark. Written by the Turnout project; no real article text.

const PLACES: Array<[string, string]> = [
  ['Keene', 'New Hampshire'], ['Reno', 'Nevada'], ['Boise', 'Idaho'], ['Akron', 'Ohio'], ['Eugene', 'Oregon'],
  ['Tulsa', 'Oklahoma'], ['Duluth', 'Minnesota'], ['Bangor', 'Maine'], ['Fresno', 'California'], ['Omaha', 'Nebraska'],
];
const SIZES = ['About 120', 'Dozens of', 'More than 200', 'Roughly 150', 'Nearly 300', 'Hundreds of'];
const WHO = ['residents', 'students', 'nurses', 'tenants', 'parents'];
const GROUPS = ['the Riverside Tenants Union', 'the Parents for Safe Streets', 'the County Nurses Guild', 'the Bus Riders Alliance'];
const CLAIMS = ['a new bus line', 'safer crossings near schools', 'lower rents', 'more school nurses'];
const MONTHS = ['January', 'February', 'March', 'April'];

/** A day of 2026 for event `e` (one of `events`): YYYY-MM-DD and the words of it. */
function dayOf(e: number): { iso: string; words: string; published: string } {
  const month = (e % 4) + 1;
  const day = (Math.floor(e / 4) % 26) + 1;
  const mm = String(month).padStart(2, '0');
  return { iso: `2026-${mm}-${String(day).padStart(2, '0')}`, words: `${MONTHS[month - 1]} ${day}, 2026`, published: `2026-${mm}-${String(day + 1).padStart(2, '0')}` };
}

/**
 * Article `i` of a set where article i reports event `i % events` (a protest at one place on one day). Reports
 * differ in their crowd sizes, organizers and demands, so every new one changes the event a little.
 */
export function report(i: number, events = 1): { name: string; text: string } {
  const e = i % events;
  const [town, state] = PLACES[e % PLACES.length]!;
  const { words, published } = dayOf(e);
  const size = SIZES[i % SIZES.length]!;
  const who = WHO[(i >> 1) % WHO.length]!;
  const lines = [
    `date ${published}`,
    '',
    `${size} ${who} rally in ${town} (report ${i})`,
    '',
    `${size} ${who} rallied outside the public library in ${town}, ${state}, on ${words}, calling for ${CLAIMS[i % CLAIMS.length]}.`,
    '',
    `The rally was organized by ${GROUPS[(i >> 2) % GROUPS.length]}. Speakers took turns at a microphone; report number ${i} of event ${e}.`,
  ];
  return { name: `report-${String(i).padStart(5, '0')}.txt`, text: lines.join('\n') + '\n' };
}

/** `n` reports of `events` events (see report). */
export function reports(n: number, events = 1): Array<{ name: string; text: string }> {
  return Array.from({ length: n }, (_, i) => report(i, events));
}
