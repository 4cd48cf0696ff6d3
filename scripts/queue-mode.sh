#!/usr/bin/env bash
# n8n 2.x in queue mode on one machine, for the queue-mode suite (test/queue/):
# Postgres and Redis (Debian's packages, run as their own service users, data in a
# throw-away folder), n8n main + 2 webhook processes (`n8n webhook`) + 2 workers
# (`n8n worker`), and nginx in front of the webhook processes, everything on loopback.
#
#   scripts/queue-mode.sh start          start everything (stops what it started on failure)
#   scripts/queue-mode.sh stop           stop everything and remove the folder
#   scripts/queue-mode.sh status         what runs, and its addresses
#   scripts/queue-mode.sh kill NAME      SIGKILL one n8n process (webhook-1, worker-2, ...)
#   scripts/queue-mode.sh revive NAME    start that process again and wait until it is ready
#   scripts/queue-mode.sh test [ARGS]    start, run the suite (jest ARGS), stop (also on failure)
#
# QUEUE_PORT_BASE (default 7600) fixes every port: +0 Postgres, +1 Redis, +2 nginx routing by
# a consistent hash of the signature header, +3 nginx round-robin, +10 main, +11/+12 webhook
# processes, +21/+22 workers' health servers, +30..+34 the task-runner brokers, +40..+49 free
# for the suite (its sandbox). QUEUE_RUN_DIR (default /tmp/makini-queue-<base>) holds the data,
# the logs and `env`, the addresses for the suite. Postgres, Redis and nginx are installed
# with apt-get when missing (CI runs as root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNTIME="$ROOT/scripts/n8n-runtime.sh"
BASE="${QUEUE_PORT_BASE:-7600}"
RUN_DIR="${QUEUE_RUN_DIR:-/tmp/makini-queue-$BASE}"
PG_PORT=$((BASE + 0)) REDIS_PORT=$((BASE + 1)) HASH_PORT=$((BASE + 2)) RR_PORT=$((BASE + 3))
MAIN_PORT=$((BASE + 10))
PG_BIN="${PG_BIN:-}"
N8N_PROCESSES=(main webhook-1 webhook-2 worker-1 worker-2)

log() { printf 'queue-mode: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# Runs a command as a service user when root (as Debian's own units do), else as is.
as_user() {
	local user="$1"
	shift
	if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

pg_bin() {
	[ -n "$PG_BIN" ] && { printf '%s\n' "$PG_BIN"; return; }
	local dir
	dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
	[ -n "$dir" ] && [ -x "$dir/initdb" ] || return 1
	printf '%s\n' "$dir"
}

install_packages() {
	local missing=()
	pg_bin >/dev/null || missing+=(postgresql)
	command -v redis-server >/dev/null || missing+=(redis-server)
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
	[ ${#missing[@]} -eq 0 ] && return 0
	is_root || die "missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) or run as root"
	log "installing ${missing[*]} from Debian's packages"
	apt-get update -qq >&2
	# Debian's maintainer scripts would start the system-wide services: keep them off.
	DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "${missing[@]}" >&2
}

port_of() {
	case "$1" in
		main) echo "$MAIN_PORT" ;;
		webhook-1) echo $((BASE + 11)) ;;
		webhook-2) echo $((BASE + 12)) ;;
		worker-1) echo $((BASE + 21)) ;;
		worker-2) echo $((BASE + 22)) ;;
		*) die "no n8n process '$1' (one of ${N8N_PROCESSES[*]})" ;;
	esac
}

broker_port_of() {
	case "$1" in
		main) echo $((BASE + 30)) ;;
		webhook-1) echo $((BASE + 31)) ;;
		webhook-2) echo $((BASE + 32)) ;;
		worker-1) echo $((BASE + 33)) ;;
		worker-2) echo $((BASE + 34)) ;;
	esac
}

wait_for() {
	local what="$1" timeout="$2"
	shift 2
	local started=$SECONDS
	until "$@" >/dev/null 2>&1; do
		[ $((SECONDS - started)) -lt "$timeout" ] || die "$what not ready after $timeout s"
		sleep 0.5
	done
}

start_postgres() {
	local bin dir="$RUN_DIR/postgres"
	bin="$(pg_bin)"
	mkdir -p "$dir"
	is_root && chown postgres:postgres "$dir"
	# Throw-away data: trust on loopback only, no fsync.
	as_user postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$RUN_DIR/postgres-initdb.log" 2>&1 ||
		die "initdb failed: $(tail -n 5 "$RUN_DIR/postgres-initdb.log")"
	as_user postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >&2 || die "Postgres did not start: $(tail -n 5 "$dir/postgres.log")"
	psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c 'create database n8n' >&2
	log "Postgres $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
}

