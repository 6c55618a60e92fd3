// A TypeScript port of the reference scorer ../shared/eval/score.py: the same normalization of places,
// the same date tiers, the same greedy one-to-one matching and the same totals, so that `turnout eval
// LABELS.json --texts DIR` prints what `score.py LABELS.json SYSTEM.jsonl` prints for the events
// `turnout extract` reads from those texts. Pure functions; the caller reads files and runs the pipeline.
//
// Where Python and JavaScript differ (str() of a value, Unicode whitespace and digits, combining marks,
// round-half-even in "%.3f", float repr and ensure_ascii in json.dumps, repr of strings), the helpers
// below reproduce Python's behaviour. Known limit: JSON.parse does not keep 5.0 apart from 5, nor
// integers beyond 2^53, so str() of such numbers can differ from Python's.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

// ---------------------------------------------------------------- tables (copied from score.py)

const COUNTRY_ISO2 = new Map<string, string>(Object.entries({
  'united states': 'US', 'united states of america': 'US', usa: 'US', us: 'US',
  america: 'US', nationwide: 'US',
  france: 'FR', italy: 'IT', germany: 'DE', spain: 'ES', portugal: 'PT',
  'united kingdom': 'GB', uk: 'GB', 'great britain': 'GB', england: 'GB', britain: 'GB',
  ireland: 'IE', netherlands: 'NL', belgium: 'BE', switzerland: 'CH', austria: 'AT',
  sweden: 'SE', norway: 'NO', denmark: 'DK', finland: 'FI', poland: 'PL',
  greece: 'GR', canada: 'CA', mexico: 'MX', brazil: 'BR', argentina: 'AR',
  australia: 'AU', japan: 'JP', 'south korea': 'KR', korea: 'KR', india: 'IN',
  israel: 'IL', turkey: 'TR', iran: 'IR',
}));

const US_STATES = new Map<string, string>(Object.entries({
  alabama: 'AL', alaska: 'AK', arizona: 'AZ', arkansas: 'AR', california: 'CA',
  colorado: 'CO', connecticut: 'CT', delaware: 'DE', florida: 'FL', georgia: 'GA',
  hawaii: 'HI', idaho: 'ID', illinois: 'IL', indiana: 'IN', iowa: 'IA', kansas: 'KS',
  kentucky: 'KY', louisiana: 'LA', maine: 'ME', maryland: 'MD', massachusetts: 'MA',
  michigan: 'MI', minnesota: 'MN', mississippi: 'MS', missouri: 'MO', montana: 'MT',
  nebraska: 'NE', nevada: 'NV', 'new hampshire': 'NH', 'new jersey': 'NJ',
  'new mexico': 'NM', 'new york': 'NY', 'north carolina': 'NC', 'north dakota': 'ND',
  ohio: 'OH', oklahoma: 'OK', oregon: 'OR', pennsylvania: 'PA', 'rhode island': 'RI',
  'south carolina': 'SC', 'south dakota': 'SD', tennessee: 'TN', texas: 'TX', utah: 'UT',
  vermont: 'VT', virginia: 'VA', washington: 'WA', 'west virginia': 'WV',
  wisconsin: 'WI', wyoming: 'WY', 'district of columbia': 'DC', 'washington dc': 'DC',
  'washington d c': 'DC',
  'puerto rico': 'PR',
}));

const LOCALITY_ALIASES = new Map<string, string>(Object.entries({
  'new york city': 'new york', nyc: 'new york',
  'washington dc': 'washington', 'washington d c': 'washington',
  'washington district of columbia': 'washington', 'district of columbia': 'washington',
}));

const NUMBER_WORDS = new Map<string, number>(Object.entries({
  zero: 0, none: 0, no: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6,
  seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13,
  fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80,
  ninety: 90, 'a hundred': 100, 'one hundred': 100,
}));

// ---------------------------------------------------------------- Python semantics

/** The characters Python's str.isspace() (and so str.split(), str.strip() and re's \s) counts as whitespace. */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WS_RUN = new RegExp(`[${PY_WS}]+`, 'g');
const WS_EDGES = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');

