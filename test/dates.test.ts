// The shared date formatter (src/core/dates.ts): a date reads at the precision it is known to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventDate, longDate, shortDate } from '../src/core/dates.js';

describe('eventDate', () => {
  it('shows a day as it always has: long, short or ISO', () => {
    assert.equal(eventDate('2026-01-30', 'day'), 'January 30, 2026');
    assert.equal(eventDate('2026-01-30', 'day', { day: 'long' }), 'January 30, 2026');
    assert.equal(eventDate('2026-01-30', 'day', { day: 'short' }), 'Jan 30, 2026');
    assert.equal(eventDate('2026-01-30', 'day', { day: 'iso' }), '2026-01-30');
    assert.equal(eventDate('2026-12-05', 'day', { day: 'short' }), 'Dec 5, 2026');
    assert.equal(eventDate('2026-01-30', 'day'), longDate('2026-01-30'));
    assert.equal(eventDate('2026-01-30', 'day', { day: 'short' }), shortDate('2026-01-30'));
  });

  it('shows a week as "week of" its Monday, in every style', () => {
    for (const day of ['long', 'short', 'iso'] as const) {
      assert.equal(eventDate('2026-01-26', 'week', { day }), 'week of 26 January 2026');
    }
    assert.equal(eventDate('2025-12-29', 'week'), 'week of 29 December 2025');
  });

  it('shows a month as the month and year, never its 1st', () => {
    for (const day of ['long', 'short', 'iso'] as const) {
      assert.equal(eventDate('2026-01-01', 'month', { day }), 'January 2026');
    }
    assert.equal(eventDate('2026-09-01', 'month'), 'September 2026');
    assert.doesNotMatch(eventDate('2026-01-01', 'month', { day: 'short' }), /Jan 1|1,/);
  });

  it('says the date is unknown when there is none, whatever the precision', () => {
    assert.equal(eventDate(null, 'day'), 'Unknown date');
    assert.equal(eventDate(null, 'month'), 'Unknown date');
    assert.equal(eventDate(undefined, 'week'), 'Unknown date');
    assert.equal(eventDate(null, 'day', { unknown: '?' }), '?');
    assert.equal(eventDate('', 'month', { unknown: '—' }), '—');
    assert.equal(longDate(null), 'Unknown date');
    assert.equal(shortDate(null), '—');
  });

  it('passes through a value that is not a YYYY-MM-DD date rather than inventing one', () => {
    assert.equal(eventDate('2026-01', 'month'), '2026-01');
    assert.equal(eventDate('2026-13-01', 'month'), '2026-13-01');
    assert.equal(longDate('soon'), 'soon');
  });

  it('reads a missing precision as a day', () => {
    assert.equal(eventDate('2026-01-30', null), 'January 30, 2026');
  });
});
