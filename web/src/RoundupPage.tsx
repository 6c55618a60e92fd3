// "/roundup?date=YYYY-MM-DD", "?from=...&to=...", "?macroevent=...": what happened that day, over those days or on
// that day of action. Occurred and planned events apart, a small map, counts by state and by country, crowd sizes
// summed where reported, one line per place grouped by state and country, and a plain-text copy for a story.
import { useEffect, useState } from 'preact/hooks';
import { api, isAbort, type EventRecord, type StatsRow } from './api.ts';
import { countText, formatNumber, plannedAndPast, plannedText, safeHref } from './format.ts';
import { MiniMap } from './MiniMap.tsx';
import {
  isEmptyQuery,
  lineDay,
  linePeriod,
  lineSize,
  loadRoundup,
  parseRoundupQuery,
  roundupFilters,
  roundupSearch,
  roundupText,
  sourceLabel,
  type Group,
  type PlaceCount,
  type Roundup,
  type RoundupQuery,
} from './roundup.ts';
import { navigate, onLinkClick } from './router.ts';

function Line({ e, singleDay }: { e: EventRecord; singleDay: string | null }) {
  const period = linePeriod(e);
  const day = lineDay(e, singleDay);
  const planned = plannedText(e);
  return (
    <li data-region={e.country && e.country !== 'US' && !['PR', 'GU', 'VI', 'AS', 'MP'].includes(e.country) ? e.country : (e.region ?? '')} data-status={e.status} data-id={e.id}>
      <a class="rl-locality" href={`/event/${encodeURIComponent(e.id)}`} onClick={onLinkClick}>
        {e.locality ?? 'No locality given'}
      </a>
      {e.location_detail && <span class="rl-venue"> — {e.location_detail}</span>}
      {day && <span class="rl-day"> — {day}</span>}
      {period && <span class="rl-date"> — {period}</span>}
      <span class="rl-size"> — {lineSize(e)}</span>
      {e.status === 'planned' && (
        <>
          <span class="status status-planned">Planned</span>
          {plannedAndPast(e) && <span class="rl-no-report"> {planned?.replace(/^planned for [^;]*; /, '')}</span>}
        </>
      )}
      {e.sources.length > 0 && (
        <span class="rl-sources">
          {' ('}
          {e.sources.map((s, i) => {
            const href = safeHref(s.url);
            const label = sourceLabel(s);
            return (
              <span key={s.id}>
                {i > 0 && '; '}
                {href ? (
                  <a href={href} rel="noopener noreferrer nofollow" target="_blank">
                    {label}
                  </a>
                ) : (
                  label
                )}
              </span>
            );
          })}
          {')'}
        </span>
      )}
    </li>
  );
}

