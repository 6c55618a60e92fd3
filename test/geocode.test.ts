import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeLenientUtf8, parseCsvRecords } from '../src/core/csv.js';
import { haversineKm } from '../src/core/geo.js';
import { loadGazetteer, typoDistance } from '../src/resolve/gazetteer.js';
import { geocode, geocodeLines, rankPlaces } from '../src/resolve/geocode.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CCC_LOOKUP = join(REPO_ROOT, '..', 'shared', 'data', 'ccc', 'ccc-location-lookup.csv');
/**
 * Acceptance targets (issue 8, item 4): within 25 km of CCC's point on 98.5% of the clean rows (the typed two-letter
 * state is the one Google resolved, and the typed town is the locality it resolved) and on 94% of all rows with a state
 * and a point. Both are met and asserted (clean 98.63%, all 94.05%, five rows above the target). Most of the remaining
 * rows name townships, New England towns and CDPs too small for SimpleMaps and absent from the Census place list,
 * neighbourhoods that Google maps to their city, or a state with no place of the name, where Google's point for the
 * state is not ours.
 */
const CCC_CLEAN_TARGET = 0.985;
const CCC_ALL_TARGET = 0.94;
/** Regression guards: the clean rate measured now (98.63%), and the all-rows target itself. */
const CCC_CLEAN_FLOOR = 0.9863;
const CCC_ALL_FLOOR = CCC_ALL_TARGET;

function expectPlace(query: string, locality: string | null, region: string, extra: { county?: string; fips?: string } = {}): void {
  const r = geocode(query);
  assert.ok(r, `${query}: no result`);
  assert.equal(r.locality, locality, `${query}: locality`);
  assert.equal(r.region, region, `${query}: region`);
  if (extra.county !== undefined) assert.equal(r.county, extra.county, `${query}: county`);
  if (extra.fips !== undefined) assert.equal(r.fips, extra.fips, `${query}: fips`);
}

test('geocode: ambiguity settled by qualifier, then population', () => {
  expectPlace('Portland', 'Portland', 'OR');
  expectPlace('Portland, Maine', 'Portland', 'ME');
  expectPlace('Portland Maine', 'Portland', 'ME');
  expectPlace('Livingston, Montana', 'Livingston', 'MT');
  expectPlace('Black Mountain, NC', 'Black Mountain', 'NC');
  expectPlace('Fort Bragg, CA', 'Fort Bragg', 'CA');
  expectPlace('Ft. Bragg, Calif.', 'Fort Bragg', 'CA');
  expectPlace('St. Paul, Minn.', 'Saint Paul', 'MN', { county: 'Ramsey County', fips: '27123' });
  expectPlace('Los Angeles', 'Los Angeles', 'CA', { county: 'Los Angeles County', fips: '06037' });
  expectPlace('Paris', 'Paris', 'FR');
  expectPlace('Paris, Texas', 'Paris', 'TX');
  expectPlace('Milan', 'Milan', 'IT');
});

test('geocode: New York, Washington and nicknames', () => {
  expectPlace('New York City', 'New York', 'NY');
  expectPlace('Brooklyn', 'New York', 'NY', { county: 'Kings County', fips: '36047' });
  expectPlace('The Bronx', 'New York', 'NY', { fips: '36005' });
  expectPlace('Washington, DC', 'Washington', 'DC', { fips: '11001' });
  expectPlace('Washington, D.C.', 'Washington', 'DC', { fips: '11001' });
  expectPlace('Twin Cities', 'Minneapolis', 'MN');
  expectPlace('Queen City', 'Charlotte', 'NC');
  expectPlace('the Windy City', 'Chicago', 'IL');
});

test('geocode: states, countries, counties, neighbourhoods', () => {
  const or = geocode('Oregon');
  assert.equal(or?.precision, 'state');
  assert.equal(or?.region, 'OR');
  const fr = geocode('France');
  assert.equal(fr?.precision, 'country');
  assert.equal(fr?.country, 'FR');
  const cook = geocode('Cook County, IL');
  assert.equal(cook?.precision, 'county');
  assert.equal(cook?.fips, '17031');
  const echo = geocode('Echo Park, CA');
  assert.equal(echo?.locality, 'Los Angeles');
  assert.equal(echo?.neighbourhood, 'Echo Park');
  assert.equal(echo?.precision, 'locality');
  // a qualifier that contains no such town and no namesake stands out (Pasadena, CA and TX): the qualifier
  const bad = geocode('Pasadena, ME');
  assert.equal(bad?.precision, 'state');
  assert.equal(bad?.region, 'ME');
});

