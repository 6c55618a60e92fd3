// The filter form. Selects and dates apply at once; the text search applies on submit.
import { useEffect, useState } from 'preact/hooks';
import { api, type StatsRow } from './api.ts';
import { isFiltered, type Filters } from './filters.ts';
import { formatNumber, STATE_NAMES, regionName } from './format.ts';

export interface Options {
  regions: StatsRow[];
  macroevents: StatsRow[];
}

/** The filter choices: every region and macro-event in the store, with counts (empty until the API answers). */
export function useFilterOptions(): Options {
  const [options, setOptions] = useState<Options>({ regions: [], macroevents: [] });
  useEffect(() => {
    const ctl = new AbortController();
    const none = new URLSearchParams();
    Promise.all([api.stats('region', none, ctl.signal), api.stats('macroevent', none, ctl.signal)])
      .then(([r, m]) => setOptions({ regions: r.rows, macroevents: m.rows }))
      .catch(() => undefined);
    return () => ctl.abort();
  }, []);
  return options;
}

const EMPTY: Filters = { from: '', to: '', region: '', status: '', macroevent: '', q: '' };

/**
 * The filters, applied through onChange. `hide` leaves out controls a page's API does not take (the review queue
 * filters by date, region and day of action only).
 */
export function FilterBar({ filters, options, onChange, hide = [], label = 'Filter demonstrations' }: { filters: Filters; options: Options; onChange: (patch: Partial<Filters>) => void; hide?: ('q' | 'status')[]; label?: string }) {
  const shown = (k: 'q' | 'status') => !hide.includes(k);
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);

  const regions = options.regions.filter((r): r is StatsRow & { key: string } => !!r.key);
  const states = regions.filter((r) => STATE_NAMES[r.key]).sort((a, b) => regionName(a.key).localeCompare(regionName(b.key)));
  const abroad = regions.filter((r) => !STATE_NAMES[r.key]).sort((a, b) => regionName(a.key, a.key).localeCompare(regionName(b.key, b.key)));
  const macro = options.macroevents.filter((r): r is StatsRow & { key: string } => !!r.key);
  const count = (r: StatsRow) => ` (${formatNumber(r.events)})`;

  const active = (['region', 'status', 'macroevent', 'from', 'to', 'q'] as const).filter((k) => filters[k]).length;
  // open on wide screens; on a phone the filters fold away above the map
  const [open] = useState(() => typeof matchMedia !== 'function' || matchMedia('(min-width: 600px)').matches);

  return (
    <details class="filters-wrap" open={open}>
      <summary>Filters{active > 0 ? ` (${active} active)` : ''}</summary>
      <form
        class="filters"
        role="search"
        aria-label={label}
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ q: q.trim() });
        }}
      >
        {shown('q') && (
          <div class="field-q">
            <label for="f-q">Search</label>
            <input id="f-q" name="q" type="search" value={q} placeholder="Words in titles, claims, quotes" onInput={(e) => setQ(e.currentTarget.value)} />
          </div>
        )}
        <div>
          <label for="f-region">Region</label>
          <select id="f-region" name="region" value={filters.region} onChange={(e) => onChange({ region: e.currentTarget.value })}>
            <option value="">All regions</option>
            {filters.region && !regions.some((r) => r.key === filters.region) && <option value={filters.region}>{regionName(filters.region)}</option>}
            {states.length > 0 && (
              <optgroup label="US states">
                {states.map((r) => (
                  <option key={r.key} value={r.key}>
                    {regionName(r.key)}
                    {count(r)}
                  </option>
                ))}
              </optgroup>
            )}
            {abroad.length > 0 && (
              <optgroup label="Other countries">
                {abroad.map((r) => (
                  <option key={r.key} value={r.key}>
                    {regionName(r.key, r.key)}
                    {count(r)}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        {shown('status') && (
          <div>
            <label for="f-status">Status</label>
            <select id="f-status" name="status" value={filters.status} onChange={(e) => onChange({ status: e.currentTarget.value })}>
              <option value="">Any</option>
              <option value="occurred">Occurred</option>
              <option value="planned">Planned</option>
            </select>
          </div>
        )}
        <div>
          <label for="f-macroevent">Day of action</label>
          <select id="f-macroevent" name="macroevent" value={filters.macroevent} onChange={(e) => onChange({ macroevent: e.currentTarget.value })}>
            <option value="">Any</option>
            {filters.macroevent && !macro.some((r) => r.key === filters.macroevent) && <option value={filters.macroevent}>{filters.macroevent}</option>}
            {macro.map((r) => (
              <option key={r.key} value={r.key}>
                {r.key}
                {count(r)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="f-from">From</label>
          <input id="f-from" name="from" type="date" value={filters.from} max={filters.to || undefined} onChange={(e) => onChange({ from: e.currentTarget.value })} />
        </div>
        <div>
          <label for="f-to">To</label>
          <input id="f-to" name="to" type="date" value={filters.to} min={filters.from || undefined} onChange={(e) => onChange({ to: e.currentTarget.value })} />
        </div>
        <div class="filter-actions">
          {shown('q') && <button type="submit">Search</button>}
          <button type="button" class="secondary" disabled={!isFiltered(filters) && !q} onClick={() => onChange(EMPTY)}>
            Clear all
          </button>
        </div>
      </form>
    </details>
  );
}
