// Plain-text formatting of record values. Nothing here produces markup: the components render strings as
// text nodes, so whatever an article contained stays text.

export const STATE_NAMES: Record<string, string> = {
  AL: 'Alabama', AK: 'Alaska', AZ: 'Arizona', AR: 'Arkansas', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DE: 'Delaware', DC: 'District of Columbia', FL: 'Florida', GA: 'Georgia', HI: 'Hawaii', ID: 'Idaho', IL: 'Illinois',
  IN: 'Indiana', IA: 'Iowa', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', ME: 'Maine', MD: 'Maryland',
  MA: 'Massachusetts', MI: 'Michigan', MN: 'Minnesota', MS: 'Mississippi', MO: 'Missouri', MT: 'Montana',
  NE: 'Nebraska', NV: 'Nevada', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NY: 'New York',
  NC: 'North Carolina', ND: 'North Dakota', OH: 'Ohio', OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania',
  RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota', TN: 'Tennessee', TX: 'Texas', UT: 'Utah',
  VT: 'Vermont', VA: 'Virginia', WA: 'Washington', WV: 'West Virginia', WI: 'Wisconsin', WY: 'Wyoming',
  PR: 'Puerto Rico', GU: 'Guam', VI: 'U.S. Virgin Islands', AS: 'American Samoa', MP: 'Northern Mariana Islands',
};

let regionNames: Intl.DisplayNames | null = null;
function countryName(code: string): string {
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** "California" for a US state code, "France" for a country code, the code itself otherwise. */
export function regionName(region: string | null, country?: string | null): string {
  if (!region) return country ? countryName(country) : 'Unknown place';
  if (country && country !== 'US') return countryName(region);
  return STATE_NAMES[region] ?? countryName(region);
}

/** "CA" for a US state, "France" abroad, "" when unknown. */
export function whereLabel(region: string | null, country: string | null): string {
  return country && country !== 'US' ? countryName(country) : region ?? '';
}

/** "Los Angeles, CA" / "Paris, France" / "United States (no locality)". */
export function placeLabel(locality: string | null, region: string | null, country: string | null): string {
  const where = whereLabel(region, country);
  if (!locality) return region && region === country ? `${countryName(region)} (no locality)` : where || 'Unknown place';
  return where ? `${locality}, ${where}` : locality;
}

const FLAG_WORDS: Record<string, string> = {
  single_source: 'Single source',
  published_date_contradicts_text: 'Publication date contradicts the text',
  date_after_publication: 'Event date is after the publication date',
  no_publication_date: 'No publication date',
  size_disagreement: 'Sources disagree on the crowd size',
  sizes_disagree: 'Sources disagree on the crowd size',
  arrests_disagree: 'Sources disagree on the arrests',
  day_unknown: 'No day given: dated to the week of the report',
  date_from_article: 'Day taken from the rest of the article',
};

/** A flag in plain words: known flags by hand, others humanised ("low_confidence" -> "Low confidence"). */
export function flagText(flag: string): string {
  const known = FLAG_WORDS[flag];
  if (known) return known;
  const words = flag.replace(/[_-]+/g, ' ').trim();
  return words ? words[0].toUpperCase() + words.slice(1) : flag;
}

// Dates come from the one shared formatter (pure string work, no server code): a week- or month-precision
// event reads "week of 26 January 2026" or "January 2026", never a made-up day.
export { eventDate, longDate, shortDate } from '../../src/core/dates.ts';

export function formatNumber(n: number | null | undefined): string {
  return n == null ? '' : Math.round(n).toLocaleString('en-US');
}

/** "thousands (2,000)" / "300" / "2,000–5,000" / "not reported". */
export function sizeText(text: string | null, low: number | null, high: number | null): string {
  const range = low == null ? '' : high != null && high !== low ? `${formatNumber(low)}–${formatNumber(high)}` : formatNumber(low);
  if (text && range && text.replace(/,/g, '') !== String(low)) return `${text} (${range})`;
  if (text) return text;
  return range || 'size not reported';
}

/** The URL if it is an http(s) link; null for javascript:, data: and anything else. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function todayIso(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Days between two YYYY-MM-DD dates, in UTC. */
export function dayIndex(iso: string): number {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

export function isoFromDayIndex(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}