test('geocode: county names without "County", small towns, generic last words, typos', () => {
  const cuy = geocode('Cuyahoga, OH');
  assert.equal(cuy?.precision, 'county');
  assert.equal(cuy?.fips, '39035');
  assert.equal(geocode('Miami-Dade, FL')?.fips, '12086');
  // a real town of that name wins over the county of that name
  assert.equal(geocode('Brunswick, NC')?.precision, 'locality');
  expectPlace('Ruch, OR', 'Ruch', 'OR'); // GeoNames cities500 only
  expectPlace('Daytona, FL', 'Daytona Beach', 'FL');
  expectPlace('Abeline, TX', 'Abilene', 'TX');
  // a state code that is also a country code: Indiana, not India; Colorado, not Colombia
  assert.equal(geocode('Ames, IN')?.country, 'US');
  expectPlace('Dolores, CO', 'Dolores', 'CO');
});

test('geocode: typos keep the first letter, ignore spaces and count a swap of two letters as half an edit', () => {
  assert.equal(typoDistance('mariln', 'marlin', 1), 0.5);
  assert.equal(typoDistance('mariln', 'marion', 1), 1);
  assert.equal(typoDistance('abcdef', 'bacdfe', 2), 1);
  assert.equal(typoDistance('abcdef', 'uvwxyz', 2), 3);
  // a swap before another one-letter edit: Marlin, not Marion; Sherwood, not Shorewood
  expectPlace('Mariln, TX', 'Marlin', 'TX');
  expectPlace('Shrewood, WI', 'Sherwood', 'WI');
  // a name run together: River Vale (no edit but the space), not Riverdale (one edit)
  expectPlace('Rivervale, NJ', 'River Vale', 'NJ');
  // a one-letter change at the start is no typo while a town of the name stands out elsewhere: Layton, UT, not Dayton
  expectPlace('Layton, OH', 'Layton', 'UT');
  // ... and is the last reading before the state itself
  expectPlace('Cobile, AL', 'Mobile', 'AL');
});

test('geocode: codes and ZIP codes left in the place, directions and "Historic" before a town', () => {
  expectPlace('Ocala FL 34470, FL', 'Ocala', 'FL');
  expectPlace('Ocala FL USA, FL', 'Ocala', 'FL');
  // only codes in capitals go: "Washington" is part of the name
  expectPlace('Fort Washington, MD', 'Fort Washington', 'MD');
  expectPlace('Northwest Tulsa, OK', 'Tulsa', 'OK');
  expectPlace('Westside Omaha, NE', 'Omaha', 'NE');
  expectPlace('Historic Savannah, GA', 'Savannah', 'GA');
});

test('geocode: a word ending spelled the other way, a head word added or left out', () => {
  // -boro/-borough, -burg/-burgh
  expectPlace('Greensborough, NC', 'Greensboro', 'NC');
  expectPlace('Hillsborough, OR', 'Hillsboro', 'OR');
  // a head word left out: the one place named with it, or places so named that lie together
  expectPlace('Clemente, CA', 'San Clemente', 'CA');
  expectPlace('Pierce, FL', 'Fort Pierce', 'FL');
  const fl = geocode('Lauderdale, FL');
  assert.equal(fl?.locality, 'Fort Lauderdale');
  assert.ok(fl?.alternatives.some((a) => a.locality === 'North Lauderdale'));
  // a head word written for the place itself
  expectPlace('Lake Modesto, CA', 'Modesto', 'CA');
  // a one-edit typo of the name without its generic last word
  expectPlace('Tuscalosa City, AL', 'Tuscaloosa', 'AL');
  // more generic last words: a station, a depot, a courthouse, corners
  expectPlace('Oxford Station, MS', 'Oxford', 'MS');
  expectPlace('Salem Depot, NH', 'Salem', 'NH');
  expectPlace('Lexington Courthouse, VA', 'Lexington', 'VA');
  expectPlace('Ithaca Corners, NY', 'Ithaca', 'NY');
});

