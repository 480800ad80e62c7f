import { WeftError } from '../shared/errors.js';

/** Why `startServer` could not start: the CLI reports these as configuration errors (exit code 2). */
export type ServerStartErrorCode = 'PORT_IN_USE' | 'LISTEN_FAILED' | 'INSECURE_BIND' | 'STORE_OPEN_FAILED';

/** The server could not start: port taken, unsafe bind, store cannot be opened. */
export class ServerStartError extends WeftError {
  constructor(message: string, code: ServerStartErrorCode, options?: { cause?: unknown }) {
    super(message, code, options);
  }
}
