#!/usr/bin/env bash
# Installs the foreign event stores the tests write with their own code, into a test PostgreSQL server:
#   tools/install-foreign-stores.sh PG_URI
# 1. the Node packages of tests/foreign and tests/foreign/emmett-sqlite (npm ci, the latter with
#    --legacy-peer-deps), skipped while their node_modules match package.json and package-lock.json;
# 2. Message DB, with its package's own database/install.sh, into the database 'message_store' of PG_URI's
#    server (install.sh creates the role message_store and that database);
# 3. Emmett's PostgreSQL schema, with Emmett's own migration, into the database 'emmett' of that server.
# EVENTSCOPE_MESSAGEDB_DATABASE and EVENTSCOPE_EMMETT_DATABASE choose other database names. Emmett's SQLite
# store needs no install: tests/foreign/emmett-sqlite/write_emmett_sqlite.mjs creates its tables in the file.
# Running it again changes nothing. On success it prints one line naming the two stores' URIs.
# The user of PG_URI must be allowed to create roles and databases (the test server's 'postgres' is).
set -euo pipefail
uri=${1:?usage: tools/install-foreign-stores.sh PG_URI}
root=$(cd "$(dirname "$0")/.." && pwd)
foreign="$root/tests/foreign"
messagedb_database=${EVENTSCOPE_MESSAGEDB_DATABASE:-message_store}
emmett_database=${EVENTSCOPE_EMMETT_DATABASE:-emmett}

fail() {
  echo "install-foreign-stores: $*" >&2
  exit 1
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  fail "Node.js 18 or newer and npm are needed (install the nodejs and npm packages)."
fi
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 18 ] || fail "Node.js 18 or newer is needed; this is $(node --version)."
if ! command -v psql >/dev/null || ! command -v createdb >/dev/null; then
  fail "psql and createdb are needed (install postgresql-client)."
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# npm ci in DIR unless DIR/node_modules was installed from the same package.json and lock by this Node.
install_packages() {
  local dir=$1
  shift
  local stamp="$dir/node_modules/.eventscope-installed"
  local want
  want=$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)
  want="$want node-$(node -p 'process.versions.modules')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  local npm_args=(--no-audit --no-fund --loglevel=error "$@")
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci "${npm_args[@]}") >"$log" 2>&1 ||
      { cat "$log" >&2; fail "npm ci failed in ${dir#"$root"/}."; }
  else
    (cd "$dir" && npm install --no-save --package-lock=false "${npm_args[@]}") >"$log" 2>&1 ||
      { cat "$log" >&2; fail "npm install failed in ${dir#"$root"/}."; }
  fi
  echo "$want" >"$stamp"
}

install_packages "$foreign"
install_packages "$foreign/emmett-sqlite" --legacy-peer-deps
(cd "$foreign/emmett-sqlite" && node --input-type=module -e "await import('sqlite3'); await import('@event-driven-io/emmett-sqlite')") >"$log" 2>&1 ||
  { cat "$log" >&2; rm -f "$foreign/emmett-sqlite/node_modules/.eventscope-installed"; fail "sqlite3's native module does not load in tests/foreign/emmett-sqlite (its build needs python3, make and g++)."; }

