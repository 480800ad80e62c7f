import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePath, parseRoute, routePath, tracePath } from './ui-routes.js';
import type { UiRoute } from './ui-routes.js';

test('parses every page and builds the same path back', () => {
  const cases: [string, UiRoute][] = [
    ['/', { page: 'projects' }],
    ['/projects/acme/chatbot/calls', { page: 'calls', projectId: 'acme/chatbot' }],
    ['/projects/acme/chatbot/traces/t%201', { page: 'trace', projectId: 'acme/chatbot', traceId: 't 1' }],
    ['/projects/acme/chatbot/evaluations', { page: 'evaluations', projectId: 'acme/chatbot' }],
    [
      '/projects/acme/chatbot/evaluations/c-1',
      { page: 'evaluation', projectId: 'acme/chatbot', callId: 'c-1' },
    ],
    ['/projects/acme/chatbot/compare', { page: 'compare', projectId: 'acme/chatbot' }],
  ];
  for (const [path, route] of cases) {
    assert.deepEqual(parseRoute(path), route, path);
    assert.equal(routePath(route), path);
  }
});

test('short forms, trailing slashes and unknown paths', () => {
  assert.deepEqual(parseRoute('/projects'), { page: 'projects' });
  assert.deepEqual(parseRoute('/projects/acme/chatbot/'), { page: 'calls', projectId: 'acme/chatbot' });
  for (const path of [
    '/projects/acme',
    '/projects/a/b/nope',
    '/other',
    '/projects/a/b/traces',
    '/projects/%E0%A4%A',
  ]) {
    assert.equal(parseRoute(path).page, 'not-found', path);
  }
});

test('trace and compare links carry their query', () => {
  assert.equal(tracePath('a/b', 't', 'c/1'), '/projects/a/b/traces/t?call=c%2F1');
  assert.equal(comparePath('a/b', ['x', 'y']), '/projects/a/b/compare?id=x&id=y');
});
