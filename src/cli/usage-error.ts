import { WeftError } from '../shared/errors.js';

/** The command line is wrong (unknown command or flag, missing value). The CLI exits with code 2. */
export class UsageError extends WeftError {
  constructor(message: string) {
    super(message, 'USAGE');
  }
}