# The URI's parts as libpq environment variables, for Message DB's install.sh (it runs psql and createdb with
# a database name only), and the URIs of the two stores' databases (without any password).
parts=$(node --input-type=module - "$uri" "$messagedb_database" "$emmett_database" <<'EOF'
const [uri, messagedb, emmett] = process.argv.slice(2);
let u;
try {
  u = new URL(uri.replace(/^[a-z]+\+(postgres(ql)?:)/i, '$1'));
} catch {
  console.error(`install-foreign-stores: cannot read the PostgreSQL URI ${uri}`);
  process.exit(1);
}
if (!/^postgres(ql)?:$/.test(u.protocol)) {
  console.error(`install-foreign-stores: not a postgresql:// URI: ${uri}`);
  process.exit(1);
}
const env = {};
if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname.replace(/^\[(.*)\]$/, '$1'));
if (u.port) env.PGPORT = u.port;
if (u.username) env.PGUSER = decodeURIComponent(u.username);
if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
env.PGDATABASE = decodeURIComponent(u.pathname.replace(/^\//, '')) || env.PGUSER || 'postgres';
const names = {
  host: 'PGHOST', hostaddr: 'PGHOSTADDR', port: 'PGPORT', user: 'PGUSER', password: 'PGPASSWORD', dbname: 'PGDATABASE',
  passfile: 'PGPASSFILE', sslmode: 'PGSSLMODE', sslrootcert: 'PGSSLROOTCERT', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY',
  sslcrl: 'PGSSLCRL', gssencmode: 'PGGSSENCMODE', connect_timeout: 'PGCONNECT_TIMEOUT', service: 'PGSERVICE',
  target_session_attrs: 'PGTARGETSESSIONATTRS', application_name: 'PGAPPNAME',
};
const unused = [];
for (const [key, value] of u.searchParams) {
  if (names[key]) env[names[key]] = value;
  else unused.push(key);
}
const quote = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${quote(v)}`);
const at = (db) => {
  const v = new URL(u.href);
  v.password = '';
  v.pathname = `/${encodeURIComponent(db)}`;
  for (const key of unused) v.searchParams.delete(key);
  return v.href;
};
console.log(`messagedb_uri=${quote(at(messagedb))}`);
console.log(`emmett_uri=${quote(at(emmett))}`);
EOF
) || exit 1
messagedb_uri=
emmett_uri=
eval "$parts"
unset PGOPTIONS

psql_at() {
  local database=$1
  shift
  psql -X -q -v ON_ERROR_STOP=1 -At -d "$database" "$@"
}

psql_at "$PGDATABASE" -c 'SELECT 1' >/dev/null 2>"$log" || { cat "$log" >&2; fail "cannot reach PostgreSQL at $uri."; }

database_exists() {
  [ "$(psql_at "$PGDATABASE" -v name="$1" <<<"SELECT count(*) FROM pg_database WHERE datname = :'name'")" = 1 ]
}

# Message DB
messagedb_dir="$foreign/node_modules/@eventide/message-db/database"
[ -f "$messagedb_dir/install.sh" ] || fail "Message DB's install.sh is missing from tests/foreign/node_modules."
package_version=$(cat "$messagedb_dir/VERSION.txt")
installed_version=
if database_exists "$messagedb_database"; then
  installed_version=$(psql_at "$messagedb_database" -c \
    "SELECT CASE WHEN to_regprocedure('message_store.message_store_version()') IS NULL THEN '' ELSE message_store.message_store_version() END" 2>/dev/null) || installed_version=
  if [ -z "$installed_version" ]; then
    # An empty database (or one the tests made): install without creating it. A half-installed schema makes
    # install.sh fail; drop that database and run again.
    (cd "$messagedb_dir" && DATABASE_NAME="$messagedb_database" CREATE_DATABASE=off bash ./install.sh) >"$log" 2>&1 ||
      { cat "$log" >&2; fail "Message DB's install.sh failed in the existing database $messagedb_database; drop it and run again."; }
  fi
else
  (cd "$messagedb_dir" && DATABASE_NAME="$messagedb_database" bash ./install.sh) >"$log" 2>&1 ||
    { cat "$log" >&2; fail "Message DB's install.sh failed."; }
fi
installed_version=$(psql_at "$messagedb_database" -c 'SELECT message_store.message_store_version()' 2>"$log") ||
  { cat "$log" >&2; fail "Message DB is not usable in the database $messagedb_database after its install."; }
[ "$installed_version" = "$package_version" ] ||
  fail "the database $messagedb_database holds Message DB $installed_version, the package is $package_version; drop that database and run again."

# Emmett (PostgreSQL): its own schema migration, in its own database.
if ! database_exists "$emmett_database"; then
  createdb "$emmett_database" 2>"$log" || { cat "$log" >&2; fail "cannot create the database $emmett_database."; }
fi
node "$foreign/write_emmett_pg.mjs" --uri "$emmett_uri" --migrate </dev/null 2>"$log" ||
  { cat "$log" >&2; fail "Emmett's schema migration failed in the database $emmett_database."; }

emmett_version=$(node -p 'require(process.argv[1]).version' "$foreign/node_modules/@event-driven-io/emmett-postgresql/package.json")
echo "Foreign stores ready: Message DB $installed_version at messagedb+$messagedb_uri, Emmett $emmett_version at emmett+$emmett_uri, emmett-sqlite in tests/foreign/emmett-sqlite."