function Groups({ groups, singleDay, kind }: { groups: Group[]; singleDay: string | null; kind: 'occurred' | 'planned' }) {
  return (
    <>
      {groups.map((g) => {
        const id = `g-${kind}-${g.country}-${g.region}`;
        return (
          <section class="roundup-group" key={g.key} data-group={g.region} data-kind={kind} aria-labelledby={id}>
            <h3 id={id}>{g.name}</h3>
            <ul>
              {g.events.map((e) => (
                <Line key={e.id} e={e} singleDay={singleDay} />
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

function CountTable({ rows, caption, head, kind }: { rows: PlaceCount[]; caption: string; head: string; kind: string }) {
  if (rows.length === 0) return null;
  return (
    <div class="table-wrap">
      <table class="counts" data-counts={kind}>
        <caption>
          {caption} <span class="muted small">(people: at least, where a size was reported)</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col" class="num">
              Demonstrations
            </th>
            <th scope="col" class="num">
              Planned
            </th>
            <th scope="col" class="num">
              People
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{r.name}</th>
              <td class="num">{formatNumber(r.occurred)}</td>
              <td class="num">{formatNumber(r.planned)}</td>
              <td class="num">{r.sized ? `${formatNumber(r.sizeLow)}${r.sizeHigh > r.sizeLow ? `–${formatNumber(r.sizeHigh)}` : ''}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Mode = 'day' | 'range' | 'macroevent';

function modeOf(q: RoundupQuery): Mode {
  return q.macroevent ? 'macroevent' : q.from || q.to ? 'range' : 'day';
}

function Controls({ q, macroevents }: { q: RoundupQuery; macroevents: StatsRow[] }) {
  const [mode, setMode] = useState<Mode>(modeOf(q));
  useEffect(() => setMode(modeOf(q)), [q.date, q.from, q.to, q.macroevent]);
  const go = (next: Partial<RoundupQuery>) => navigate(`/roundup${roundupSearch(next)}`);
  const macro = macroevents.filter((r): r is StatsRow & { key: string } => !!r.key);
  return (
    <form class="roundup-controls" aria-label="Choose the roundup" onSubmit={(e) => e.preventDefault()}>
      <fieldset class="mode">
        <legend>Roundup of</legend>
        {(
          [
            ['day', 'A day'],
            ['range', 'Dates'],
            ['macroevent', 'A day of action'],
          ] as const
        ).map(([m, label]) => (
          <label key={m} class="mode-option">
            <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} />
            {label}
          </label>
        ))}
      </fieldset>
      {mode === 'day' && (
        <div>
          <label for="r-date">Day</label>
          <input id="r-date" type="date" value={q.date} onChange={(e) => e.currentTarget.value && go({ date: e.currentTarget.value })} />
        </div>
      )}
      {mode === 'range' && (
        <>
          <div>
            <label for="r-from">From</label>
            <input id="r-from" type="date" value={q.from || q.date} max={q.to || undefined} onChange={(e) => go({ from: e.currentTarget.value, to: q.to || q.date })} />
          </div>
          <div>
            <label for="r-to">To</label>
            <input id="r-to" type="date" value={q.to || q.date} min={q.from || undefined} onChange={(e) => go({ from: q.from || q.date, to: e.currentTarget.value })} />
          </div>
        </>
      )}
      {mode === 'macroevent' && (
        <div>
          <label for="r-macroevent">Day of action</label>
          <select id="r-macroevent" value={q.macroevent} onChange={(e) => e.currentTarget.value && go({ macroevent: e.currentTarget.value })}>
            <option value="">Choose…</option>
            {q.macroevent && !macro.some((r) => r.key === q.macroevent) && <option value={q.macroevent}>{q.macroevent}</option>}
            {macro.map((r) => (
              <option key={r.key} value={r.key}>
                {r.key} ({formatNumber(r.events)})
              </option>
            ))}
          </select>
        </div>
      )}
    </form>
  );
}

export function RoundupPage({ search, fallbackDate }: { search: string; fallbackDate: string | null }) {
  const q = parseRoundupQuery(search);
  const key = roundupSearch(q);
  const [data, setData] = useState<Roundup | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState('');
  const [macroevents, setMacroevents] = useState<StatsRow[]>([]);

  // No day, dates or day of action: go to the nav's date (today's or the latest).
  useEffect(() => {
    if (isEmptyQuery(q) && fallbackDate) navigate(`/roundup?date=${fallbackDate}`, { replace: true });
  }, [key, fallbackDate]);

  useEffect(() => {
    const ctl = new AbortController();
    api
      .stats('macroevent', new URLSearchParams(), ctl.signal)
      .then((s) => setMacroevents(s.rows))
      .catch(() => undefined);
    return () => ctl.abort();
  }, []);

  useEffect(() => {
    if (isEmptyQuery(q)) return;
    const ctl = new AbortController();
    setData(null);
    setError(null);
    setCopied('');
    loadRoundup(q, ctl.signal)
      .then((r) => {
        setData(r);
        document.title = `${r.summary} · Roundup · Turnout`;
      })
      .catch((e) => {
        if (!isAbort(e)) setError(String((e as Error).message));
      });
    return () => ctl.abort();
  }, [key]);

  const copy = async () => {
    if (!data) return;
    try {
      await navigator.clipboard.writeText(roundupText(data));
      setCopied('Copied. Paste it into your story.');
    } catch {
      setCopied('Copying is not allowed here: select the text on the page instead.');
    }
  };

  const filters = roundupFilters(q).toString();
  const points = data
    ? [...data.occurred, ...data.planned].filter((e) => e.lon != null && e.lat != null).map((e) => ({ lon: e.lon!, lat: e.lat!, status: e.status }))
    : [];

  return (
    <div class="page roundup-page">
      <Controls q={q} macroevents={macroevents} />
      {isEmptyQuery(q) && !fallbackDate && <p>Choose a day, dates or a day of action to see its roundup.</p>}
      {error && (
        <p class="error" role="alert">
          The roundup could not be loaded: {error}
        </p>
      )}
      {!isEmptyQuery(q) && !data && !error && <p aria-busy="true">Loading…</p>}
      {data && (
        <article class="roundup" aria-labelledby="roundup-heading" data-occurred={data.occurred.length} data-planned={data.planned.length}>
          <h1 id="roundup-heading">
            {data.summary}
            {data.heading && <span class="subtitle">{data.heading}</span>}
          </h1>
          {data.sizeLine && <p class="size-line">{data.sizeLine}</p>}
          <p class="roundup-actions">
            <button type="button" onClick={copy} disabled={data.occurred.length + data.planned.length === 0}>
              Copy as text
            </button>
            <span class="muted" aria-live="polite">
              {copied}
            </span>
            <span class="downloads">
              Download: <a href={`/api/events.csv${filters ? `?${filters}` : ''}`}>CSV</a> · <a href={`/api/events.geojson${filters ? `?${filters}` : ''}`}>GeoJSON</a> ·{' '}
              <a href={`/${filters ? `?${filters}` : ''}`} onClick={onLinkClick}>
                On the map
              </a>
            </span>
          </p>
          <div class="roundup-top">
            <figure class="roundup-map">
              {points.length > 0 ? (
                <MiniMap points={points} label={`Map of ${data.summary}`} maxZoom={6} />
              ) : (
                <p class="muted">Nothing to map.</p>
              )}
              <figcaption class="small">
                <span class="swatch swatch-occurred" aria-hidden="true" /> Occurred ({formatNumber(data.occurred.length)}){' '}
                <span class="swatch swatch-planned" aria-hidden="true" /> Planned ({formatNumber(data.planned.length)})
              </figcaption>
            </figure>
            <div class="roundup-counts">
              <CountTable rows={data.byState} caption="By state" head="State" kind="state" />
              <CountTable rows={data.byCountry} caption="By country (outside the US)" head="Country" kind="country" />
            </div>
          </div>
          <section class="roundup-part" data-part="occurred" aria-labelledby="occurred-heading">
            <h2 id="occurred-heading">Demonstrations ({formatNumber(data.occurred.length)})</h2>
            {data.occurred.length === 0 && <p>No demonstration is recorded for this selection.</p>}
            <Groups groups={data.occurredGroups} singleDay={data.singleDay} kind="occurred" />
          </section>
          {data.planned.length > 0 && (
            <section class="roundup-part" data-part="planned" aria-labelledby="planned-heading">
              <h2 id="planned-heading">Planned ({formatNumber(data.planned.length)}, not counted above)</h2>
              <p class="muted small">
                Announced for {q.macroevent ? 'the day of action' : 'these days'}
                {data.plannedPast ? `; ${countText(data.plannedPast, 'has', 'have')} no report since its day` : ''}.
              </p>
              <Groups groups={data.plannedGroups} singleDay={data.singleDay} kind="planned" />
            </section>
          )}
        </article>
      )}
    </div>
  );
}
