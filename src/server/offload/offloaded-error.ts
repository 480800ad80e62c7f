import { WeftError } from '../../shared/errors.js';
import type { OffloadedAnswer } from './offload-protocol.js';

/**
 * A request run in the store worker failed: its answer (status and JSON body) was made there, by the
 * same `errorToResponse`, and is sent as it is.
 */
export class OffloadedError extends WeftError {
  readonly status: number;
  readonly body: OffloadedAnswer['body'];
  readonly log: string | undefined;

  constructor(answer: OffloadedAnswer) {
    super(typeof answer.body.error === 'string' ? answer.body.error : 'failed', 'OFFLOADED');
    this.status = answer.status;
    this.body = answer.body;
    this.log = answer.log;
  }
}
