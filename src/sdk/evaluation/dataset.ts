import { InvalidOptionError, ValidationError } from '../../shared/errors.js';
import { canonicalJson, sha256Digest } from '../../shared/digest.js';

/** One example of a dataset: named fields (a scorer receives them plus `output`). */
export type DatasetRow = Record<string, unknown>;

export interface DatasetOptions<R extends object = DatasetRow> {
  /** Names the dataset in the evaluations that use it. */
  name: string;
  rows: readonly R[];
}

/** How a dataset is recorded in an evaluation's inputs (`inputs.evaluation.dataset`). */
export interface DatasetRef {
  name: string;
  /** Number of rows (null when only a name was given, to EvaluationLogger). */
  row_count: number | null;
  /** sha256 (base64url) of the canonical JSON of the rows: the same rows give the same digest. */
  digest: string | null;
}

/**
 * A named, fixed list of examples. The rows are snapshotted (the array is copied; the row objects
 * are not) and digested when the dataset is created, so an evaluation records which data it ran on:
 * by name, row count and content digest.
 *
 * The digest is sha256 over the canonical JSON of the rows (object keys sorted, no whitespace,
 * otherwise JSON.stringify's rules; the same canonical form and encoding as the trace server's
 * object digests), so it does not depend on key order or on which process computed it.
 */
export class Dataset<R extends object = DatasetRow> {
  readonly name: string;
  readonly rows: readonly R[];
  readonly digest: string;

  constructor(options: DatasetOptions<R>) {
    if (options === null || typeof options !== 'object')
      throw new InvalidOptionError('options', options, 'an object');
    const { name, rows } = options;
    if (typeof name !== 'string' || name === '')
      throw new InvalidOptionError('name', name, 'a non-empty string');
    if (!Array.isArray(rows)) throw new InvalidOptionError('rows', rows, 'an array of objects');
    rows.forEach((row: unknown, i) => {
      if (row === null || typeof row !== 'object' || Array.isArray(row)) {
        throw new InvalidOptionError(`rows[${i}]`, row, 'an object (a row of named fields)');
      }
    });
    this.name = name;
    this.rows = Object.freeze([...rows]);
    this.digest = digestRows(this.rows);
  }

  /** Number of rows. */
  get length(): number {
    return this.rows.length;
  }

  /** What an evaluation records about this dataset. */
  toRef(): DatasetRef {
    return { name: this.name, row_count: this.rows.length, digest: this.digest };
  }
}

/** sha256 (base64url, unpadded) of the canonical JSON of `rows`. */
export function digestRows(rows: readonly unknown[]): string {
  let text: string;
  try {
    text = canonicalJson(rows, 'rows');
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new InvalidOptionError('rows', rows, `rows of JSON data; ${err.message}`);
    }
    throw err;
  }
  return sha256Digest(text);
}
