// Is a feed item about a protest? A cheap filter before fetching: an item is relevant when its title,
// summary or content uses a protest word as a protest word. The words and their false friends ("March"
// the month, "strike" in war and sport, market "rally", a product "demonstration", a club's "protest" to
// its federation...) are the shared classifier's (src/core/relevance.ts), which also judges whole pages.
// An item whose only protest words are such false friends is not relevant, and the reason says so.
// An item with a title only is not judged here: the watcher fetches its page and judges that
// (titleOnly()).
import { protestWords } from '../core/relevance.js';

export interface FeedItemText {
  title: string | null;
  summary: string | null;
  content?: string | null;
}

export function protestRelevance(item: FeedItemText): { relevant: boolean; reason: string } {
  const content = item.content ? stripTags(item.content) : null;
  const texts = [item.title, item.summary, content].filter((t): t is string => !!t);
  const { words, ignored } = protestWords(texts);
  if (words.length) return { relevant: true, reason: `mentions: ${words.join(', ')}` };
  const where = item.content ? 'title, summary or content' : 'title or summary';
  const extra = ignored.length ? ` (ignored: ${ignored.join(', ')})` : '';
  return { relevant: false, reason: `no protest words in ${where}${extra}` };
}

/**
 * An item that carries nothing to judge but its title: no summary or content, or one that only repeats the
 * title. Headlines are too short and too punning to tell a protest report by; its page is judged instead.
 */
export function titleOnly(item: FeedItemText): boolean {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();
  const title = norm(item.title);
  const rest = [norm(item.summary), norm(item.content ? stripTags(item.content) : null)].filter((t) => t && t !== title && !title.includes(t));
  return rest.length === 0;
}

function stripTags(html: string): string {
  return html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ');
}
