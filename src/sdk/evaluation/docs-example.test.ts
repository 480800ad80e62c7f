/**
 * Runs the example of docs/evaluations.md as written (transpiled from TypeScript, `'weft'` pointed at
 * this build) in a child process against a real `weft serve`, so the documentation cannot drift.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { WeftServer } from '../../../test/helpers/weft-server.js';

const DOC = fileURLToPath(new URL('../../../../docs/evaluations.md', import.meta.url));
const WEFT = new URL('../../index.js', import.meta.url).href;
const WEFT_TYPES = fileURLToPath(new URL('../../index.d.ts', import.meta.url));
const TYPE_ROOTS = fileURLToPath(new URL('../../../../node_modules/@types', import.meta.url));

let server: WeftServer;
before(async () => (server = await new WeftServer().start()));
after(() => server.dispose());

/** The first ```ts block after the `## Example` heading. */
function exampleSource(): string {
  const doc = readFileSync(DOC, 'utf8');
  const section = doc.slice(doc.indexOf('\n## Example'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  assert.ok(m, 'no ts block under ## Example');
  return m[1]!;
}

test('the docs/evaluations.md example type-checks (strict) against the built declarations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-doc-'));
  try {
    const file = join(dir, 'example.ts');
    writeFileSync(file, exampleSource());
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      typeRoots: [TYPE_ROOTS],
      skipLibCheck: true,
      paths: { weft: [WEFT_TYPES] },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    assert.deepEqual(problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the docs/evaluations.md example runs as written and prints what it says', async () => {
  const source = exampleSource();
  const diagnostics: string[] = [];
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    reportDiagnostics: true,
  });
  for (const d of js.diagnostics ?? [])
    diagnostics.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(diagnostics, []);
  assert.match(js.outputText, /from 'weft'/);
  const dir = mkdtempSync(join(tmpdir(), 'weft-doc-'));
  try {
    const file = join(dir, 'example.mjs');
    writeFileSync(file, js.outputText.replace(/from 'weft'/g, `from '${WEFT}'`));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WEFT_')));
    const child = spawn(process.execPath, [file], {
      env: { ...env, WEFT_SERVER_URL: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');

    // The summaries the comments in the example show.
    const flat = stdout.replace(/\s+/g, ' ');
    assert.match(flat, /exactMatch: \{ true_fraction: 0\.666\d*, true_count: 2 \}/);
    assert.match(
      flat,
      /overlap: \{ hits: \{ mean: 0\.666\d* \}, any: \{ true_fraction: 0\.666\d*, true_count: 2 \} \}/,
    );
    assert.match(
      flat,
      /example_count: 3, error_count: 0, model_latency_ms: \{ mean: [\d.e-]+, p50: [\d.e-]+, p95: [\d.e-]+ \}/,
    );
    assert.match(
      flat,
      /scores: \{ correct: \{ true_fraction: 0\.666\d*, true_count: 2 \} \}, example_count: 3, error_count: 0, model_latency_ms: null, note: 'done'/,
    );
    // The listing: newest first, both finished.
    const listing = stdout.split('\n').filter((l) => /^(manual-eval|qa-eval) /.test(l));
    assert.deepEqual(
      listing.map((l) => l.split(' ').slice(0, 2).join(' ')),
      ['manual-eval success', 'qa-eval success'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
