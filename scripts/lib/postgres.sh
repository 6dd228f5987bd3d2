# shellcheck shell=bash
# A throwaway PostgreSQL server for one test run. Sourced by scripts/test.
#
# Sets PG_BINDIR, PG_USER, PG_PORT, PG_TMP and exports OPENHALL_TEST_POSTGRES,
# and OPENHALL_PG_BINDIR and OPENHALL_PG_USER for the fault tests that start
# a private cluster of their own (testutil.PrivatePostgres).
# pg_cleanup (called from scripts/test's EXIT trap) stops the server and
# removes every file of it.

PG_BINDIR=""
PG_TMP=""
PG_USER=""
PG_PORT=""
PG_STARTED=0

_pg_has_server() {
	[[ -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]
}

# pg_find_bindir: the directory of initdb, pg_ctl and postgres. Debian keeps
# them off PATH in /usr/lib/postgresql/<version>/bin. OPENHALL_PG_BINDIR
# overrides the search (a custom build, or to test another version).
pg_find_bindir() {
	local d
	if [[ -n ${OPENHALL_PG_BINDIR:-} ]]; then
		if _pg_has_server "$OPENHALL_PG_BINDIR"; then
			PG_BINDIR=$OPENHALL_PG_BINDIR
		fi
		return 0
	fi
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [[ -n $d ]] && _pg_has_server "$d"; then
			PG_BINDIR=$d
			return
		fi
	fi
	# Highest version first.
	while IFS= read -r d; do
		if _pg_has_server "$d"; then
			PG_BINDIR=$d
			return
		fi
	done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -t/ -k5,5 -V -r)
	if command -v initdb >/dev/null 2>&1; then
		d=$(dirname "$(command -v initdb)")
		if _pg_has_server "$d"; then
			PG_BINDIR=$d
		fi
	fi
	return 0
}

# pg_user_setup: initdb and postgres refuse to run as root, so as root the
# server runs as an unprivileged user: `postgres` when the system has it
# (any Debian machine with the server package), else a system user made
# for the purpose. As anyone else it runs as that user, directly.
pg_user_setup() {
	if ! is_root; then
		PG_USER=$(id -un)
		return
	fi
	if id -u postgres >/dev/null 2>&1; then
		PG_USER=postgres
	else
		PG_USER=openhall-test
		if ! id -u "$PG_USER" >/dev/null 2>&1; then
			log "creating system user $PG_USER to run the test PostgreSQL"
			useradd --system --user-group --no-create-home --home-dir /nonexistent \
				--shell /usr/sbin/nologin "$PG_USER" ||
				die "could not create user $PG_USER for PostgreSQL (initdb refuses root)"
		fi
	fi
	command -v runuser >/dev/null 2>&1 || die "runuser not found; needed to run PostgreSQL as $PG_USER"
}

# as_pg CMD...: run a PostgreSQL binary as PG_USER, from inside the cluster's
# directory (postgres warns when it cannot read the current directory).
as_pg() {
	local cmd=$1
	shift
	if is_root; then
		(cd "$PG_TMP" && runuser -u "$PG_USER" -- "$PG_BINDIR/$cmd" "$@")
	else
		(cd "$PG_TMP" && "$PG_BINDIR/$cmd" "$@")
	fi
}

