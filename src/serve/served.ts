// Events as served: the stored record, and where a plan stands on the day it is served (planned_status). The
// stored record never changes when a plan's day passes; this is worked out on each answer, from the server's
// calendar day.
import { plannedStatus } from '../core/planned.js';
import type { EventRecord, ServedEvent } from '../core/types.js';

export function servedEvent(e: EventRecord, today: string): ServedEvent {
  return { ...e, planned_status: plannedStatus(e, today) };
}

/**
 * servedEvent on a stored record's JSON text, without a parse for an occurred event (most of them): its planned_status
 * is null. Values inside the record are JSON strings, whose quotes are escaped, so the only `"status":"planned"` in
 * the text is the record's own status.
 */
export function servedJson(json: string, today: string): string {
  if (!json.includes('"status":"planned"')) return json.slice(0, json.lastIndexOf('}')) + ',"planned_status":null}';
  return JSON.stringify(servedEvent(JSON.parse(json) as EventRecord, today));
}
