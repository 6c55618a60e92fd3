// Where a record stands with its human reviewers: published (a human checked it), awaiting review (the queue), or
// neither (rejected).
import type { EventRecord } from '../core/types.js';

/** Review states of a record a human has checked: verified as read, or corrected ('edited'). */
export const PUBLISHED_STATUSES: readonly string[] = ['verified', 'edited'];

/** The number of a record's disputes (a machine value that now differs from a human's); 0 when it carries none. */
export function disputeCount(record: EventRecord): number {
  return record.disputes?.length ?? 0;
}

/** Whether a human has checked the record (verified or edited): what `serve --verified-only` publishes. */
export function isPublished(record: Pick<EventRecord, 'review_status'>): boolean {
  return PUBLISHED_STATUSES.includes(record.review_status);
}

/**
 * Whether the record waits in the review queue: never reviewed, or reviewed and since disputed by new evidence.
 * A rejected event never comes back.
 */
export function inReviewQueue(record: EventRecord): boolean {
  if (record.review_status === 'unreviewed') return true;
  return isPublished(record) && disputeCount(record) > 0;
}
