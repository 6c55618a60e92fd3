import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseCsv, parseCsvRecords, decodeLenientUtf8 } from '../src/core/csv.js';
import { haversineKm } from '../src/core/geo.js';
import { loadGazetteer, normalizeName } from '../src/resolve/gazetteer.js';

test('normalizeName folds case, diacritics, punctuation and St/Ft/Mt', () => {
  assert.equal(normalizeName('St. Paul'), 'saint paul');
  assert.equal(normalizeName('Saint  Paul'), 'saint paul');
  assert.equal(normalizeName('St.Paul'), 'saint paul');
  assert.equal(normalizeName('Ft. Collins'), 'fort collins');
  assert.equal(normalizeName('Mt. Vernon'), 'mount vernon');
  assert.equal(normalizeName('Winston-Salem'), 'winston salem');
  assert.equal(normalizeName('São Paulo'), 'sao paulo');
  assert.equal(normalizeName("Coeur d'Alene"), 'coeur dalene');
  assert.equal(normalizeName('The Bronx'), 'bronx');
  assert.equal(normalizeName('Washington, D.C.'), 'washington dc');
});

test('gazetteer loads quickly and exposes maxNameTokens', () => {
  const t0 = performance.now();
  const gaz = loadGazetteer();
  const ms = performance.now() - t0;
  console.log(`gazetteer: ${gaz.size} places, load ${Math.round(ms)} ms (includes a build if the cache was missing)`);
  assert.ok(gaz.size > 100000);
  assert.ok(gaz.maxNameTokens >= 3);
  assert.equal(loadGazetteer(), gaz, 'singleton');
});

test('lookup returns localities, neighbourhoods, counties, states and countries', () => {
  const gaz = loadGazetteer();
  const sp = gaz.lookup('St. Paul').find((p) => p.region === 'MN');
  assert.ok(sp);
  assert.equal(sp.name, 'Saint Paul');
  assert.equal(sp.county, 'Ramsey County');
  assert.equal(sp.fips, '27123');

  const echo = gaz.lookup('echo park').find((p) => p.region === 'CA');
  assert.ok(echo);
  assert.equal(echo.kind, 'neighbourhood');
  assert.equal(gaz.byId(echo.parentId!)?.name, 'Los Angeles');

  const cook = gaz.lookup('Cook County').find((p) => p.region === 'IL');
  assert.ok(cook);
  assert.equal(cook.kind, 'county');
  assert.equal(cook.fips, '17031');
  assert.ok(haversineKm(cook.lat, cook.lon, 41.84, -87.82) < 40);

  assert.ok(gaz.lookup('Minnesota').some((p) => p.kind === 'state' && p.region === 'MN'));
  assert.ok(gaz.lookup('France').some((p) => p.kind === 'country' && p.country === 'FR'));
  assert.deepEqual(gaz.lookup('us'), [], '"us" is a pronoun, not a lookup key');

  const bk = gaz.lookup('Brooklyn').find((p) => p.region === 'NY');
  assert.ok(bk);
  assert.equal(bk.name, 'New York');
  assert.equal(bk.fips, '36047');
  assert.equal(gaz.lookup('New York City')[0]?.name, 'New York');
  assert.ok(gaz.lookup('NYC').some((p) => p.name === 'New York' && p.region === 'NY'));

  const dc = gaz.lookup('District of Columbia').find((p) => p.kind === 'locality');
  assert.ok(dc);
  assert.equal(dc.name, 'Washington');
  assert.equal(dc.fips, '11001');
});

test('county names follow Census/CCC conventions', () => {
  const gaz = loadGazetteer();
  assert.ok(gaz.lookup('Orleans Parish').some((p) => p.region === 'LA' && p.fips === '22071'));
  assert.ok(gaz.lookup('Matanuska-Susitna Borough').some((p) => p.region === 'AK'));
  assert.ok(gaz.lookup('Richmond city').some((p) => p.region === 'VA' && p.fips === '51760'));
  assert.ok(gaz.lookup('St. Louis County').some((p) => p.region === 'MO' && p.name === 'St. Louis County'));
});