start_redis() {
	local dir="$RUN_DIR/redis"
	mkdir -p "$dir"
	is_root && chown redis:redis "$dir"
	as_user redis redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" --save '' --appendonly no \
		--daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
	wait_for Redis 30 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
	log "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$REDIS_PORT"
}

# The deployment the README documents: one upstream routes by a consistent hash of the
# signature header (every copy of a delivery carries the same signature, so all copies
# reach one webhook process), the other is nginx's default round-robin, for comparison.
write_nginx_conf() {
	local dir="$RUN_DIR/nginx" w1 w2
	w1="$(port_of webhook-1)" w2="$(port_of webhook-2)"
	mkdir -p "$dir/temp"
	{
		is_root && echo 'user www-data;'
		cat <<EOF
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 2048; }
http {
	client_body_temp_path $dir/temp/body;
	proxy_temp_path $dir/temp/proxy;
	fastcgi_temp_path $dir/temp/fastcgi;
	uwsgi_temp_path $dir/temp/uwsgi;
	scgi_temp_path $dir/temp/scgi;
	# Which webhook process answered each request, for the suite's per-process figures.
	log_format upstream '\$server_port|\$upstream_addr|\$status|\$http_x_makini_delivery_id';
	access_log $dir/access.log upstream;

	# max_fails=0: one failed request never takes a process out of the hash for fail_timeout
	# (which would send later copies of its deliveries to the other process); a process that
	# is down still refuses the connection, and nginx then passes that request to the next one.
	# No keepalive to the upstreams: a connection n8n closes as idle while nginx reuses it
	# ends in "connection reset by peer", a 502 and, without max_fails=0, a re-route.
	upstream makini_webhooks_by_signature {
		hash \$http_x_webhook_signature consistent;
		server 127.0.0.1:$w1 max_fails=0;
		server 127.0.0.1:$w2 max_fails=0;
	}
	upstream makini_webhooks_round_robin {
		server 127.0.0.1:$w1;
		server 127.0.0.1:$w2;
	}
	server {
		listen 127.0.0.1:$HASH_PORT;
		client_max_body_size 16m;
		location / {
			proxy_pass http://makini_webhooks_by_signature;
			proxy_set_header Host \$host;
			proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
		}
	}
	server {
		listen 127.0.0.1:$RR_PORT;
		client_max_body_size 16m;
		location / {
			proxy_pass http://makini_webhooks_round_robin;
			proxy_set_header Host \$host;
			proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
		}
	}
}
EOF
	} >"$dir/nginx.conf"
}

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

start_nginx() {
	write_nginx_conf
	"$(nginx_bin)" -t -q -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" >&2 || die "nginx rejected its configuration"
	"$(nginx_bin)" -p "$RUN_DIR/nginx" -c "$RUN_DIR/nginx/nginx.conf" >&2
	log "nginx $("$(nginx_bin)" -v 2>&1 | cut -d/ -f2) on 127.0.0.1:$HASH_PORT (hash of X-Webhook-Signature) and 127.0.0.1:$RR_PORT (round-robin)"
}

user_folder_of() { printf '%s/n8n/%s\n' "$RUN_DIR" "$1"; }

# The environment every n8n process shares (n8n 2.41.1, read from its source: the
# `scaling` module, `commands/webhook.ts`, `commands/worker.ts`); n8n-runtime.sh adds its
# loopback / no-phone-home settings.
queue_env() {
	local name="$1"
	# shellcheck disable=SC1091
	. "$RUN_DIR/secrets"
	export EXECUTIONS_MODE=queue
	export DB_TYPE=postgresdb DB_POSTGRESDB_HOST=127.0.0.1 DB_POSTGRESDB_PORT="$PG_PORT" DB_POSTGRESDB_DATABASE=n8n
	export DB_POSTGRESDB_USER=postgres DB_POSTGRESDB_PASSWORD=unused-trust-auth
	# n8n's default pool (2) times out under a burst of webhooks ("timeout exceeded when trying
	# to connect"), after which the process answers 503 "Database is not ready!".
	export DB_POSTGRESDB_POOL_SIZE=20
	export QUEUE_BULL_REDIS_HOST=127.0.0.1 QUEUE_BULL_REDIS_PORT="$REDIS_PORT"
	# Workers decrypt credentials the main process stored: one key for all.
	export N8N_ENCRYPTION_KEY="$ENCRYPTION_KEY"
	export N8N_RUNNERS_AUTH_TOKEN="$RUNNERS_TOKEN" N8N_RUNNERS_BROKER_PORT="$(broker_port_of "$name")"
	# Production webhook URLs point at nginx, the address Makini is given.
	export N8N_WEBHOOK_URL="http://127.0.0.1:$HASH_PORT/"
	# Manual runs go to the workers too, so every execution is a worker's.
	export OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true
	export N8N_GRACEFUL_SHUTDOWN_TIMEOUT=15
	case "$name" in
		# Production webhooks are the webhook processes' alone (behind nginx).
		main) export N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true ;;
		webhook-*) export N8N_PROXY_HOPS=1 ;;
		worker-*) export QUEUE_HEALTH_CHECK_ACTIVE=true QUEUE_HEALTH_CHECK_PORT="$(port_of "$name")" N8N_WORKER_SERVER_ADDRESS=127.0.0.1 ;;
	esac
}