/** " ".join(s.split()) */
function collapse(s: string): string {
  return s.split(WS_RUN).filter(Boolean).join(' ');
}

/** s.strip() */
function strip(s: string): string {
  return s.replace(WS_EDGES, '');
}

/** Python truthiness of a JSON value. */
export function pyTruthy(x: Json | undefined): boolean {
  if (x === null || x === undefined) return false;
  if (Array.isArray(x)) return x.length > 0;
  if (typeof x === 'object') return Object.keys(x).length > 0;
  return Boolean(x);
}

/** Python == between JSON values (True == 1, deep for lists and dicts). */
export function pyEq(a: Json | undefined, b: Json | undefined): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  const num = (v: Json) => (typeof v === 'boolean' ? Number(v) : v);
  if ((typeof x === 'number' || typeof x === 'boolean') && (typeof y === 'number' || typeof y === 'boolean')) return num(x) === num(y);
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return x === y;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    return x.every((v, i) => pyEq(v, y[i]!));
  }
  const kx = Object.keys(x);
  if (kx.length !== Object.keys(y).length) return false;
  return kx.every((k) => Object.hasOwn(y, k) && pyEq(x[k]!, y[k]!));
}

/** repr() of a float, as Python prints it (and as json.dumps writes it). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const digits = mant.replace('-', '').replace('.', '');
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
    return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** str() of a JSON number: integral values as Python ints (JSON.parse cannot tell 5.0 from 5). */
function pyNumberStr(x: number): string {
  return Number.isInteger(x) ? BigInt(x).toString() : pyFloatRepr(x);
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** repr() of a str. */
function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === quote || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c !== ' ' && (cp < 0x20 || cp === 0x7f || (cp > 0x7f && NON_PRINTABLE.test(c)))) {
      out += cp < 0x100 ? `\\x${cp.toString(16).padStart(2, '0')}` : cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += c;
  }
  return out + quote;
}

/** repr() of a JSON value as Python holds it. */
export function pyRepr(x: Json | undefined): string {
  if (x === null || x === undefined) return 'None';
  if (x === true) return 'True';
  if (x === false) return 'False';
  if (typeof x === 'number') return pyNumberStr(x);
  if (typeof x === 'string') return pyStrRepr(x);
  if (Array.isArray(x)) return `[${x.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(x).map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

/** str() of a JSON value as Python holds it. */
export function pyStr(x: Json | undefined): string {
  return typeof x === 'string' ? x : pyRepr(x);
}

/** Code-point order, as Python sorts str. */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d) return d;
  }
  return x.length - y.length;
}

const combiningCache = new Map<string, boolean>();

/** unicodedata.combining(c) != 0, found by whether canonical reordering moves c past a class-1 or a class-240 mark. */
function isCombining(c: string): boolean {
  if (c < '\u0300') return false;
  let r = combiningCache.get(c);
  if (r === undefined) {
    const a = 'a' + c + '\u0334';
    const b = 'a\u0345' + c;
    r = a.normalize('NFD') !== a || b.normalize('NFD') !== b;
    combiningCache.set(c, r);
  }
  return r;
}

const DIGIT = /^\p{Nd}$/u;

/** int() of a run of Unicode decimal digits (each block of Nd is ten code points, 0 to 9). */
function pyDigits(s: string): bigint {
  let n = 0n;
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    let v: number;
    if (cp >= 0x30 && cp <= 0x39) v = cp - 0x30;
    else {
      let start = cp;
      while (DIGIT.test(String.fromCodePoint(start - 1))) start--;
      v = (cp - start) % 10;
    }
    n = n * 10n + BigInt(v);
  }
  return n;
}

// ---------------------------------------------------------------- normalization

/** Lowercase, strip accents, turn punctuation into spaces, collapse whitespace. */
export function fold(x: Json | undefined): string {
  let s = [...pyStr(x).normalize('NFKD')].filter((c) => !isCombining(c)).join('').toLowerCase();
  s = s.replace(/[’'`]/g, '');
  s = s.replace(/[^0-9a-z]+/g, ' ');
  return s.split(' ').filter(Boolean).join(' ');
}

