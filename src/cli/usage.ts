import { DEFAULTS } from '../server/defaults.js';

export const MAIN_USAGE = `Usage: weft <command> [options]

Commands:
  weft serve [--host HOST] [--port PORT] [--db FILE] [--insecure]
             [--store sqlite|clickhouse] [--clickhouse-url URL] [--clickhouse-database NAME]
      run the trace server (default http://${DEFAULTS.host}:${DEFAULTS.port}, db ${DEFAULTS.db})
  weft keys create --project ENTITY/PROJECT [--db FILE]
      create an API key scoped to one project and print it
  weft spool <status|replay> [--dir DIR]
      show, or send now, what the SDK left in its disk spool

Options:
  -h, --help     show this help (also: weft <command> --help)
  -v, --version  print weft's version
`;

export const SERVE_USAGE = `Usage: weft serve [--host HOST] [--port PORT] [--db FILE] [--insecure]
                  [--store sqlite|clickhouse] [--clickhouse-url URL] [--clickhouse-database NAME]
                  [--clickhouse-user USER] [--clickhouse-password PASSWORD]

Runs the trace server (Weave trace-server API) on an embedded SQLite store, or on ClickHouse.

Options:
  --host HOST   interface to bind (env WEFT_HOST; default ${DEFAULTS.host})
  --port PORT   TCP port, 0 for any free port (env WEFT_PORT; default ${DEFAULTS.port})
  --db FILE     SQLite database file, created if missing (env WEFT_DB; default ${DEFAULTS.db})
  --insecure    allow a non-loopback --host while the store has no API keys
                (anyone who can reach the server can then read and write traces)
  --store KIND  sqlite (default) or clickhouse (env WEFT_STORE)
  --clickhouse-url URL          ClickHouse HTTP endpoint (env WEFT_CLICKHOUSE_URL;
                                default http://127.0.0.1:8123)
  --clickhouse-database NAME    database, created with its tables if missing
                                (env WEFT_CLICKHOUSE_DATABASE; default weft)
  --clickhouse-user USER        (env WEFT_CLICKHOUSE_USER; default: ClickHouse's default user)
  --clickhouse-password PASS    (env WEFT_CLICKHOUSE_PASSWORD, preferred: flags show in ps)

Several weft serve processes may share one ClickHouse database (see docs/scaling.md).

Without API keys the server only accepts requests on a loopback host. Once a key exists
(\`weft keys create\`), every request needs one: "Authorization: Bearer <key>", or HTTP Basic
with user "api" and the key as password.
`;

export const KEYS_USAGE = `Usage: weft keys create --project ENTITY/PROJECT [--db FILE]
       weft keys create --project ENTITY/PROJECT --store clickhouse [--clickhouse-url URL] [--clickhouse-database DB]

Creates an API key that can read and write one project, and prints it once. Only its sha256 is
stored, in the store the server uses: --db defaults to env WEFT_DB, else ${DEFAULTS.db}; the store
flags and WEFT_STORE / WEFT_CLICKHOUSE_* variables are those of \`weft serve\`.
`;
