// A revision's field changes as stored (compactChange: an array's change as one splice) and as a history shows them
// again (expandChanges), and when two record values are the same (sameValue). Values written for these tests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compactChange, expandChanges, sameValue, type StoredChange } from '../src/merge/edits.js';

describe('field changes', () => {
  it('stores an array change as the one splice between the common start and end, and replays it', () => {
    const old = ['a1', 'a2', 'a3'];
    const now = ['a1', 'a2', 'b1', 'a3'];
    const stored = compactChange({ field: 'sources', old, new: now });
    assert.deepEqual(stored, { field: 'sources', at: 2, removed: [], added: ['b1'] });
    const first: StoredChange = { field: 'sources', old: null, new: old };
    assert.deepEqual(expandChanges([[first], [stored]])[1], [{ field: 'sources', old, new: now }]);
  });

  it('tells a string from an object whose JSON it spells, and compares objects by value', () => {
    const stored = compactChange({ field: 'x', old: ['keep', '{"n":1}', 'end'], new: ['keep', { n: 1 }, 'end'] });
    assert.deepEqual(stored, { field: 'x', at: 1, removed: ['{"n":1}'], added: [{ n: 1 }] });
    assert.deepEqual(compactChange({ field: 'x', old: [{ n: 1 }, { n: 2 }], new: [{ n: 1 }, { n: 3 }] }), { field: 'x', at: 1, removed: [{ n: 2 }], added: [{ n: 3 }] });
    // a string that is the JSON of another string is another value too
    assert.deepEqual(compactChange({ field: 'x', old: ['"q"'], new: ['q'] }), { field: 'x', at: 0, removed: ['"q"'], added: ['q'] });
  });

  it('takes null and a missing value as the same, and arrays and objects by their contents', () => {
    assert.equal(sameValue(null, undefined), true);
    assert.equal(sameValue(['a', 'b'], ['a', 'b']), true);
    assert.equal(sameValue(['a', 'b'], ['a', 'b', 'c']), false);
    assert.equal(sameValue(['a'], ['"a"']), false);
    assert.equal(sameValue({ a: [1, 2] }, { a: [1, 2] }), true);
    assert.equal(sameValue(0, null), false);
    assert.equal(sameValue('1', 1), false);
  });
});
