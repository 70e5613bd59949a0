// Encoding builtins: base64/base64url/hex/urlquery/json.* with Go's encoders' rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadBuiltinRuntime } from './runtime_harness.ts';

const rt = await loadBuiltinRuntime();
const j = (name: string, ...args: unknown[]) => rt.js(name, ...args);

test('base64 and base64url', () => {
  assert.equal(j('base64.encode', 'hello wörld'), 'aGVsbG8gd8O2cmxk');
  assert.equal(j('base64.decode', 'aGVsbG8gd8O2cmxk'), 'hello wörld');
  assert.equal(j('base64.decode', 'aGk='), 'hi');
  assert.equal(j('base64.decode', 'aGk'), undefined); // padding required
  assert.equal(j('base64.decode', 'a$k='), undefined);
  assert.equal(j('base64.is_valid', 'aGk='), true);
  assert.equal(j('base64.is_valid', 'aGk'), false);
  assert.equal(j('base64url.encode', 'ÿþ?>'), 'w7_Dvj8-');
  assert.equal(j('base64url.encode_no_pad', 'hi'), 'aGk');
  assert.equal(j('base64url.decode', 'aGk'), 'hi'); // padding restored
  assert.equal(j('base64url.decode', 'w7_Dvj8-'), 'ÿþ?>');
  assert.equal(j('base64url.decode', 'a'), undefined);
});

test('hex', () => {
  assert.equal(j('hex.encode', 'hi!'), '686921');
  assert.equal(j('hex.decode', '68692A'), 'hi*');
  assert.equal(j('hex.decode', '6'), undefined);
  assert.equal(j('hex.decode', '6g'), undefined);
});

test('urlquery', () => {
  assert.equal(j('urlquery.encode', 'a b&c=d/é~'), 'a+b%26c%3Dd%2F%C3%A9~');
  assert.equal(j('urlquery.decode', 'a+b%26c%3Dd'), 'a b&c=d');
  assert.equal(j('urlquery.decode', '%zz'), undefined);
  assert.equal(rt.json('urlquery.encode_object', '{"b": ["x y", "z"], "a": "1", "c": {"q"}}'), 'a=1&b=x+y&b=z&c=q');
  assert.equal(j('urlquery.encode_object', { a: 1 }), undefined);
  assert.deepEqual(j('urlquery.decode_object', 'a=1&b=2&a=3&c'), { a: ['1', '3'], b: ['2'], c: [''] });
  assert.equal(j('urlquery.decode_object', 'a=1;b=2'), undefined);
});

test('json.marshal writes Go json.Marshal text', () => {
  assert.equal(rt.json('json.marshal', '{"b": [1, 2.5, "x<y&"], "a": {1, 2}, "c": null}'), '{"a":[1,2],"b":[1,2.5,"x\\u003cy\\u0026"],"c":null}');
  assert.equal(j('json.marshal', 'plain'), '"plain"');
});

test('json.marshal_with_options: pretty, indent, prefix', () => {
  assert.equal(j('json.marshal_with_options', { b: [1, {}], a: [] }, { pretty: true }), '{\n\t"a": [],\n\t"b": [\n\t\t1,\n\t\t{}\n\t]\n}');
  assert.equal(j('json.marshal_with_options', { b: [1] }, { indent: '  ', prefix: '> ' }), '> {\n>   "b": [\n>     1\n>   ]\n> }');
  assert.equal(j('json.marshal_with_options', { b: [1] }, { pretty: false, indent: '  ' }), '{"b":[1]}');
  assert.equal(j('json.marshal_with_options', { b: [1] }, { colour: true }), undefined);
});

test('json.unmarshal / json.is_valid', () => {
  assert.deepEqual(j('json.unmarshal', '{"a": [1, true, "x"]}'), { a: [1, true, 'x'] });
  assert.equal(j('json.unmarshal', '{'), undefined);
  assert.equal(j('json.is_valid', '[1,2]'), true);
  assert.equal(j('json.is_valid', '[1,'), false);
  assert.equal(j('json.is_valid', 5), false);
});