n8n_command_of() {
	case "$1" in
		main) echo start ;;
		webhook-*) echo webhook ;;
		worker-*) echo worker ;;
	esac
}

spawn_n8n() {
	local name="$1" folder port
	folder="$(user_folder_of "$name")"
	port="$(port_of "$name")"
	(
		queue_env "$name"
		# Its own session (process group), so `kill` takes n8n's children with it.
		exec setsid bash "$RUNTIME" run --user-folder "$folder" --port "$port" -- "$(n8n_command_of "$name")" \
			>>"$RUN_DIR/$name.log" 2>&1 </dev/null
	) &
	echo $! >"$RUN_DIR/$name.pid"
}

is_running() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

types_served() {
	local file
	file="$(user_folder_of main)/.cache/n8n/public/types/nodes.json"
	[ -f "$file" ] && grep -q '"n8n-nodes-makini\.makiniTrigger"' "$file"
}

is_ready() {
	local name="$1" url
	url="http://127.0.0.1:$(port_of "$name")"
	is_running "$name" || return 2
	case "$name" in
		main) curl -fs -o /dev/null "$url/healthz/readiness" && curl -fs -o /dev/null "$url/rest/settings" && types_served ;;
		*) curl -fs -o /dev/null "$url/healthz/readiness" ;;
	esac
}

wait_ready() {
	local name="$1" timeout="${N8N_START_TIMEOUT:-300}" started=$SECONDS rc
	while true; do
		rc=0
		is_ready "$name" || rc=$?
		[ $rc = 0 ] && break
		[ $rc = 2 ] && die "n8n $name exited before it was ready: $(tail -n 20 "$RUN_DIR/$name.log")"
		[ $((SECONDS - started)) -lt "$timeout" ] || die "n8n $name not ready after $timeout s (log: $RUN_DIR/$name.log)"
		sleep 1
	done
	log "n8n $name ($(n8n_command_of "$name")) ready on 127.0.0.1:$(port_of "$name") in $((SECONDS - started)) s"
}

prepare_user_folders() {
	local main_folder name
	main_folder="$(user_folder_of main)"
	mkdir -p "$main_folder"
	bash "$RUNTIME" install-package "$main_folder"
	# The same package in each process's own folder, as on separate machines.
	for name in "${N8N_PROCESSES[@]:1}"; do
		mkdir -p "$(user_folder_of "$name")/.n8n"
		cp -a "$main_folder/.n8n/nodes" "$(user_folder_of "$name")/.n8n/"
	done
}

write_env_file() {
	cat >"$RUN_DIR/env" <<EOF
QUEUE_MAIN_URL=http://127.0.0.1:$MAIN_PORT
QUEUE_HASH_URL=http://127.0.0.1:$HASH_PORT
QUEUE_ROUND_ROBIN_URL=http://127.0.0.1:$RR_PORT
QUEUE_WEBHOOK_1_URL=http://127.0.0.1:$(port_of webhook-1)
QUEUE_WEBHOOK_2_URL=http://127.0.0.1:$(port_of webhook-2)
QUEUE_PG_PORT=$PG_PORT
QUEUE_REDIS_PORT=$REDIS_PORT
QUEUE_FREE_PORT=$((BASE + 40))
QUEUE_RUN_DIR=$RUN_DIR
QUEUE_NGINX_ACCESS_LOG=$RUN_DIR/nginx/access.log
EOF
}