test('state() understands names, postal codes and AP abbreviations', () => {
  const gaz = loadGazetteer();
  assert.deepEqual(gaz.state('Minnesota'), { code: 'MN', name: 'Minnesota', fips: '27' });
  for (const [s, code] of [
    ['MN', 'MN'], ['Minn.', 'MN'], ['Calif.', 'CA'], ['Mass.', 'MA'], ['Colo.', 'CO'], ['N.C.', 'NC'],
    ['Fla.', 'FL'], ['Ill.', 'IL'], ['Mont.', 'MT'], ['Ore.', 'OR'], ['D.C.', 'DC'], ['DC', 'DC'], ['W.Va.', 'WV'],
  ] as const) {
    assert.equal(gaz.state(s)?.code, code, s);
  }
  assert.equal(gaz.state('Gotham'), null);
});

test('country() understands names, codes and common aliases', () => {
  const gaz = loadGazetteer();
  for (const [s, code] of [
    ['U.S.', 'US'], ['USA', 'US'], ['United States', 'US'], ['UK', 'GB'], ['Britain', 'GB'], ['France', 'FR'],
    ['de', 'DE'], ['Mexico', 'MX'],
  ] as const) {
    assert.equal(gaz.country(s)?.code, code, s);
  }
  assert.equal(gaz.country('Atlantis'), null);
});

test('csv reader: quotes, doubled quotes, CRLF, embedded newlines, NA, stray Latin-1', () => {
  const text = '"a","b","c"\r\n"x, y","say ""hi""",NA\r\n"multi\r\nline","",3\r\n';
  assert.deepEqual(parseCsv(text, { naValues: ['NA'] }), [
    ['a', 'b', 'c'],
    ['x, y', 'say "hi"', null],
    ['multi\r\nline', '', '3'],
  ]);
  assert.deepEqual(parseCsvRecords('h1,h2\n1,"NA"\n', { naValues: ['NA'] }), [{ h1: '1', h2: 'NA' }]);
  assert.deepEqual(parseCsv('a,b'), [['a', 'b']]);
  const bytes = new Uint8Array([0x45, 0x73, 0x70, 0x61, 0xf1, 0x61, 0x20, 0xc3, 0xa9]); // "Espa\xF1a é"
  assert.equal(decodeLenientUtf8(bytes), 'España é');
});

test('small places and bare county names are found only with their state (no new bare-word candidates)', () => {
  const gaz = loadGazetteer();
  // Ruch, Oregon comes from GeoNames cities500: found in Oregon, never as a bare word in news text
  assert.deepEqual(gaz.lookup('Ruch'), []);
  assert.ok(gaz.lookupInRegion('Ruch', 'OR').some((p) => p.name === 'Ruch' && p.region === 'OR'));
  // "Cuyahoga" alone is no place; in Ohio it is Cuyahoga County
  assert.deepEqual(gaz.lookup('Cuyahoga'), []);
  assert.deepEqual(gaz.lookupInRegion('Cuyahoga', 'OH').map((p) => p.fips), ['39035']);
  // lookupInRegion also returns the bare-indexed places in the region
  assert.ok(gaz.lookupInRegion('Portland', 'ME').every((p) => p.region === 'ME'));
  assert.ok(gaz.lookupInRegion('Portland', 'ME').length >= 1);
  // border towns
  const weirton = gaz.lookup('Weirton').find((p) => p.region === 'WV')!;
  assert.ok(gaz.borderRegions(weirton).includes('OH'));
});

test('a city with a long official name is found, and named, by its short one', () => {
  const gaz = loadGazetteer();
  // GeoNames: "Ludwigshafen am Rhein", "Halle (Saale)"
  const l = gaz.lookup('Ludwigshafen').find((p) => p.country === 'DE');
  assert.equal(l?.name, 'Ludwigshafen');
  assert.ok(gaz.lookup('Ludwigshafen am Rhein').some((p) => p.id === l?.id));
  assert.equal(gaz.lookup('Halle').find((p) => p.country === 'DE')?.name, 'Halle');
});

test('every landmark of data/places/landmarks.tsv is a name of its one city', () => {
  const gaz = loadGazetteer();
  const rows = readFileSync(new URL('../data/places/landmarks.tsv', import.meta.url), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.ok(rows.length >= 40, `${rows.length} landmarks`);
  for (const row of rows) {
    const [name, city, region] = row.split('\t');
    const hits = gaz.lookup(name!).filter((p) => p.name === city && (p.region === region || p.country === region));
    assert.equal(hits.length, 1, `${name} -> ${city}, ${region}`);
  }
});
