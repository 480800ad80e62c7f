import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutCredentials } from './without-credentials.js';

test('withoutCredentials drops user info, query and fragment and keeps the rest as spelled', () => {
  const cases: [string, string][] = [
    ['http://127.0.0.1:6345', 'http://127.0.0.1:6345'],
    ['https://weft.example.com/base/', 'https://weft.example.com/base/'],
    ['http://api:KEY@127.0.0.1:6345', 'http://127.0.0.1:6345'],
    ['http://api:KEY@127.0.0.1:6345/', 'http://127.0.0.1:6345/'],
    ['http://KEY@host', 'http://host'],
    ['https://host/weft?api_key=KEY#token=T', 'https://host/weft'],
    ['not a url', '?'],
  ];
  for (const [input, expected] of cases) assert.equal(withoutCredentials(input), expected, input);
});
