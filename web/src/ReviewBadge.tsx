// The badge an editor's review earned, as the event list, the event page and the review queue show it.
import type { EventRecord } from './api.ts';
import { reviewBadge } from './format.ts';

/** The badge an editor's review earned ("Verified", "Edited"), or null. */
export function ReviewBadge({ e }: { e: EventRecord }) {
  const word = reviewBadge(e.review_status);
  if (!word) return null;
  return (
    <span class={`review-badge review-${e.review_status}`} data-review={e.review_status}>
      {word}
    </span>
  );
}
