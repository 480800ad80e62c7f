import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AckFile } from './ack-file.js';
import { readAck } from './spool-inventory.js';
import { tempRoot } from './spool-test-kit.js';

test('the ack file is rewritten in place: a shorter position replaces a longer one whole', () => {
  const folder = tempRoot('weft-ack-');
  const ack = new AckFile();
  ack.write(folder, 'seg-000001.log', 1_234_567_890_123);
  const size = statSync(join(folder, 'ack')).size;
  ack.write(folder, 'seg-000002.log', 7);
  assert.deepEqual(readAck(folder), { segment: 'seg-000002.log', offset: 7 });
  assert.equal(statSync(join(folder, 'ack')).size, size, 'one fixed-width line, no truncation');
  assert.match(readFileSync(join(folder, 'ack'), 'latin1'), /^seg-000002\.log 7 +\n$/);
  ack.close();
});

test('the ack file follows the folder being read, and remove() deletes it', () => {
  const a = tempRoot('weft-ack-');
  const b = tempRoot('weft-ack-');
  const ack = new AckFile();
  ack.write(a, 'seg-000003.log', 10);
  ack.write(b, 'seg-000001.log', 20);
  assert.deepEqual(
    readAck(a),
    { segment: 'seg-000003.log', offset: 10 },
    'the first folder keeps its position',
  );
  assert.deepEqual(readAck(b), { segment: 'seg-000001.log', offset: 20 });
  ack.remove(b);
  assert.equal(existsSync(join(b, 'ack')), false);
  ack.write(b, 'seg-000002.log', 0); // reopened after a removal
  assert.deepEqual(readAck(b), { segment: 'seg-000002.log', offset: 0 });
  ack.close();
});
