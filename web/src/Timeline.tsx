// Events over time as stacked bars (occurred, planned) on labelled axes: bars by day over a short span, by week
// over a few months, by month over longer. Dragging across the bars (or clicking one) sets the date range; the
// From and To inputs of the filter form are the keyboard way to do the same.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { StatsRow } from './api.ts';
import { dayIndex, formatNumber, isoFromDayIndex, shortDate } from './format.ts';

const H = 140;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type BinUnit = 'day' | 'week' | 'month';

export interface Bin {
  /** first and last day (day indexes, UTC) */
  a: number;
  b: number;
  occurred: number;
  planned: number;
}

/** Days by day up to two months, by week up to a year, by month beyond. */
export function binUnit(spanDays: number): BinUnit {
  return spanDays <= 62 ? 'day' : spanDays <= 366 ? 'week' : 'month';
}

const monday = (d: number) => d - ((new Date(d * 86_400_000).getUTCDay() + 6) % 7);
const monthStart = (d: number) => dayIndex(`${isoFromDayIndex(d).slice(0, 7)}-01`);
const nextMonth = (d: number) => {
  const [y, m] = isoFromDayIndex(d).split('-').map(Number) as [number, number];
  return dayIndex(`${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01`);
};

/** Bins covering first..last, every bin present (empty ones too), with the counts of each status. */
export function makeBins(counts: Map<number, { occurred: number; planned: number }>, first: number, last: number, unit: BinUnit): Bin[] {
  const bins: Bin[] = [];
  const startOf = unit === 'day' ? (d: number) => d : unit === 'week' ? monday : monthStart;
  const after = unit === 'day' ? (d: number) => d + 1 : unit === 'week' ? (d: number) => d + 7 : nextMonth;
  for (let a = startOf(first); a <= last; a = after(a)) bins.push({ a, b: after(a) - 1, occurred: 0, planned: 0 });
  let i = 0;
  for (const [d, c] of [...counts.entries()].sort((x, y) => x[0] - y[0])) {
    while (i < bins.length - 1 && d > bins[i]!.b) i++;
    if (d < bins[i]!.a || d > bins[i]!.b) continue;
    bins[i]!.occurred += c.occurred;
    bins[i]!.planned += c.planned;
  }
  return bins;
}

