#!/usr/bin/env bash
# `npm start`: the demo. Installs what is missing, builds the package, starts the Makini
# sandbox and an n8n with this package loaded, sets up the owner, the three Makini
# credentials and the example workflows (scripts/demo/setup.ts), prints the editor URL
# and login, and runs until Ctrl-C, which stops everything.
#
#   npm start                 interactive; state kept in .demo/ (git-ignored)
#   npm start -- --check      non-interactive: sets everything up in a fresh folder on free
#                             ports, runs each example once, one line per example, exit 0/1
#
# Ports: SANDBOX_PORT (default 4010), N8N_PORT (default 5678); --check uses free ports
# unless they are set.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CHECK=0
for arg in "$@"; do
	case "$arg" in
		--check) CHECK=1 ;;
		-h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
		*) echo "demo: unknown option $arg (try --help)" >&2; exit 2 ;;
	esac
done

STARTED=$SECONDS
say() { printf 'demo: %s\n' "$*" >&2; }
step() { printf 'demo: [%3ss] %s\n' "$((SECONDS - STARTED))" "$*" >&2; }
die() { say "error: $*"; exit 1; }

if [ "$CHECK" = 1 ]; then
	DEMO_DIR="$ROOT/.demo/check-$$"
	SANDBOX_PORT="${SANDBOX_PORT:-0}"
	N8N_PORT="${N8N_PORT:-0}"
else
	DEMO_DIR="$ROOT/.demo"
	SANDBOX_PORT="${SANDBOX_PORT:-4010}"
	N8N_PORT="${N8N_PORT:-5678}"
fi

node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 15) ? 0 : 1)' \
	|| die "Node.js 20.15 or newer is needed (found $(node -v))"

# --- install what is missing -------------------------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	step "installing the dev tools (npm ci)"
	npm ci --no-audit --no-fund --loglevel=error
fi
step "n8n runtime (installed once, then cached)"
bash scripts/n8n-runtime.sh install
step "building the package"
mkdir -p .n8n-runtime
# The same lock as e2e/lib's buildPackage: a concurrent n8n start never packs a half-built dist/.
flock .n8n-runtime/build.lock npm run build --silent

# --- ports -----------------------------------------------------------------------------
port_free() {
	node -e '
		const server = require("net").createServer();
		server.once("error", () => process.exit(1));
		server.listen(Number(process.argv[1]), "127.0.0.1", () => server.close(() => process.exit(0)));' "$1"
}
for pair in "SANDBOX_PORT=$SANDBOX_PORT" "N8N_PORT=$N8N_PORT"; do
	name="${pair%%=*}"
	port="${pair#*=}"
	[[ "$port" =~ ^[0-9]+$ ]] || die "$name must be a port number (got '$port')"
	if [ "$port" != 0 ] && ! port_free "$port"; then
		die "port $port is taken (another demo still running?). Stop it, or pick another port: $name=$((port + 1)) npm start"
	fi
done

# --- processes, each in its own process group; stopped on exit, Ctrl-C or TERM ----------
mkdir -p "$DEMO_DIR"
chmod 700 "$DEMO_DIR"
set -m
SANDBOX_PID=""
N8N_PID=""
stop_group() {
	local pid="$1"
	[ -n "$pid" ] || return 0
	kill -TERM -- "-$pid" 2>/dev/null || return 0
	for _ in $(seq 1 100); do
		kill -0 -- "-$pid" 2>/dev/null || return 0
		sleep 0.2
	done
	kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() {
	local status=$?
	trap - EXIT INT TERM
	if [ -n "$N8N_PID$SANDBOX_PID" ]; then step "stopping n8n and the sandbox"; fi
	stop_group "$N8N_PID"
	stop_group "$SANDBOX_PID"
	if [ "$CHECK" = 1 ] && [ "$status" = 0 ] && [ "${DEMO_KEEP:-0}" != 1 ]; then rm -rf "$DEMO_DIR"; fi
	[ "$CHECK" = 1 ] && [ "$status" != 0 ] && say "logs kept in $DEMO_DIR"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() { # what, seconds, pid, condition...
	local what="$1" seconds="$2" pid="$3"
	shift 3
	local deadline=$((SECONDS + seconds))
	until "$@"; do
		kill -0 "$pid" 2>/dev/null || return 1
		[ "$SECONDS" -lt "$deadline" ] || die "$what not ready after ${seconds}s"
		sleep 0.3
	done
}

step "starting the Makini sandbox"
rm -f "$DEMO_DIR/sandbox.json"
node_modules/.bin/tsx sandbox/cli.ts --port "$SANDBOX_PORT" --host 127.0.0.1 --quiet \
	--info-file "$DEMO_DIR/sandbox.json" --secrets "$DEMO_DIR/sandbox-secrets.json" >"$DEMO_DIR/sandbox.log" 2>&1 &
SANDBOX_PID=$!
wait_for "the sandbox" 60 "$SANDBOX_PID" test -s "$DEMO_DIR/sandbox.json" \
	|| die "the sandbox stopped: $(tail -n 5 "$DEMO_DIR/sandbox.log")"
SANDBOX_URL="$(node -p 'require(process.argv[1]).url' "$DEMO_DIR/sandbox.json")"

step "starting n8n with n8n-nodes-makini (first start takes ~30 s)"
: >"$DEMO_DIR/n8n.log"
N8N_MAJOR=2 bash scripts/n8n-runtime.sh start --user-folder "$DEMO_DIR/n8n" --port "$N8N_PORT" >"$DEMO_DIR/n8n.log" 2>&1 &
N8N_PID=$!
n8n_ready() { grep -q '^n8n-runtime: ready url=' "$DEMO_DIR/n8n.log"; }
wait_for "n8n" "${N8N_START_TIMEOUT:-300}" "$N8N_PID" n8n_ready \
	|| die "n8n stopped: $(tail -n 15 "$DEMO_DIR/n8n.log")"
N8N_URL="$(sed -n 's/^n8n-runtime: ready url=\([^ ]*\) .*/\1/p' "$DEMO_DIR/n8n.log" | head -n 1)"
step "n8n ready at $N8N_URL, sandbox at $SANDBOX_URL; setting up owner, credentials and example workflows"

SETUP=(node_modules/.bin/tsx scripts/demo/setup.ts --n8n-url "$N8N_URL" --sandbox-info "$DEMO_DIR/sandbox.json" --state "$DEMO_DIR/state.json")
if [ "$CHECK" = 1 ]; then
	if "${SETUP[@]}" --check; then
		step "every example ran"
		exit 0
	fi
	step "an example failed"
	exit 1
fi
"${SETUP[@]}"
step "ready (logs: .demo/n8n.log, .demo/sandbox.log)"
# Until Ctrl-C, or until n8n or the sandbox stops by itself.
while kill -0 "$N8N_PID" 2>/dev/null && kill -0 "$SANDBOX_PID" 2>/dev/null; do
	sleep 1 &
	wait $! || true
done
die "$(kill -0 "$N8N_PID" 2>/dev/null && echo "the sandbox" || echo "n8n") stopped by itself; see $DEMO_DIR/*.log"