# port_is_free PORT: nothing accepts connections on 127.0.0.1:PORT.
port_is_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port: a random free port in 20000-60000, away from well-known ports
# and the usual ephemeral range's crowded low end. Two runs at once on one
# machine (two developers, or CI next to a developer) pick different ones.
pick_port() {
	local p
	for _ in $(seq 1 50); do
		p=$(((RANDOM << 15 | RANDOM) % 40001 + 20000))
		if port_is_free "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

pg_initdb() {
	local data=$PG_TMP/data
	# --no-sync only skips flushing the freshly made files to disk once; the
	# running server keeps fsync=on. initdb refuses an unknown locale, so
	# fall back to plain C where C.UTF-8 is missing.
	if ! as_pg initdb -D "$data" -A trust -U "$PG_USER" -E UTF8 --locale=C.UTF-8 --no-sync \
		>"$PG_TMP/initdb.log" 2>&1; then
		log "initdb with locale C.UTF-8 failed; retrying with locale C"
		rm -rf "$data"
		as_pg initdb -D "$data" -A trust -U "$PG_USER" -E UTF8 --locale=C --no-sync \
			>"$PG_TMP/initdb.log" 2>&1 || {
			cat "$PG_TMP/initdb.log" >&2
			die "initdb failed (log above)"
		}
	fi
}

# pg_start_on PORT: configure and start the server; fails when it does not
# come up (another process may have taken the port since it was picked).
pg_start_on() {
	local port=$1 data=$PG_TMP/data
	# Only on loopback: the server trusts every connection. fsync stays on so
	# tests see realistic commit costs; max_connections covers two test
	# packages in parallel, each with its pool.
	# Appended: on a retry the later lines win.
	cat >>"$data/postgresql.conf" <<-CONF
		listen_addresses = '127.0.0.1'
		port = $port
		unix_socket_directories = '$PG_TMP'
		fsync = on
		max_connections = 200
		shared_buffers = 128MB
		log_min_messages = warning
		log_line_prefix = '%m [%p] %q%u@%d '
		${PG_CONF_EXTRA:-}
	CONF
	as_pg pg_ctl -D "$data" -l "$PG_TMP/postgres.log" -w -t 60 start >/dev/null 2>&1 || return 1
	PG_STARTED=1
	for _ in $(seq 1 60); do
		if as_pg pg_isready -q -h 127.0.0.1 -p "$port" -U "$PG_USER" -d postgres; then
			return 0
		fi
		sleep 0.5
	done
	return 1
}

# pg_statements_conf prints the settings that make the server count its
# statements and their planning (pg_stat_statements), or nothing when the
# module is not installed next to the server.
pg_statements_conf() {
	local lib=$PG_BINDIR/../lib
	if [[ -x $PG_BINDIR/pg_config ]]; then
		lib=$("$PG_BINDIR/pg_config" --pkglibdir 2>/dev/null || echo "$lib")
	fi
	if [[ -f $lib/pg_stat_statements.so ]]; then
		printf '%s\n' "shared_preload_libraries = 'pg_stat_statements'" "pg_stat_statements.track_planning = on"
	fi
}

# pg_start: everything from an empty temp dir to an exported URL.
pg_start() {
	pg_user_setup
	# As root the cluster directory must be reachable by PG_USER, so it is
	# made in /tmp, not in a TMPDIR that may sit under /root.
	if is_root; then
		PG_TMP=$(mktemp -d /tmp/openhall-pg.XXXXXX)
		chown "$PG_USER:" "$PG_TMP"
	else
		PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/openhall-pg.XXXXXX")
	fi
	chmod 700 "$PG_TMP"
	pg_initdb

	local attempt
	for attempt in 1 2 3; do
		PG_PORT=$(pick_port) || die "no free TCP port found for PostgreSQL"
		if pg_start_on "$PG_PORT"; then
			export OPENHALL_TEST_POSTGRES="postgres://$PG_USER@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
			export OPENHALL_PG_BINDIR=$PG_BINDIR OPENHALL_PG_USER=$PG_USER
			log "PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') running as $PG_USER on 127.0.0.1:$PG_PORT (data in $PG_TMP)"
			return 0
		fi
		log "PostgreSQL did not start on port $PG_PORT (attempt $attempt)"
		pg_stop
	done
	tail -n 30 "$PG_TMP/postgres.log" >&2 || true
	die "PostgreSQL failed to start (log above)"
}

pg_stop() {
	[[ $PG_STARTED -eq 1 ]] || return 0
	if ! as_pg pg_ctl -D "$PG_TMP/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
		# Still running after a fast stop: kill the postmaster so that no
		# server outlives the run.
		local pid
		pid=$(head -n 1 "$PG_TMP/data/postmaster.pid" 2>/dev/null || true)
		if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
			kill -QUIT "$pid" 2>/dev/null || true
			for _ in $(seq 1 20); do
				kill -0 "$pid" 2>/dev/null || break
				sleep 0.25
			done
		fi
	fi
	PG_STARTED=0
}

# pg_cleanup: stop the server and remove its files; safe to call at any
# point, several times. On a failed run the server log is kept among the
# test artifacts first.
pg_cleanup() {
	[[ -n $PG_TMP ]] || return 0
	pg_stop
	if [[ ${1:-0} -ne 0 && -s $PG_TMP/postgres.log && -n ${OPENHALL_TEST_ARTIFACTS:-} ]]; then
		if mkdir -p "$OPENHALL_TEST_ARTIFACTS"; then
			cp "$PG_TMP/postgres.log" "$OPENHALL_TEST_ARTIFACTS/postgres.log" || true
		fi
	fi
	rm -rf "$PG_TMP"
	PG_TMP=""
}