export function normLocality(x: Json | undefined): string | null {
  if (x === null || x === undefined) return null;
  const s = fold(x);
  if (!s) return null;
  const t = s.split(' ').map((w) => (w === 'st' ? 'saint' : w)).join(' ');
  return LOCALITY_ALIASES.get(t) ?? t;
}

export function normRegion(x: Json | undefined): string | null {
  if (x === null || x === undefined) return null;
  const raw = strip(pyStr(x));
  if (!raw) return null;
  const s = fold(raw);
  if (!s) return null;
  const compact = s.replace(/ /g, '');
  if (/^[a-z]{2}$/.test(compact)) return compact.toUpperCase();
  return US_STATES.get(s) ?? COUNTRY_ISO2.get(s) ?? COUNTRY_ISO2.get(compact) ?? s.toUpperCase();
}

/** A calendar day as score.py's datetime.date; `n` counts days, for differences. */
export interface Day {
  y: number;
  m: number;
  d: number;
  n: number;
}

function dayNumber(y: number, m: number, d: number): number {
  // days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil)
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const DATE_RE = new RegExp(`^[${PY_WS}]*(\\p{Nd}{4})-(\\p{Nd}{2})-(\\p{Nd}{2})`, 'u');

export function parseDate(x: Json | undefined): Day | null {
  if (x === null || x === undefined) return null;
  const m = DATE_RE.exec(pyStr(x));
  if (!m) return null;
  const y = Number(pyDigits(m[1]!));
  const mo = Number(pyDigits(m[2]!));
  const d = Number(pyDigits(m[3]!));
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return null;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (d > dim) return null;
  return { y, m: mo, d, n: dayNumber(y, mo, d) };
}

/** Documents match by basename without extension: "000_x.txt", "/a/b/000_x.txt" and "000_x" are one. */
export function docKey(name: Json | undefined): string {
  const base = strip(pyStr(name)).replace(/\/+$/, '').split('/').pop()!;
  // os.path.splitext: the extension starts at the last dot, unless only dots come before it
  const dot = base.lastIndexOf('.');
  if (dot > 0 && /[^.]/.test(base.slice(0, dot))) return base.slice(0, dot);
  return base;
}

function normText(s: Json | undefined): string {
  const t = pyStr(s).normalize('NFKC').toLowerCase().replace(/\u2013/g, '-').replace(/\u2014/g, '-').replace(/\u2019/g, "'");
  return collapse(t);
}

/** "n:<count>" for a count, "w:<words>" for words, or null for unknown/absent. */
export function normArrests(x: Json | undefined): string | null {
  if (x === null || x === undefined || typeof x === 'boolean') return null;
  if (typeof x === 'number') return `n:${BigInt(Math.trunc(x))}`;
  const s = normText(x).replace(/^[ .]+|[ .]+$/g, '');
  if (!s) return null;
  const digits = s.replace(/,/g, '');
  if (/^\p{Nd}+$/u.test(digits)) return `n:${pyDigits(digits)}`;
  const w = NUMBER_WORDS.get(s);
  if (w !== undefined) return `n:${w}`;
  return `w:${fold(s)}`;
}

/** The system size_text contains the gold wording, or one of its ';'-separated parts without (glosses). */
export function sizeAgrees(gold: Json | undefined, system: Json | undefined): boolean {
  if (system === null || system === undefined) return false;
  const sys = normText(system);
  const g = normText(gold);
  if (g && sys.includes(g)) return true;
  const parts = g.replace(/\([^)]*\)/g, ' ').split(';').map(collapse);
  return parts.some((p) => p && sys.includes(p));
}

export function arrestsAgree(gold: Json | undefined, system: Json | undefined): boolean {
  const g = normArrests(gold);
  const s = normArrests(system);
  return g !== null && s !== null && g === s;
}

// ---------------------------------------------------------------- loading

export class GoldError extends Error {}

export interface ScoredEvent {
  raw_date: Json;
  date: Day | null;
  raw_locality: Json;
  locality: string | null;
  raw_region: Json;
  region: string | null;
  status: Json;
  size_text: Json;
  arrests: Json;
}

export interface GoldEvent extends ScoredEvent {
  precision: Json;
}

