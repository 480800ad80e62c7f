import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createTestApp } from '../test-app.test-helper.js';

const t = createTestApp();
after(() => t.close());
const P = 'acme/files';

async function upload(content: Uint8Array<ArrayBuffer>, project = P): Promise<Response> {
  const form = new FormData();
  form.set('project_id', project);
  form.set('file', new Blob([content]), 'obj.py');
  return t.app.request('/file/create', { method: 'POST', body: form });
}

test('uploads a file (multipart) and reads the same bytes back by digest', async () => {
  const bytes = new Uint8Array(Array.from({ length: 3000 }, (_, i) => i % 256));
  const res = await upload(bytes);
  assert.equal(res.status, 200);
  const { digest } = (await res.json()) as { digest: string };
  assert.equal(
    ((await (await upload(bytes)).json()) as { digest: string }).digest,
    digest,
    'content-addressed',
  );

  const content = await t.post('/file/content', { project_id: P, digest });
  assert.equal(content.status, 200);
  assert.equal(content.headers.get('content-type'), 'application/octet-stream');
  assert.deepEqual(new Uint8Array(await content.arrayBuffer()), bytes);
  assert.equal((await t.post('/file/content', { project_id: P, digest: 'missing' })).status, 404);
});

test('refuses non-multipart bodies and missing fields', async () => {
  const json = await t.post('/file/create', { project_id: P });
  assert.equal(json.status, 400);
  const form = new FormData();
  form.set('project_id', P);
  const noFile = await t.app.request('/file/create', { method: 'POST', body: form });
  assert.equal(((await noFile.json()) as { field: string }).field, 'file');
  const badProject = await upload(new Uint8Array([1]), 'nope');
  assert.equal(((await badProject.json()) as { field: string }).field, 'project_id');
});