test('geocode: a state qualifier with no such place: border towns, code slips, dominant and likely towns, else the state', () => {
  const w = geocode('Weirton, OH');
  assert.equal(w?.region, 'WV');
  assert.deepEqual([w?.alternatives[0]?.region, w?.alternatives[0]?.locality], ['OH', null]); // the conflict stays visible
  expectPlace('Anaheim, FL', 'Anaheim', 'CA');
  expectPlace('Salt Lake City, ID', 'Salt Lake City', 'UT');
  // AK written for Arkansas (data/places/state-slips.tsv)
  expectPlace('Conway, AK', 'Conway', 'AR');
  // Boston, MA has more than ten times the people of any other Boston: the name alone says which, as Google reads it
  const b = geocode('Boston, ME');
  assert.deepEqual([b?.locality, b?.region], ['Boston', 'MA']);
  assert.deepEqual([b?.alternatives[0]?.region, b?.alternatives[0]?.locality], ['ME', null]);
  // no namesake stands out (Pasadena, CA and TX, of about the same size): the qualifier stays decisive
  assert.equal(geocode('Pasadena, ME')?.precision, 'state');
  // a township is a place of its own state, never a namesake elsewhere
  assert.notEqual(geocode('Xqzville Township, ME')?.region, 'MA');
  // a real place in the named state always wins
  expectPlace('Portland, Maine', 'Portland', 'ME');
  // elsewhere means the name as written: not the name without a "Village" it has, and a two-place name is no piece
  assert.equal(geocode('Tulsa Village, ME')?.precision, 'state');
  expectPlace('Wilkes-Barre, VT', 'Wilkes-Barre', 'PA');
  // a town of the very name that stands out elsewhere before a two-edit typo in the state (Carson City, NV)
  expectPlace('Carol City, NV', 'Carol City', 'FL');
  // after every reading in the state: the only town of the name, or one with twice the people of any other
  const o = geocode('Ogunquit, NH');
  assert.deepEqual([o?.locality, o?.region, o?.alternatives[0]?.region, o?.alternatives[0]?.locality], ['Ogunquit', 'ME', 'NH', null]);
  expectPlace('Fayetteville, ME', 'Fayetteville', 'NC');
  // a typo of a town elsewhere, when nothing in the state reads the name: in a code-slip state, or a dominant town
  expectPlace('Fayeteville, AK', 'Fayetteville', 'AR');
  expectPlace('Oklahama City, TX', 'Oklahoma City', 'OK');
  // a border town of the very name before the name without its first word in the state (Memphis, TN)
  expectPlace('West Memphis, TN', 'West Memphis', 'AR');
  expectPlace('East Grand Forks, ND', 'East Grand Forks', 'MN');
  // a generic last word or affix never reads the state as a place in it: "Michigan City, MI" does not name Michigan
  expectPlace('Michigan City, MI', 'Michigan City', 'IN');
  assert.equal(geocode('Central Texas')?.precision, 'state');
});

test('geocode: Census places and SimpleMaps townships, found only with their state', () => {
  const gaz = loadGazetteer();
  // a Census place that GeoNames lacks: found with its state, never as a bare word
  const m = geocode('Tidmore Bend, AL');
  assert.deepEqual([m?.locality, m?.region, m?.county], ['Tidmore Bend', 'AL', 'Etowah County']);
  assert.ok(gaz.flags(gaz.byId(m!.placeId)!).includes('c'));
  assert.deepEqual(gaz.lookup('Tidmore Bend'), []);
  // a township from SimpleMaps, with or without its "Township"
  expectPlace('Upper Merion Township, PA', 'Upper Merion', 'PA', { county: 'Montgomery County' });
  expectPlace('Upper Merion, PA', 'Upper Merion', 'PA');
  assert.ok(gaz.flags(gaz.byId(geocode('Upper Merion, PA')!.placeId)!).includes('w'));
  assert.deepEqual(gaz.lookup('Upper Merion'), []);
  // a typo in a county's name; a county that only us-atlas names (the postal data has Connecticut's planning regions)
  assert.equal(geocode('Humbolt County, NV')?.fips, '32013');
  assert.equal(geocode('New Haven County, CT')?.fips, '09009');
  // a left-out "Saint"; a piece of a two-place name
  expectPlace('Johnsbury, VT', 'Saint Johnsbury', 'VT');
  expectPlace('Setauket, NY', 'Setauket-East Setauket', 'NY');
});