/** 1, 2, 5, 10, 20, 50... the smallest step that gives at most `n` steps up to max. */
export function niceStep(max: number, n: number): number {
  const raw = Math.max(max / n, 1);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

function tickLabel(d: number, unit: BinUnit, withYear: boolean): string {
  const iso = isoFromDayIndex(d);
  const m = MONTHS[Number(iso.slice(5, 7)) - 1]!;
  if (unit === 'month') return withYear ? `${m} ${iso.slice(0, 4)}` : m;
  return `${m} ${Number(iso.slice(8, 10))}${withYear ? `, ${iso.slice(0, 4)}` : ''}`;
}

/** The width of an element (CSS px), measured when it appears and whenever it is resized. */
function useWidth(el: HTMLElement | null): number {
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    if (!el) return;
    setW(el.getBoundingClientRect().width);
    if (typeof ResizeObserver !== 'function') return;
    const ro = new ResizeObserver((entries) => setW(entries[0]!.contentRect.width));
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return w;
}

export function Timeline({
  rows,
  planned,
  from,
  to,
  onRange,
}: {
  rows: StatsRow[] | null;
  /** the planned events' counts by day (a subset of rows); null when unknown */
  planned: StatsRow[] | null;
  from: string;
  to: string;
  onRange: (from: string, to: string) => void;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  // the plot appears once there are rows: a callback ref measures it then
  const [plot, setPlot] = useState<HTMLDivElement | null>(null);
  const width = useWidth(plot);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);

  const isDay = (r: StatsRow): r is StatsRow & { key: string } => !!r.key && /^\d{4}-\d{2}-\d{2}$/.test(r.key);
  const dated = (rows ?? []).filter(isDay);
  const undated = (rows ?? []).filter((r) => !r.key).reduce((n, r) => n + r.events, 0);

  if (rows == null) return <section class="timeline" aria-label="Timeline"><p class="muted">Loading the timeline…</p></section>;
  if (dated.length === 0) return <section class="timeline" aria-label="Timeline"><p class="muted">No dated events to show on the timeline.</p></section>;

  const plannedBy = new Map((planned ?? []).filter(isDay).map((r) => [dayIndex(r.key), r.events]));
  const counts = new Map<number, { occurred: number; planned: number }>();
  for (const r of dated) {
    const d = dayIndex(r.key);
    const p = Math.min(plannedBy.get(d) ?? 0, r.events);
    counts.set(d, { occurred: r.events - p, planned: p });
  }
  const days = [...counts.keys()];
  const first = Math.min(...days);
  const last = Math.max(...days);
  const unit = binUnit(last - first + 1);
  const bins = makeBins(counts, first, last, unit);
  const n = bins.length;
  const max = Math.max(1, ...bins.map((b) => b.occurred + b.planned));
  const step = niceStep(max, 3);
  const top = Math.ceil(max / step) * step;
  const yTicks: number[] = [];
  for (let v = 0; v <= top; v += step) yTicks.push(v);

  // x ticks on whole bins, spaced for their labels (the year on the first tick and where it changes); none whose
  // label would run past the chart's right edge
  const spacing = unit === 'month' ? 80 : 95;
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(width / spacing))));
  const xTicks: { i: number; label: string }[] = [];
  let lastYear = '';
  for (let i = 0; width > 0 && i < n; i += every) {
    const year = isoFromDayIndex(bins[i]!.a).slice(0, 4);
    const label = tickLabel(bins[i]!.a, unit, year !== lastYear);
    if (xTicks.length > 0 && (i / n) * width + label.length * 6.5 + 6 > width) break;
    xTicks.push({ i, label });
    lastYear = year;
  }

  const binAt = (clientX: number): number => {
    const rect = svgRef.current!.getBoundingClientRect();
    const x = Math.min(Math.max(clientX - rect.left, 0), rect.width - 0.01);
    return Math.floor((x / rect.width) * n);
  };
  const inRange = (b: Bin) => (!from || b.b >= dayIndex(from)) && (!to || b.a <= dayIndex(to));
  const sel = drag ? { a: Math.min(drag.a, drag.b), b: Math.max(drag.a, drag.b) } : null;
  const filtered = !!(from || to);
  const total = bins.reduce((s, b) => s + b.occurred, 0);
  const totalPlanned = bins.reduce((s, b) => s + b.planned, 0);
  const busiest = bins.reduce((m, b) => (b.occurred + b.planned > m.occurred + m.planned ? b : m), bins[0]!);
  const unitWord = { day: 'day', week: 'week', month: 'month' }[unit];
  const binText = (b: Bin) => (unit === 'day' ? shortDate(isoFromDayIndex(b.a)) : unit === 'week' ? `week of ${shortDate(isoFromDayIndex(b.a))}` : tickLabel(b.a, 'month', true));

  return (
    <section class="timeline" aria-labelledby="timeline-heading" data-unit={unit}>
      <div class="timeline-head">
        <h2 id="timeline-heading">Events per {unitWord}</h2>
        <p class="timeline-legend small">
          <span class="swatch swatch-occurred" aria-hidden="true" /> Occurred <span class="swatch swatch-planned" aria-hidden="true" /> Planned
        </p>
        <p class="muted small" aria-live="polite">
          {filtered ? (
            <>
              Showing {from ? shortDate(from) : 'the start'} to {to ? shortDate(to) : 'the end'}{' '}
              <button type="button" class="link-button" onClick={() => onRange('', '')}>
                Show all dates
              </button>
            </>
          ) : (
            'Drag across the bars to choose dates, or use From and To above.'
          )}
        </p>
      </div>
      <div class="timeline-chart">
        <div class="timeline-yaxis" aria-hidden="true">
          {yTicks.map((v) => (
            <span key={v} class="timeline-ytick" style={{ bottom: `${(v / top) * 100}%` }}>
              {formatNumber(v)}
            </span>
          ))}
        </div>
        <div class="timeline-plot" ref={setPlot}>
          <svg
            ref={svgRef}
            class="timeline-svg"
            viewBox={`0 0 ${n} ${H}`}
            preserveAspectRatio="none"
            role="img"
            aria-label={`Bar chart by ${unitWord}: ${formatNumber(total)} demonstrations and ${formatNumber(totalPlanned)} planned, ${shortDate(isoFromDayIndex(first))} to ${shortDate(isoFromDayIndex(last))}; busiest ${unitWord} ${binText(busiest)} with ${formatNumber(busiest.occurred + busiest.planned)} events.`}
            onPointerDown={(e) => {
              if (e.button !== 0) return;
              (e.currentTarget as Element).setPointerCapture(e.pointerId);
              const i = binAt(e.clientX);
              setDrag({ a: i, b: i });
            }}
            onPointerMove={(e) => {
              if (drag) setDrag({ a: drag.a, b: binAt(e.clientX) });
            }}
            onPointerUp={(e) => {
              if (!drag) return;
              const b = binAt(e.clientX);
              const lo = bins[Math.min(drag.a, b)]!;
              const hi = bins[Math.max(drag.a, b)]!;
              setDrag(null);
              onRange(isoFromDayIndex(lo.a), isoFromDayIndex(hi.b));
            }}
            onPointerCancel={() => setDrag(null)}
          >
            {yTicks.map((v) => (
              <line key={v} class="timeline-grid" x1={0} x2={n} y1={H - (v / top) * H} y2={H - (v / top) * H} vector-effect="non-scaling-stroke" />
            ))}
            {sel && <rect class="timeline-sel" x={sel.a} y={0} width={sel.b - sel.a + 1} height={H} />}
            {bins.map((b, i) => {
              const ho = (b.occurred / top) * H;
              const hp = (b.planned / top) * H;
              const out = sel ? i < sel.a || i > sel.b : filtered && !inRange(b);
              const pad = n > 1 ? 0.12 : 0.3;
              return (
                <g key={b.a} class={out ? 'bin bin-out' : 'bin'}>
                  <title>{`${binText(b)}: ${formatNumber(b.occurred)} ${b.occurred === 1 ? 'demonstration' : 'demonstrations'}${b.planned ? `, ${formatNumber(b.planned)} planned` : ''}`}</title>
                  {b.occurred > 0 && <rect class="bar bar-occurred" x={i + pad} y={H - ho} width={1 - 2 * pad} height={ho} />}
                  {b.planned > 0 && <rect class="bar bar-planned" x={i + pad} y={H - ho - hp} width={1 - 2 * pad} height={hp} />}
                </g>
              );
            })}
          </svg>
          <div class="timeline-xaxis" aria-hidden="true">
            {xTicks.map((t) => (
              <span key={t.i} class="timeline-xtick" style={{ left: `${(t.i / n) * 100}%` }}>
                {t.label}
              </span>
            ))}
          </div>
        </div>
      </div>
      {undated > 0 && <p class="muted small">{formatNumber(undated)} events without a date are not on the timeline.</p>}
    </section>
  );
}
