// Events per day as SVG bars. Dragging across the bars (or clicking one) sets the date range; the From and
// To inputs of the filter form are the keyboard way to do the same.
import { useRef, useState } from 'preact/hooks';
import type { StatsRow } from './api.ts';
import { dayIndex, formatNumber, isoFromDayIndex, shortDate } from './format.ts';

const W = 800;
const H = 120;
const PAD_TOP = 8;

export function Timeline({ rows, from, to, onRange }: { rows: StatsRow[] | null; from: string; to: string; onRange: (from: string, to: string) => void }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<{ a: number; b: number } | null>(null);

  const dated = (rows ?? []).filter((r): r is StatsRow & { key: string } => !!r.key && /^\d{4}-\d{2}-\d{2}$/.test(r.key));
  const undated = (rows ?? []).filter((r) => !r.key).reduce((n, r) => n + r.events, 0);

  if (rows == null) return <section class="timeline" aria-label="Timeline"><p class="muted">Loading the timeline…</p></section>;
  if (dated.length === 0) return <section class="timeline" aria-label="Timeline"><p class="muted">No dated events to show on the timeline.</p></section>;

  const idx = dated.map((r) => dayIndex(r.key));
  const first = Math.min(...idx);
  const last = Math.max(...idx);
  const span = last - first + 1;
  const max = Math.max(...dated.map((r) => r.events));
  const bw = W / span;
  const dayAt = (clientX: number): number => {
    const rect = svgRef.current!.getBoundingClientRect();
    const x = Math.min(Math.max(clientX - rect.left, 0), rect.width - 0.01);
    return first + Math.floor((x / rect.width) * span);
  };

  const sel = drag
    ? { a: Math.min(drag.a, drag.b), b: Math.max(drag.a, drag.b) }
    : from || to
      ? { a: from ? Math.max(dayIndex(from), first) : first, b: to ? Math.min(dayIndex(to), last) : last }
      : null;
  const total = dated.reduce((n, r) => n + r.events, 0);

  return (
    <section class="timeline" aria-labelledby="timeline-heading">
      <div class="timeline-head">
        <h2 id="timeline-heading">Events per day</h2>
        <p class="muted" aria-live="polite">
          {from || to ? (
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
      <svg
        ref={svgRef}
        class="timeline-svg"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Bar chart: ${formatNumber(total)} events over ${span} days, ${shortDate(isoFromDayIndex(first))} to ${shortDate(isoFromDayIndex(last))}; busiest day ${formatNumber(max)} events.`}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          (e.currentTarget as Element).setPointerCapture(e.pointerId);
          const d = dayAt(e.clientX);
          setDrag({ a: d, b: d });
        }}
        onPointerMove={(e) => {
          if (drag) setDrag({ a: drag.a, b: dayAt(e.clientX) });
        }}
        onPointerUp={(e) => {
          if (!drag) return;
          const b = dayAt(e.clientX);
          const lo = Math.min(drag.a, b);
          const hi = Math.max(drag.a, b);
          setDrag(null);
          onRange(isoFromDayIndex(lo), isoFromDayIndex(hi));
        }}
        onPointerCancel={() => setDrag(null)}
      >
        {sel && <rect class="timeline-sel" x={(sel.a - first) * bw} y={0} width={(sel.b - sel.a + 1) * bw} height={H} />}
        {dated.map((r) => {
          const i = dayIndex(r.key) - first;
          const h = Math.max(2, ((H - PAD_TOP) * r.events) / max);
          const inSel = !sel || (i + first >= sel.a && i + first <= sel.b);
          return (
            <rect key={r.key} class={inSel ? 'bar' : 'bar bar-out'} x={i * bw + bw * 0.1} y={H - h} width={Math.max(bw * 0.8, 1)} height={h}>
              <title>{`${shortDate(r.key)}: ${formatNumber(r.events)} ${r.events === 1 ? 'event' : 'events'}`}</title>
            </rect>
          );
        })}
      </svg>
      <div class="timeline-axis" aria-hidden="true">
        <span>{shortDate(isoFromDayIndex(first))}</span>
        <span>{shortDate(isoFromDayIndex(last))}</span>
      </div>
      {undated > 0 && <p class="muted small">{formatNumber(undated)} events without a date are not on the timeline.</p>}
    </section>
  );
}
