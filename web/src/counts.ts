// "19 demonstrations in 12 states, and 2 planned" for the map page's filters: occurred events are counted
// (with the states and countries they took place in), planned ones apart.
import { useEffect, useState } from 'preact/hooks';
import { api, isAbort } from './api.ts';
import { STATE_NAMES } from './format.ts';
import { summaryOf } from './roundup.ts';

export interface Counts {
  occurred: number;
  planned: number;
  states: number;
  countries: number;
  summary: string;
}

/** Counts for a filter query (the map page's, as URL parameters); null while loading or after a failure. */
export function useCounts(query: string): Counts | null {
  const [counts, setCounts] = useState<Counts | null>(null);
  useEffect(() => {
    const ctl = new AbortController();
    const base = new URLSearchParams(query);
    const status = base.get('status');
    setCounts(null);
    const occurredP = new URLSearchParams(base);
    occurredP.set('status', 'occurred');
    const plannedP = new URLSearchParams(base);
    plannedP.set('status', 'planned');
    plannedP.set('limit', '1');
    Promise.all([
      status === 'planned' ? Promise.resolve({ rows: [] as { key: string | null; events: number }[] }) : api.stats('region', occurredP, ctl.signal),
      status === 'occurred' ? Promise.resolve({ total: 0 }) : api.events(plannedP, ctl.signal),
    ])
      .then(([regions, planned]) => {
        const occurred = regions.rows.reduce((n, r) => n + r.events, 0);
        const keys = regions.rows.filter((r) => r.events > 0 && r.key).map((r) => r.key!);
        const states = keys.filter((k) => STATE_NAMES[k]).length;
        const countries = keys.filter((k) => !STATE_NAMES[k] && k !== 'US').length;
        setCounts({ occurred, planned: planned.total, states, countries, summary: summaryOf(occurred, states, countries, planned.total) });
      })
      .catch((e) => {
        if (!isAbort(e)) setCounts(null);
      });
    return () => ctl.abort();
  }, [query]);
  return counts;
}
