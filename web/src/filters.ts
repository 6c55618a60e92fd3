// The map page's filters live in the URL query, so a filtered view is a link someone can share.
export interface Filters {
  from: string;
  to: string;
  region: string;
  status: string;
  macroevent: string;
  q: string;
}

export const FILTER_KEYS = ['from', 'to', 'region', 'status', 'macroevent', 'q'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const get = (k: string) => (p.get(k) ?? '').trim();
  const region = get('region').toUpperCase();
  const status = get('status');
  return {
    from: DATE.test(get('from')) ? get('from') : '',
    to: DATE.test(get('to')) ? get('to') : '',
    region: /^[A-Z]{2}$/.test(region) ? region : '',
    status: status === 'occurred' || status === 'planned' ? status : '',
    macroevent: get('macroevent'),
    q: get('q'),
  };
}

/** Query parameters for the API (and the page URL): only the filters that are set. */
export function toParams(f: Filters, opts: { dates?: boolean } = {}): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    if (opts.dates === false && (k === 'from' || k === 'to')) continue;
    if (f[k]) p.set(k, f[k]);
  }
  return p;
}

export function toSearch(f: Filters): string {
  const s = toParams(f).toString();
  return s ? `?${s}` : '';
}

export function isFiltered(f: Filters): boolean {
  return FILTER_KEYS.some((k) => f[k] !== '');
}