test('geocode: alternate names, a town before the county of its bare name, county centroids', () => {
  // a GeoNames alternate name, asked only when no main name matches in the state
  expectPlace('Utqiagvik, AK', 'Barrow', 'AK');
  expectPlace('St.Paul, Minn.', 'Saint Paul', 'MN');
  // "Butler" alone is the village; the county is written "Butler County"
  assert.equal(geocode('Butler, OH')?.precision, 'locality');
  assert.equal(geocode('Butler County, OH')?.precision, 'county');
  // a county's point is the centroid of its boundary (Cook County, IL: about 41.84, -87.82)
  const cook = geocode('Cook County, IL');
  assert.ok(cook && haversineKm(cook.lat, cook.lon, 41.84, -87.82) < 10);
});

test('geocode: context decides between same-named places', () => {
  assert.equal(geocode('Pasadena', { articleRegions: { CA: 5, NY: 1 } })?.region, 'CA');
  assert.equal(geocode('Pasadena', { articleRegions: { TX: 2 } })?.region, 'TX');
  assert.equal(geocode('Portland', { nearbyRegions: ['ME'] })?.region, 'ME');
  assert.equal(geocode('Paris', { country: 'US' })?.country, 'FR');
  const gaz = loadGazetteer();
  const ranked = rankPlaces(gaz.lookup('Franklin'), { region: 'WI' });
  assert.equal(ranked[0]?.place.region, 'WI');
});

test('geocode: gibberish is null', () => {
  assert.equal(geocode('Xqzzyblorf'), null);
  assert.equal(geocode(''), null);
});

test('geocodeLines gives one JSON object per query', () => {
  const lines = geocodeLines(['St. Paul, Minn.', 'Xqzzyblorf']);
  assert.equal(lines.length, 2);
  const a = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.equal(a.locality, 'Saint Paul');
  assert.equal(a.fips, '27123');
  for (const k of ['locality', 'region', 'country', 'lat', 'lon', 'county', 'fips', 'precision', 'location_detail', 'ambiguous', 'candidates', 'alternatives']) assert.ok(k in a, k);
  assert.equal((JSON.parse(lines[1]!) as Record<string, unknown>).precision, null);
});