cmd_start() {
	[ -e "$RUN_DIR" ] && die "$RUN_DIR exists: an environment runs already (scripts/queue-mode.sh stop)"
	local started=$SECONDS
	install_packages
	bash "$RUNTIME" install
	# The package the processes load, built once (under n8n-runtime.sh's build lock).
	mkdir -p "$ROOT/.n8n-runtime"
	(cd "$ROOT" && flock "$ROOT/.n8n-runtime/build.lock" npm run build --silent) >&2
	mkdir -p -m 755 "$RUN_DIR"
	# From here on a failure (set -e, die, a signal) stops whatever was started.
	START_DONE=0
	trap '[ "$START_DONE" = 1 ] || { log "start failed: stopping what was started"; cmd_stop; }' EXIT
	trap 'exit 130' INT TERM
	printf 'ENCRYPTION_KEY=%s\nRUNNERS_TOKEN=%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
		"$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$RUN_DIR/secrets"
	chmod 600 "$RUN_DIR/secrets"
	start_postgres
	start_redis
	prepare_user_folders
	# main first: it runs the database migrations the others expect.
	spawn_n8n main
	wait_ready main
	local name
	for name in "${N8N_PROCESSES[@]:1}"; do spawn_n8n "$name"; done
	for name in "${N8N_PROCESSES[@]:1}"; do wait_ready "$name"; done
	start_nginx
	write_env_file
	START_DONE=1
	trap - EXIT INT TERM
	log "ready in $((SECONDS - started)) s; addresses in $RUN_DIR/env"
}

stop_n8n() {
	local name="$1" signal="${2:-TERM}" pid i
	[ -f "$RUN_DIR/$name.pid" ] || return 0
	pid="$(cat "$RUN_DIR/$name.pid")"
	kill "-$signal" -- "-$pid" 2>/dev/null || true
	for i in $(seq 1 40); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
	rm -f "$RUN_DIR/$name.pid"
}

cmd_stop() {
	[ -d "$RUN_DIR" ] || { log "nothing runs ($RUN_DIR is absent)"; return 0; }
	local name bin
	if [ -f "$RUN_DIR/nginx/nginx.pid" ]; then
		kill -QUIT "$(cat "$RUN_DIR/nginx/nginx.pid")" 2>/dev/null || true
	fi
	for name in "${N8N_PROCESSES[@]}"; do stop_n8n "$name" TERM & done
	wait
	if [ -f "$RUN_DIR/redis/redis.pid" ]; then
		kill -TERM "$(cat "$RUN_DIR/redis/redis.pid")" 2>/dev/null || true
	fi
	if [ -f "$RUN_DIR/postgres/data/postmaster.pid" ] && bin="$(pg_bin)"; then
		as_user postgres "$bin/pg_ctl" -D "$RUN_DIR/postgres/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	if [ "${QUEUE_KEEP:-}" = 1 ]; then
		log "stopped; kept $RUN_DIR (QUEUE_KEEP=1)"
	else
		rm -rf "$RUN_DIR"
		log "stopped; removed $RUN_DIR"
	fi
}

cmd_status() {
	[ -d "$RUN_DIR" ] || { echo "not running ($RUN_DIR is absent)"; return 3; }
	local name state rc=0
	for name in "${N8N_PROCESSES[@]}"; do
		if is_ready "$name"; then state=ready; elif is_running "$name"; then state=starting; else state=down; rc=1; fi
		printf '%-10s %-8s 127.0.0.1:%s\n' "$name" "$state" "$(port_of "$name")"
	done
	redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && state=ready || { state=down; rc=1; }
	printf '%-10s %-8s 127.0.0.1:%s\n' redis "$state" "$REDIS_PORT"
	psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qAt -c 'select 1' n8n >/dev/null 2>&1 && state=ready || { state=down; rc=1; }
	printf '%-10s %-8s 127.0.0.1:%s\n' postgres "$state" "$PG_PORT"
	[ -f "$RUN_DIR/nginx/nginx.pid" ] && kill -0 "$(cat "$RUN_DIR/nginx/nginx.pid")" 2>/dev/null && state=ready || { state=down; rc=1; }
	printf '%-10s %-8s 127.0.0.1:%s (hash), 127.0.0.1:%s (round-robin)\n' nginx "$state" "$HASH_PORT" "$RR_PORT"
	return $rc
}

cmd_test() {
	cmd_start
	# Stopped at the end whatever happens to the suite.
	trap 'cmd_stop' EXIT
	trap 'exit 130' INT TERM
	local rc=0
	(cd "$ROOT" && QUEUE_ENV_FILE="$RUN_DIR/env" npx jest -c jest.queue.config.js --runInBand --forceExit "$@") || rc=$?
	return $rc
}

main() {
	case "${1:-}" in
		start) cmd_start ;;
		stop) cmd_stop ;;
		status) cmd_status ;;
		kill) port_of "${2:?name}" >/dev/null && stop_n8n "$2" KILL && log "killed $2" ;;
		revive) port_of "${2:?name}" >/dev/null && { is_running "$2" && die "$2 runs"; spawn_n8n "$2"; wait_ready "$2"; } ;;
		test) shift; cmd_test "$@" ;;
		*) sed -n '2,19p' "$0" >&2; exit 2 ;;
	esac
}

main "$@"; exit $?
