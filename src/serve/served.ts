// Events as served: the stored record, and where a plan stands on the day it is served (planned_status). The
// stored record never changes when a plan's day passes; this is worked out on each answer, from the server's
// calendar day.
import { plannedStatus } from '../core/planned.js';
import type { EventRecord, ServedEvent } from '../core/types.js';

export function servedEvent(e: EventRecord, today: string): ServedEvent {
  return { ...e, planned_status: plannedStatus(e, today) };
}

/**
 * servedEvent on a stored record's JSON text, as two parts to write one after the other: the record without its
 * closing brace, and planned_status with the brace. The record is parsed only for a plan (an occurred event's
 * planned_status is null, most of them): values inside the record are JSON strings, whose quotes are escaped, so the
 * only `"status":"planned"` in the text is the record's own status. Stored records are JSON.stringify's, so this is
 * JSON.stringify(servedEvent(record)) to the byte.
 */
function servedParts(json: string, today: string): [string, string] {
  const record = json.slice(0, json.lastIndexOf('}'));
  if (!json.includes('"status":"planned"')) return [record, NOT_PLANNED];
  return [record, `,"planned_status":${JSON.stringify(plannedStatus(JSON.parse(json) as EventRecord, today))}}`];
}

/** What servedParts adds to the end of an occurred event's record. */
const NOT_PLANNED = ',"planned_status":null}';

/** servedEvent on a stored record's JSON text (see servedParts). */
export function servedJson(json: string, today: string): string {
  const [record, end] = servedParts(json, today);
  return record + end;
}

/**
 * `head`, the stored records as served (servedJson) separated by commas, and `tail`, as UTF-8 bytes written once
 * into one buffer. Joining a page of 500 records (a megabyte) into one string and encoding that cost three times
 * as much: the joined string is copied whole before it is encoded.
 */
export function servedJsonList(head: string, records: string[], day: string, tail: string): Buffer {
  const parts = records.map((json) => servedParts(json, day));
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail) + Math.max(0, records.length - 1);
  for (const [record, end] of parts) size += Buffer.byteLength(record) + Buffer.byteLength(end);
  const out = Buffer.allocUnsafe(size);
  let at = out.write(head, 0);
  parts.forEach(([record, end], i) => {
    if (i) at += out.write(',', at);
    at += out.write(record, at);
    at += out.write(end, at);
  });
  at += out.write(tail, at);
  if (at !== size) throw new Error(`servedJsonList wrote ${at} bytes of ${size}`);
  return out;
}