test('CCC acceptance floors: "CityTown, StateTerritory" within 25 km of CCC (clean rows and all rows)', (t) => {
  if (!existsSync(CCC_LOOKUP)) {
    t.skip(`${CCC_LOOKUP} not found: the CCC reference data lives outside the repo (../shared), absent in a fresh clone`);
    return;
  }
  const rows = parseCsvRecords(decodeLenientUtf8(readFileSync(CCC_LOOKUP)), { naValues: ['NA'] });
  let total = 0;
  let within = 0;
  let cleanTotal = 0;
  let cleanWithin = 0;
  const misses: string[] = [];
  for (const row of rows) {
    const st = row.StateTerritory;
    const lat = Number(row.lat);
    const lon = Number(row.lon);
    if (!st || !/^[A-Z]{2}$/.test(st) || row.lat == null || row.lon == null || !Number.isFinite(lat) || !Number.isFinite(lon)) continue;
    // clean: Google resolved the typed state, and a locality named as typed
    const clean = row.state === st && row.locality != null && row.locality === row.CityTown;
    total++;
    if (clean) cleanTotal++;
    const q = `${row.CityTown ?? ''}, ${st}`;
    const r = geocode(q);
    const d = r ? haversineKm(r.lat, r.lon, lat, lon) : Infinity;
    if (d <= 25) {
      within++;
      if (clean) cleanWithin++;
    } else
      misses.push(
        `${clean ? '[clean] ' : ''}${q} -> ${r ? `${r.locality ?? '-'}, ${r.region} (${r.precision}) ${Math.round(d)} km` : 'null'}; CCC: ${row.locality ?? 'NA'}, ${row.state ?? 'NA'}`,
      );
  }
  const rate = within / total;
  const cleanRate = cleanWithin / cleanTotal;
  const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
  console.log(
    `CCC lookup, clean rows: ${cleanWithin}/${cleanTotal} = ${pct(cleanRate)} within 25 km (target ${pct(CCC_CLEAN_TARGET)}: ${cleanRate >= CCC_CLEAN_TARGET ? 'met' : 'NOT met'})`,
  );
  console.log(
    `CCC lookup, all rows: ${within}/${total} = ${pct(rate)} within 25 km (target ${pct(CCC_ALL_TARGET)}: ${rate >= CCC_ALL_TARGET ? 'met' : 'NOT met'})`,
  );
  for (const m of misses.filter((x) => x.startsWith('[clean]')).slice(0, 10)) console.log(`  miss: ${m}`);
  if (process.env.CCC_MISSES) for (const m of misses) console.log(`MISS\t${m}`);
  assert.ok(total > 5000 && cleanTotal > 5000, 'expected thousands of CCC rows');
  assert.ok(cleanRate >= CCC_CLEAN_FLOOR, `clean rows: within-25-km rate ${pct(cleanRate)} < ${pct(CCC_CLEAN_FLOOR)}`);
  assert.ok(rate >= CCC_ALL_FLOOR, `all rows: within-25-km rate ${pct(rate)} < ${pct(CCC_ALL_FLOOR)}`);
});

test('geocode: a name that fits several towns about equally is flagged ambiguous, with its likeliest readings', () => {
  const r = geocode('Franklin')!;
  assert.equal(r.ambiguous, true);
  assert.ok(r.candidates.length >= 3, `${r.candidates.length} candidates`);
  assert.ok(r.candidates.every((c) => c.locality === 'Franklin' && c.country === 'US'));
  assert.equal(new Set(r.candidates.map((c) => c.region)).size, r.candidates.length, 'one reading per state');
  assert.deepEqual([r.candidates[0]!.region, r.candidates[0]!.lat], [r.region, r.lat], 'the reading given comes first');
  // the candidates are the alternatives within the margin, in the ranking's order
  const close = r.alternatives.filter((a) => a.locality === 'Franklin').map((a) => a.region);
  assert.deepEqual(r.candidates.slice(1).map((c) => c.region), close.slice(0, r.candidates.length - 1));
  // a state settles it; a city beside small namesakes (Reno, NV and two hamlets in Texas) is no ambiguity
  for (const q of ['Franklin, WI', 'Reno', 'Boise', 'Tulsa']) {
    const x = geocode(q)!;
    assert.deepEqual([x.ambiguous, x.candidates], [false, []], q);
  }
  // the line `turnout geocode` prints carries the flag and the candidates
  const line = JSON.parse(geocodeLines(['Franklin'])[0]!) as { ambiguous: boolean; candidates: unknown[] };
  assert.equal(line.ambiguous, true);
  assert.equal(line.candidates.length, r.candidates.length);
});

test('geocode: a borough or a neighbourhood is kept in location_detail while the locality is the city', () => {
  for (const [q, detail, fips] of [
    ['Brooklyn, NY', 'Brooklyn', '36047'],
    ['Brooklyn', 'Brooklyn', '36047'],
    ['the Bronx', 'The Bronx', '36005'],
    ['Staten Island, New York', 'Staten Island', '36085'],
  ] as const) {
    const r = geocode(q)!;
    assert.deepEqual([r.locality, r.region, r.location_detail, r.fips], ['New York', 'NY', detail, fips], q);
  }
  const echo = geocode('Echo Park, CA')!;
  assert.deepEqual([echo.locality, echo.location_detail], ['Los Angeles', 'Echo Park']);
  for (const q of ['New York City', 'Akron, OH']) assert.equal(geocode(q)!.location_detail, null, q);
});
