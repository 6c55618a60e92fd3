// Where a record stands with its human reviewers: published (a human checked it), awaiting review (the queue), or
// neither (rejected). Written against the review states both before and after 'edited' and `disputes` exist.
import type { EventRecord } from '../core/types.js';

/** Review states of a record a human has checked: verified as read, or corrected ('edited'). */
export const PUBLISHED_STATUSES: readonly string[] = ['verified', 'edited'];

/** The number of a record's disputes (a machine value that now differs from a human's); 0 when it carries none. */
export function disputeCount(record: EventRecord): number {
  return (record as { disputes?: unknown[] }).disputes?.length ?? 0;
}

/** Whether a human has checked the record (verified or edited): what `serve --verified-only` publishes. */
export function isPublished(record: Pick<EventRecord, 'review_status'>): boolean {
  return PUBLISHED_STATUSES.includes(record.review_status);
}

/**
 * What a human changed from one revision of a record to the next, read from its review fields: 'edit' when it is now
 * edited and its reviewer, review time or edited fields changed; 'review' when it was verified or rejected; null when
 * no human touched it (the machine rebuilt it from its articles).
 */
export function humanChange(before: EventRecord, after: EventRecord): 'review' | 'edit' | null {
  const edited = (r: EventRecord) => JSON.stringify((r as { edited_fields?: string[] }).edited_fields ?? []);
  const reviewed = before.review_status !== after.review_status || before.reviewed_at !== after.reviewed_at || before.reviewed_by !== after.reviewed_by;
  if ((after.review_status as string) === 'edited' && (reviewed || edited(before) !== edited(after))) return 'edit';
  return reviewed ? 'review' : null;
}

/**
 * Whether the record waits in the review queue: never reviewed, or reviewed and since disputed by new evidence.
 * A rejected event never comes back.
 */
export function inReviewQueue(record: EventRecord): boolean {
  if (record.review_status === 'unreviewed') return true;
  return isPublished(record) && disputeCount(record) > 0;
}