export interface GoldDoc {
  published: Json;
  negative: boolean;
  events: GoldEvent[];
}

export type GoldFormat = 'seeds' | 'hidden';

function get(o: Obj, k: string): Json {
  return Object.hasOwn(o, k) ? o[k]! : null;
}

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A list that `for x in (v or [])` walks in Python; anything else is malformed gold. */
function listOf(v: Json, what: string): Json[] {
  if (!pyTruthy(v)) return [];
  if (!Array.isArray(v)) throw new GoldError(`${what} is not a list`);
  return v;
}

function goldEvent(e: Json, region: Json, where: string): GoldEvent {
  if (!isObj(e)) throw new GoldError(`${where}: an event is not an object`);
  const precision = get(e, 'date_precision');
  return {
    raw_date: get(e, 'date'), date: parseDate(get(e, 'date')), precision: pyTruthy(precision) ? precision : 'day',
    raw_locality: get(e, 'locality'), locality: normLocality(get(e, 'locality')),
    raw_region: region, region: normRegion(region),
    status: get(e, 'status'), size_text: get(e, 'size_text'), arrests: get(e, 'arrests'),
  };
}

/** load_gold on parsed JSON: the seeds format ({"articles": [...]}) or the hidden-set format (a list). */
export function loadGold(data: unknown): { fmt: GoldFormat; docs: Map<string, GoldDoc> } {
  const docs = new Map<string, GoldDoc>();
  if (isObj(data) && Object.hasOwn(data, 'articles')) {
    listOf(data.articles!, '"articles"').forEach((a, i) => {
      if (!isObj(a) || !Object.hasOwn(a, 'file')) throw new GoldError(`article ${i + 1} is not an object with a "file"`);
      const where = `article ${pyStr(a.file)}`;
      const evs = listOf(get(a, 'events'), `${where}: "events"`).map((e) => goldEvent(e, isObj(e) ? get(e, 'region') : null, where));
      docs.set(docKey(a.file), { published: get(a, 'published'), negative: pyTruthy(get(a, 'negative')), events: evs });
    });
    return { fmt: 'seeds', docs };
  }
  if (Array.isArray(data)) {
    data.forEach((a, i) => {
      if (!isObj(a) || !Object.hasOwn(a, 'id')) throw new GoldError(`item ${i + 1} is not an object with an "id"`);
      const where = `item ${pyStr(a.id)}`;
      const evs = listOf(get(a, 'events'), `${where}: "events"`).map((e) =>
        goldEvent(e, isObj(e) ? (Object.hasOwn(e, 'state_or_country') ? e.state_or_country! : get(e, 'region')) : null, where),
      );
      docs.set(docKey(a.id), { published: get(a, 'published'), negative: pyTruthy(get(a, 'negative')), events: evs });
    });
    return { fmt: 'hidden', docs };
  }
  throw new GoldError('neither the seeds format nor the hidden-set format');
}

/** load_system on parsed lines ({"doc" or "file", "events"}); one warning per line it skips or appends. */
export function systemDocs(lines: Iterable<{ where: string; obj: unknown }>, warn: (msg: string) => void = () => {}): Map<string, ScoredEvent[]> {
  const docs = new Map<string, ScoredEvent[]>();
  for (const { where, obj } of lines) {
    if (!isObj(obj)) {
      warn(`${where}: not a JSON object; line skipped`);
      continue;
    }
    const name = Object.hasOwn(obj, 'doc') ? obj.doc! : get(obj, 'file');
    if (name === null) {
      warn(`${where}: no 'doc' or 'file' key; line skipped`);
      continue;
    }
    const key = docKey(name);
    const evs = pyTruthy(get(obj, 'events')) ? obj.events! : [];
    if (!Array.isArray(evs)) {
      warn(`${where}: 'events' is not a list; line skipped`);
      continue;
    }
    if (docs.has(key)) warn(`${where}: second line for document ${key}; events appended`);
    else docs.set(key, []);
    const list = docs.get(key)!;
    for (const e of evs) {
      if (!isObj(e)) continue;
      list.push({
        raw_date: get(e, 'date'), date: parseDate(get(e, 'date')),
        raw_locality: get(e, 'locality'), locality: normLocality(get(e, 'locality')),
        raw_region: get(e, 'region'), region: normRegion(get(e, 'region')),
        status: get(e, 'status'), size_text: get(e, 'size_text'), arrests: get(e, 'arrests'),
      });
    }
  }
  return docs;
}

