// Unit tests of locating JSON syntax errors as line:column.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonErrorLocation } from '../../../src/policy/authoring/json-location.ts';

test('valid JSON has no error location', () => {
  for (const ok of ['{}', ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ', '[]', '"s"', '0']) {
    assert.equal(jsonErrorLocation(ok), undefined, ok);
  }
});

test('the first error is located by line and column', () => {
  assert.deepEqual(jsonErrorLocation('{\n  "value": 1,\n  "other": [1, 2,,]\n}\n'), { line: 3, col: 18 });
  assert.deepEqual(jsonErrorLocation('{"a": 1,}'), { line: 1, col: 9 });
  assert.deepEqual(jsonErrorLocation('{"a": tru}'), { line: 1, col: 7 });
  assert.deepEqual(jsonErrorLocation('{"a": 1} x'), { line: 1, col: 10 });
  assert.deepEqual(jsonErrorLocation('{"a": "open'), { line: 1, col: 12 });
  assert.deepEqual(jsonErrorLocation(''), { line: 1, col: 1 });
});
