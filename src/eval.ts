// Scores extraction against hand-coded gold events: event-level precision, recall and F1 on
// (date within its precision, locality, region), then agreement on status, size and arrests.
import type { DatePrecision, EventRecord } from './core/types.js';
import { within } from './extract/dates.js';

export interface GoldEvent {
  date: string | null;
  date_precision: DatePrecision;
  locality: string | null;
  region: string | null;
  status: string;
  size_text?: string | null;
  arrests?: string | number | null;
}

export interface GoldArticle {
  file: string;
  published?: string;
  events: GoldEvent[];
}

export interface FileScore {
  file: string;
  precision: number;
  recall: number;
  f1: number;
  matched: Array<{ gold: GoldEvent; event: EventRecord }>;
  misses: GoldEvent[];
  falsePositives: EventRecord[];
  statusCorrect: number;
  sizeAgree: { agree: number; total: number };
  arrestsAgree: { agree: number; total: number };
}

function norm(s: string | null | undefined): string {
  return (s ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\bst\.?\s/g, 'saint ').replace(/[^a-z0-9]+/g, ' ').trim();
}

export function sameEvent(g: GoldEvent, e: Pick<EventRecord, 'date' | 'date_precision' | 'locality' | 'region'> & { country?: string | null }): boolean {
  // abroad an event's region is the country's name and its country the ISO code: gold may use either
  const region = norm(g.region);
  if ((region !== norm(e.region) && region !== norm(e.country)) || norm(g.locality) !== norm(e.locality)) return false;
  if (!g.date || !e.date) return g.date === e.date;
  // a week or a month is a different event from one of its days
  if (g.date_precision !== e.date_precision) return false;
  return within(e.date, g.date, g.date_precision);
}

export function scoreFile(file: string, gold: GoldEvent[], events: EventRecord[]): FileScore {
  const used = new Set<number>();
  const matched: FileScore['matched'] = [];
  const misses: GoldEvent[] = [];
  for (const g of gold) {
    const i = events.findIndex((e, k) => !used.has(k) && sameEvent(g, e));
    if (i < 0) misses.push(g);
    else {
      used.add(i);
      matched.push({ gold: g, event: events[i]! });
    }
  }
  const falsePositives = events.filter((_, k) => !used.has(k));
  const precision = events.length ? matched.length / events.length : gold.length ? 0 : 1;
  const recall = gold.length ? matched.length / gold.length : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  const statusCorrect = matched.filter((m) => m.gold.status === m.event.status).length;
  const sizeAgree = { agree: 0, total: 0 };
  const arrestsAgree = { agree: 0, total: 0 };
  for (const m of matched) {
    sizeAgree.total++;
    if (norm(m.gold.size_text ?? null) === norm(m.event.size_text)) sizeAgree.agree++;
    arrestsAgree.total++;
    const ga = m.gold.arrests === undefined || m.gold.arrests === null ? '' : String(m.gold.arrests);
    if (norm(ga) === norm(m.event.arrests !== null ? String(m.event.arrests) : m.event.arrests_text)) arrestsAgree.agree++;
  }
  return { file, precision, recall, f1, matched, misses, falsePositives, statusCorrect, sizeAgree, arrestsAgree };
}

export function describe(e: { date: string | null; date_precision: string; locality: string | null; region: string | null; status: string }): string {
  return `${e.date ?? '????-??-??'} (${e.date_precision}) ${e.locality ?? '(nationwide)'}, ${e.region ?? '?'} [${e.status}]`;
}

export function formatScore(s: FileScore): string {
  const pct = (x: number) => (x * 100).toFixed(1);
  const lines = [
    `${s.file}: precision ${pct(s.precision)}%  recall ${pct(s.recall)}%  F1 ${pct(s.f1)}%  ` +
      `(matched ${s.matched.length}, missed ${s.misses.length}, false positives ${s.falsePositives.length}); ` +
      `status ${s.statusCorrect}/${s.matched.length}, size ${s.sizeAgree.agree}/${s.sizeAgree.total}, arrests ${s.arrestsAgree.agree}/${s.arrestsAgree.total}`,
  ];
  for (const g of s.misses) lines.push(`  miss: ${describe(g)}`);
  for (const e of s.falsePositives) lines.push(`  false positive: ${describe(e)}`);
  for (const m of s.matched) {
    if (m.gold.status !== m.event.status) lines.push(`  wrong status: ${describe(m.gold)} read as ${m.event.status}`);
  }
  return lines.join('\n');
}