/** load_system on the text of a JSON-lines file. */
export function parseSystemJsonl(text: string, path: string, warn: (msg: string) => void = () => {}): Map<string, ScoredEvent[]> {
  const lines: Array<{ where: string; obj: unknown }> = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = strip(raw);
    if (!line) return;
    try {
      lines.push({ where: `${path}:${i + 1}`, obj: JSON.parse(line) });
    } catch (e) {
      warn(`${path}:${i + 1}: not JSON (${(e as Error).message}); line skipped`);
    }
  });
  return systemDocs(lines, warn);
}

// ---------------------------------------------------------------- matching

/** 0..3 for a fit (lower is tighter), null when the date does not fit. */
export function dateTier(g: GoldEvent, s: ScoredEvent): number | null {
  if (g.date === null) return 3;
  if (s.date === null) return null;
  if (pyEq(g.precision, 'week')) {
    const delta = s.date.n - g.date.n;
    return delta >= 0 && delta < 7 ? 1 : null;
  }
  if (pyEq(g.precision, 'month')) return s.date.y === g.date.y && s.date.m === g.date.m ? 2 : null;
  return s.date.n === g.date.n ? 0 : null;
}

/** Pairs (gold index, system index), one-to-one, greedily by (date tier, status disagreement, gi, si). */
export function matchDoc(gold: GoldEvent[], sys: ScoredEvent[]): Array<[number, number]> {
  const pairs: Array<[number, number, number, number]> = [];
  gold.forEach((g, gi) => {
    sys.forEach((s, si) => {
      if (g.locality !== s.locality || g.region !== s.region) return;
      const tier = dateTier(g, s);
      if (tier === null) return;
      pairs.push([tier, pyEq(g.status, s.status) ? 0 : 1, gi, si]);
    });
  });
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3]);
  const usedG = new Set<number>();
  const usedS = new Set<number>();
  const matches: Array<[number, number]> = [];
  for (const [, , gi, si] of pairs) {
    if (usedG.has(gi) || usedS.has(si)) continue;
    usedG.add(gi);
    usedS.add(si);
    matches.push([gi, si]);
  }
  return matches.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

// ---------------------------------------------------------------- scoring

export interface Totals {
  docs: number;
  docs_with_output: number;
  gold_events: number;
  system_events: number;
  matched: number;
  status_correct: number;
  size_n: number;
  size_agree: number;
  arrests_n: number;
  arrests_agree: number;
  negative_docs: number;
  negative_fp: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  status_accuracy: number | null;
  size_agreement: number | null;
  arrests_agreement: number | null;
  unknown_system_docs: string[];
}

export interface DocScore {
  doc: string;
  negative: boolean;
  present: boolean;
  gold: number;
  system: number;
  matched: number;
  misses: string[];
  false_positives: string[];
  disagreements: string[];
  status_correct: number;
  size_n: number;
  size_agree: number;
  arrests_n: number;
  arrests_agree: number;
}

/** The keys of Totals that score.py computes as floats. */
const RATE_KEYS = new Set(['precision', 'recall', 'f1', 'status_accuracy', 'size_agreement', 'arrests_agreement']);

const rate = (num: number, den: number): number | null => (den ? num / den : null);

function show(e: ScoredEvent | GoldEvent, gold = false): string {
  let date = e.raw_date !== null ? pyStr(e.raw_date) : '-';
  const precision = 'precision' in e ? e.precision : 'day';
  if (gold && !pyEq(precision, 'day') && e.raw_date !== null) date += `/${pyStr(precision)}`;
  const loc = pyTruthy(e.raw_locality) ? pyStr(e.raw_locality) : '-';
  const region = pyTruthy(e.raw_region) ? pyStr(e.raw_region) : '-';
  return `${date} ${loc}, ${region} [${pyStr(e.status)}]`;
}

