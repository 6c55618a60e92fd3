// "/roundup?date=YYYY-MM-DD" (and/or &macroevent=...): places grouped by state and country, one line each,
// in a form a reporter can paste into a story.
import { useEffect, useState } from 'preact/hooks';
import { api, isAbort, type RoundupEvent, type RoundupGroup, type RoundupResponse, type SourceRef } from './api.ts';
import { eventDate, longDate, regionName, safeHref } from './format.ts';
import { navigate, onLinkClick } from './router.ts';
import { sourceName } from './Sources.tsx';

function groupName(g: RoundupGroup): string {
  return g.name ?? regionName(g.region, g.country);
}

function sizePhrase(e: RoundupEvent): string {
  if (e.size_text) return e.size_text;
  if (e.size_low != null) return e.size_high != null && e.size_high !== e.size_low ? `${e.size_low}–${e.size_high}` : String(e.size_low);
  return 'size not reported';
}

function sourcesPhrase(ss: SourceRef[]): string {
  return ss.map((s) => (s.publisher && s.title ? `${s.publisher}, “${s.title}”` : s.publisher ?? (s.title ? `“${s.title}”` : sourceName(s)))).join('; ');
}

/** "January 2026" / "week of 26 January 2026" for a line known only to the month or week; null for a day. */
function linePeriod(e: RoundupEvent): string | null {
  return e.date && e.date_precision && e.date_precision !== 'day' ? eventDate(e.date, e.date_precision) : null;
}

function lineText(e: RoundupEvent): string {
  const parts = [e.locality ?? 'No locality given'];
  if (e.location_detail) parts.push(e.location_detail);
  const period = linePeriod(e);
  if (period) parts.push(period);
  parts.push(sizePhrase(e));
  const planned = e.status === 'planned' ? ' (planned)' : '';
  const src = e.sources.length ? ` (${sourcesPhrase(e.sources)})` : '';
  return `${parts.join(' — ')}${planned}${src}`;
}

function heading(r: RoundupResponse): string {
  return [r.date ? longDate(r.date) : null, r.macroevent].filter(Boolean).join(' · ');
}

/** The plain-text version for pasting into a story. */
export function roundupText(r: RoundupResponse): string {
  const out = [r.summary, heading(r), ''];
  for (const g of r.groups) {
    out.push(groupName(g));
    for (const e of g.events) out.push(`- ${lineText(e)}`);
    out.push('');
  }
  return out.join('\n').trimEnd() + '\n';
}

export function RoundupPage({ search, fallbackDate }: { search: string; fallbackDate: string | null }) {
  const params = new URLSearchParams(search);
  const date = params.get('date') ?? '';
  const macroevent = params.get('macroevent') ?? '';
  const [data, setData] = useState<RoundupResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState('');

  // No date or macro-event: go to the nav's date (today's or the latest).
  useEffect(() => {
    if (!date && !macroevent && fallbackDate) navigate(`/roundup?date=${fallbackDate}`, { replace: true });
  }, [date, macroevent, fallbackDate]);

  useEffect(() => {
    if (!date && !macroevent) return;
    const ctl = new AbortController();
    const p = new URLSearchParams();
    if (date) p.set('date', date);
    if (macroevent) p.set('macroevent', macroevent);
    setData(null);
    setError(null);
    setCopied('');
    api
      .roundup(p, ctl.signal)
      .then((r) => {
        setData(r);
        document.title = `${r.summary} · Roundup · Turnout`;
      })
      .catch((e) => {
        if (!isAbort(e)) setError(String((e as Error).message));
      });
    return () => ctl.abort();
  }, [date, macroevent]);

  const copy = async () => {
    if (!data) return;
    try {
      await navigator.clipboard.writeText(roundupText(data));
      setCopied('Copied. Paste it into your story.');
    } catch {
      setCopied('Copying is not allowed here: select the text on the page instead.');
    }
  };

  return (
    <div class="page narrow roundup-page">
      <form class="roundup-controls" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label for="r-date">Day</label>
          <input
            id="r-date"
            type="date"
            value={date}
            onChange={(e) => {
              const p = new URLSearchParams();
              if (e.currentTarget.value) p.set('date', e.currentTarget.value);
              if (macroevent) p.set('macroevent', macroevent);
              navigate(`/roundup?${p.toString()}`);
            }}
          />
        </div>
        {macroevent && (
          <p>
            Day of action: <strong>{macroevent}</strong>{' '}
            <a href={date ? `/roundup?date=${encodeURIComponent(date)}` : '/roundup'} onClick={onLinkClick}>
              (all demonstrations that day)
            </a>
          </p>
        )}
      </form>
      {!date && !macroevent && !fallbackDate && <p>Choose a day to see its roundup.</p>}
      {error && (
        <p class="error" role="alert">
          The roundup could not be loaded: {error}
        </p>
      )}
      {(date || macroevent) && !data && !error && <p aria-busy="true">Loading…</p>}
      {data && (
        <article class="roundup" aria-labelledby="roundup-heading">
          <h1 id="roundup-heading">
            {data.summary}
            {heading(data) && <span class="subtitle">{heading(data)}</span>}
          </h1>
          <p class="roundup-actions">
            <button type="button" onClick={copy} disabled={data.events === 0}>
              Copy as text
            </button>
            <span class="muted" aria-live="polite">
              {copied}
            </span>
          </p>
          {data.groups.length === 0 && <p>No demonstrations are recorded for this day.</p>}
          {data.groups.map((g) => (
            <section class="roundup-group" key={`${g.country}|${g.region}`} data-group={g.region ?? g.country ?? ''} aria-labelledby={`g-${g.country}-${g.region}`}>
              <h2 id={`g-${g.country}-${g.region}`}>{groupName(g)}</h2>
              <ul>
                {g.events.map((e) => (
                  <li key={e.id} data-region={g.region ?? ''} data-status={e.status}>
                    <a class="rl-locality" href={`/event/${encodeURIComponent(e.id)}`} onClick={onLinkClick}>
                      {e.locality ?? 'No locality given'}
                    </a>
                    {e.location_detail && <span class="rl-venue"> — {e.location_detail}</span>}
                    {linePeriod(e) && <span class="rl-date"> — {linePeriod(e)}</span>}
                    <span class="rl-size"> — {sizePhrase(e)}</span>
                    {e.status === 'planned' && <span class="status status-planned">Planned</span>}
                    {e.sources.length > 0 && (
                      <span class="rl-sources">
                        {' ('}
                        {e.sources.map((s, i) => {
                          const href = safeHref(s.url);
                          const label = s.publisher && s.title ? `${s.publisher}, “${s.title}”` : s.publisher ?? (s.title ? `“${s.title}”` : sourceName(s));
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
                ))}
              </ul>
            </section>
          ))}
        </article>
      )}
    </div>
  );
}
