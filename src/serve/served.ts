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

/** What servedJson adds to the end of an occurred event's record. */
const NOT_PLANNED = ',"planned_status":null}';

/**
 * `head`, the stored records as served (servedJson) separated by commas, and `tail`, as UTF-8 bytes written once
 * into one buffer. Joining a page of 500 records (a megabyte) into one string and encoding that cost three times
 * as much: the joined string is copied whole before it is encoded.
 */
export function servedJsonList(head: string, records: string[], day: string, tail: string): Buffer {
  const parts: string[] = [];
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, records.length - 1);
  for (const json of records) {
    if (json.includes('"status":"planned"')) {
      parts.push(servedJson(json, day), '');
    } else {
      parts.push(json.slice(0, json.lastIndexOf('}')), NOT_PLANNED);
    }
    size += Buffer.byteLength(parts[parts.length - 2]!) + parts[parts.length - 1]!.length;
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0);
  for (let i = 0; i < parts.length; i += 2) {
    if (i) at += out.write(',', at);
    at += out.write(parts[i]!, at);
    at += out.write(parts[i + 1]!, at);
  }
  at += out.write(tail, at);
  if (at !== size) throw new Error(`servedJsonList wrote ${at} bytes of ${size}`);
  return out;
}