export function score(goldDocs: Map<string, GoldDoc>, sysDocs: Map<string, ScoredEvent[]>): { tot: Totals; perDoc: DocScore[] } {
  const tot: Totals = {
    docs: goldDocs.size, docs_with_output: 0, gold_events: 0, system_events: 0, matched: 0, status_correct: 0,
    size_n: 0, size_agree: 0, arrests_n: 0, arrests_agree: 0, negative_docs: 0, negative_fp: 0,
    precision: null, recall: null, f1: null, status_accuracy: null, size_agreement: null, arrests_agreement: null,
    unknown_system_docs: [],
  };
  const perDoc: DocScore[] = [];
  for (const key of [...goldDocs.keys()].sort(byCodePoint)) {
    const gd = goldDocs.get(key)!;
    const gevs = gd.events;
    const present = sysDocs.has(key);
    const sevs = sysDocs.get(key) ?? [];
    if (present) tot.docs_with_output++;
    const matches = gd.negative ? [] : matchDoc(gevs, sevs);
    const mg = new Set(matches.map(([gi]) => gi));
    const ms = new Set(matches.map(([, si]) => si));
    const d: DocScore = {
      doc: key, negative: gd.negative, present, gold: gevs.length, system: sevs.length, matched: matches.length,
      misses: gevs.filter((_, i) => !mg.has(i)).map((e) => show(e, true)),
      false_positives: sevs.filter((_, i) => !ms.has(i)).map((e) => show(e)),
      disagreements: [],
      status_correct: 0, size_n: 0, size_agree: 0, arrests_n: 0, arrests_agree: 0,
    };
    for (const [gi, si] of matches) {
      const g = gevs[gi]!;
      const s = sevs[si]!;
      const probs: string[] = [];
      if (pyEq(g.status, s.status)) d.status_correct++;
      else probs.push(`status ${pyRepr(s.status)} (gold ${pyRepr(g.status)})`);
      if (g.size_text !== null && g.size_text !== '') {
        d.size_n++;
        if (sizeAgrees(g.size_text, s.size_text)) d.size_agree++;
        else probs.push(`size ${pyRepr(s.size_text)} (gold ${pyRepr(g.size_text)})`);
      }
      if (g.arrests !== null) {
        d.arrests_n++;
        if (arrestsAgree(g.arrests, s.arrests)) d.arrests_agree++;
        else probs.push(`arrests ${pyRepr(s.arrests)} (gold ${pyRepr(g.arrests)})`);
      }
      if (probs.length) d.disagreements.push(show(g, true) + ': ' + probs.join('; '));
    }
    perDoc.push(d);
    tot.gold_events += gevs.length;
    tot.system_events += sevs.length;
    tot.matched += matches.length;
    tot.status_correct += d.status_correct;
    tot.size_n += d.size_n;
    tot.size_agree += d.size_agree;
    tot.arrests_n += d.arrests_n;
    tot.arrests_agree += d.arrests_agree;
    if (gd.negative) {
      tot.negative_docs++;
      tot.negative_fp += sevs.length;
    }
  }
  const { matched: m, gold_events: g, system_events: s } = tot;
  tot.precision = rate(m, s);
  tot.recall = rate(m, g);
  tot.f1 = rate(2 * m, g + s);
  tot.status_accuracy = rate(tot.status_correct, m);
  tot.size_agreement = rate(tot.size_agree, tot.size_n);
  tot.arrests_agreement = rate(tot.arrests_agree, tot.arrests_n);
  tot.unknown_system_docs = [...sysDocs.keys()].filter((k) => !goldDocs.has(k)).sort(byCodePoint);
  return { tot, perDoc };
}

// ---------------------------------------------------------------- output

/** f"{x:.3f}" (round half to even on the binary value), or "  -  " for None. */
export function fmt3(x: number | null): string {
  if (x === null) return '  -  ';
  // an exact tie at the 4th decimal is an odd multiple of 1/16 (the only dyadic k/2000); Python keeps it even
  const sixteenths = x * 16;
  if (Number.isInteger(sixteenths) && sixteenths % 2 !== 0 && Math.abs(x) < 2 ** 40) {
    const n = Math.floor(Math.abs(x) * 1000); // exact: x * 1000 ends in .5
    const k = n % 2 === 0 ? n : n + 1;
    return `${x < 0 ? '-' : ''}${Math.floor(k / 1000)}.${String(k % 1000).padStart(3, '0')}`;
  }
  return x.toFixed(3);
}

