import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from './errors.js';
import { checkProjectId, isProjectId } from './project-id.js';

test('isProjectId: entity/project with URL-safe segments of 1-128 characters', () => {
  for (const ok of ['acme/app', 'a.b/c-d_e', 'acme/.hidden', 'acme/...', `a/${'x'.repeat(128)}`]) {
    assert.equal(isProjectId(ok), true, ok);
  }
  for (const bad of ['acme', 'a/b/c', '/b', 'a/', 'acme/a:b', 'a b/c', 'a/b#c', 'a/b%20', 'a\\b/c']) {
    assert.equal(isProjectId(bad), false, bad);
  }
});

test('isProjectId rejects . and .. segments (they leave the spool folder and vanish from URL paths)', () => {
  for (const bad of ['../..', 'acme/..', '../app', './app', 'acme/.'])
    assert.equal(isProjectId(bad), false, bad);
});

test('checkProjectId names the path of a malformed id', () => {
  assert.equal(checkProjectId('acme/app', 'path'), 'acme/app');
  assert.throws(
    () => checkProjectId('acme/..', 'body.project_id'),
    (e: unknown) => e instanceof ValidationError && e.path === 'body.project_id',
  );
});