function width(s: string): number {
  return [...s].length;
}
const right = (x: string | number, n: number) => ' '.repeat(Math.max(0, n - width(String(x)))) + String(x);
const left = (x: string, n: number) => x + ' '.repeat(Math.max(0, n - width(x)));

/** print_table's lines (header, totals, negatives; with byDoc the per-document misses, false positives, diffs). */
export function formatTable(goldPath: string, sysPath: string, fmt: GoldFormat, tot: Totals, perDoc: DocScore[], byDoc: boolean): string[] {
  const lines = [`gold ${goldPath} (${fmt} format)  system ${sysPath}`];
  lines.push(
    `${right('docs', 5)} ${right('out', 4)} ${right('gold', 5)} ${right('sys', 5)} ${right('match', 6)} ${right('P', 6)} ${right('R', 6)} ${right('F1', 6)} ` +
      `${right('status', 7)} ${right('size', 13)} ${right('arrests', 13)}`,
  );
  const size = `${tot.size_agree}/${tot.size_n} ${fmt3(tot.size_agreement)}`;
  const arr = `${tot.arrests_agree}/${tot.arrests_n} ${fmt3(tot.arrests_agreement)}`;
  lines.push(
    `${right(tot.docs, 5)} ${right(tot.docs_with_output, 4)} ${right(tot.gold_events, 5)} ` +
      `${right(tot.system_events, 5)} ${right(tot.matched, 6)} ${right(fmt3(tot.precision), 6)} ` +
      `${right(fmt3(tot.recall), 6)} ${right(fmt3(tot.f1), 6)} ${right(fmt3(tot.status_accuracy), 7)} ` +
      `${right(size, 13)} ${right(arr, 13)}`,
  );
  lines.push(`negative docs ${tot.negative_docs}, events output on them ${tot.negative_fp}; system docs not in gold ${tot.unknown_system_docs.length}`);
  if (!byDoc) return lines;
  lines.push('', `${left('doc', 26)} ${right('gold', 4)} ${right('sys', 4)} ${right('match', 5)}`);
  for (const d of perDoc) {
    const flag = (d.negative ? ' NEGATIVE' : '') + (d.present ? '' : ' (absent from system)');
    lines.push(`${left(d.doc, 26)} ${right(d.gold, 4)} ${right(d.system, 4)} ${right(d.matched, 5)}${flag}`);
    for (const x of d.misses) lines.push(`    miss  ${x}`);
    for (const x of d.false_positives) lines.push(`    fp    ${x}`);
    for (const x of d.disagreements) lines.push(`    diff  ${x}`);
  }
  return lines;
}

/** json.dumps(value, indent=1) with ensure_ascii; numbers under `floatKeys` are written as Python floats. */
export function pyJson(value: unknown, floatKeys: ReadonlySet<string> = RATE_KEYS, level = 0, key = ''): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return floatKeys.has(key) ? pyFloatRepr(value) : pyNumberStr(value);
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const pad = '\n' + ' '.repeat(level + 1);
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return '[' + pad + value.map((v) => pyJson(v, floatKeys, level + 1)).join(',' + pad) + '\n' + ' '.repeat(level) + ']';
  }
  const entries = Object.entries(value as object);
  if (!entries.length) return '{}';
  return '{' + pad + entries.map(([k, v]) => `${pyJson(k)}: ${pyJson(v, floatKeys, level + 1, k)}`).join(',' + pad) + '\n' + ' '.repeat(level) + '}';
}

/** What score.py --json prints: {gold, gold_format, system, ...totals[, by_doc]}. */
export function jsonReport(goldPath: string, sysPath: string, fmt: GoldFormat, tot: Totals, perDoc: DocScore[], byDoc: boolean): string {
  const out: Record<string, unknown> = { gold: goldPath, gold_format: fmt, system: sysPath, ...tot };
  if (byDoc) out.by_doc = perDoc;
  return pyJson(out);
}
