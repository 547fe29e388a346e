#!/usr/bin/env bash
# A real Neo4j 5.26 for development and tests, without Docker: embedded Neo4j
# Community (tools/neo4j) with the Bolt connector on the loopback interface
# and authentication off.
#
#   scripts/neo4j.sh up [--wipe]   build if needed, start, wait for Bolt; prints NEO4J_URI=...
#   scripts/neo4j.sh down          stop (SIGTERM, then SIGKILL after a grace period)
#   scripts/neo4j.sh status        exit 0 if it is up
#
# The first `up` downloads Neo4j from Maven Central into ~/.m2. Everything it
# writes (store, pid, log) is under tools/neo4j/run/, which git ignores.
#
# Environment: NEO4J_BOLT_PORT (7687), NEO4J_START_TIMEOUT (120 s),
# NEO4J_STOP_TIMEOUT (60 s), NEO4J_HEAP (512m), JAVA (java), MVN (mvn).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool="$root/tools/neo4j"
run="$tool/run"
pidfile="$run/neo4j.pid"
logfile="$run/neo4j.log"
cpfile="$tool/classpath.txt"
classes="$tool/target/classes"
src="$tool/src/main/java/stancegraph/Neo4jLauncher.java"
host=127.0.0.1
port=${NEO4J_BOLT_PORT:-7687}
java=${JAVA:-java}
mvn=${MVN:-mvn}

say() { echo "neo4j.sh: $*" >&2; }

# Neo4j 5 on Java 17 reaches into JDK internals (direct buffers, native I/O,
# unsafe); without these it logs warnings or runs slower paths.
jvm_flags=(
	-Xms"${NEO4J_HEAP:-512m}"
	-Xmx"${NEO4J_HEAP:-512m}"
	-XX:+UseG1GC
	-XX:-OmitStackTraceInFastThrow
	-XX:+UnlockDiagnosticVMOptions
	-XX:+DebugNonSafepoints
	--add-opens=java.base/java.lang=ALL-UNNAMED
	--add-opens=java.base/java.nio=ALL-UNNAMED
	--add-opens=java.base/java.io=ALL-UNNAMED
	--add-opens=java.base/java.util=ALL-UNNAMED
	--add-opens=java.base/java.util.concurrent=ALL-UNNAMED
	--add-opens=java.base/sun.nio.ch=ALL-UNNAMED
	--add-exports=java.base/sun.nio.ch=ALL-UNNAMED
	--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED
	--enable-native-access=ALL-UNNAMED
	-Dio.netty.tryReflectionSetAccessible=true
	-Djdk.attach.allowAttachSelf=true
	-Dfile.encoding=UTF-8
)

running_pid() {
	[[ -f $pidfile ]] || return 1
	local pid
	pid=$(<"$pidfile")
	[[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
	# A stale pid file may name a pid that now belongs to something else.
	if [[ -r /proc/$pid/cmdline ]]; then
		tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'stancegraph\.Neo4jLauncher' || return 1
	fi
	echo "$pid"
}

bolt_answers() {
	(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

build() {
	if [[ ! -s $cpfile || $tool/pom.xml -nt $cpfile ]]; then
		say "resolving Neo4j from Maven Central (first run downloads ~150 MB into ~/.m2)"
		mkdir -p "$run"
		if ! (cd "$tool" && "$mvn" -q -B dependency:build-classpath -Dmdep.outputFile="$cpfile") >"$run/maven.log" 2>&1; then
			rm -f "$cpfile"
			say "maven failed; its output:"
			cat "$run/maven.log" >&2
			exit 1
		fi
	fi
	local class="$classes/stancegraph/Neo4jLauncher.class"
	if [[ ! -f $class || $src -nt $class || $cpfile -nt $class ]]; then
		mkdir -p "$classes"
		javac -nowarn --release 17 -d "$classes" -cp "$(<"$cpfile")" "$src"
	fi
}

up() {
	local wipe=()
	[[ ${1:-} == --wipe ]] && wipe=(--wipe)
	if pid=$(running_pid) && bolt_answers; then
		say "already up (pid $pid)"
		echo "NEO4J_URI=bolt://$host:$port"
		return 0
	fi
	if pid=$(running_pid); then
		say "pid $pid is running but Bolt does not answer yet; waiting"
	else
		if bolt_answers; then
			say "port $port is taken by another process; set NEO4J_BOLT_PORT"
			exit 1
		fi
		build
		mkdir -p "$run"
		: >"$logfile"
		# setsid: the server outlives this shell and ignores its job control.
		setsid "$java" "${jvm_flags[@]}" -cp "$classes:$(<"$cpfile")" stancegraph.Neo4jLauncher \
			--home "$run/home" --host "$host" --port "$port" "${wipe[@]}" \
			>>"$logfile" 2>&1 </dev/null &
		pid=$!
		echo "$pid" >"$pidfile"
	fi
	local deadline=$((SECONDS + ${NEO4J_START_TIMEOUT:-120}))
	until grep -q 'neo4j-launcher: ready' "$logfile" 2>/dev/null && bolt_answers; do
		if ! kill -0 "$pid" 2>/dev/null; then
			say "neo4j exited during start-up; last lines of $logfile:"
			tail -n 40 "$logfile" >&2
			rm -f "$pidfile"
			exit 1
		fi
		if ((SECONDS >= deadline)); then
			say "bolt://$host:$port did not answer within ${NEO4J_START_TIMEOUT:-120}s; last lines of $logfile:"
			tail -n 40 "$logfile" >&2
			exit 1
		fi
		sleep 0.5
	done
	say "up (pid $pid): $(grep -o 'ready in [0-9]* ms' "$logfile" | tail -n 1)"
	echo "NEO4J_URI=bolt://$host:$port"
}

down() {
	local pid
	if ! pid=$(running_pid); then
		say "not running"
		rm -f "$pidfile"
		return 0
	fi
	kill -TERM "$pid"
	local deadline=$((SECONDS + ${NEO4J_STOP_TIMEOUT:-60}))
	while kill -0 "$pid" 2>/dev/null; do
		if ((SECONDS >= deadline)); then
			say "pid $pid did not stop within ${NEO4J_STOP_TIMEOUT:-60}s; killing it"
			kill -KILL "$pid" 2>/dev/null || true
			break
		fi
		sleep 0.2
	done
	rm -f "$pidfile"
	say "down"
}

status() {
	local pid
	if pid=$(running_pid) && bolt_answers; then
		echo "up (pid $pid) NEO4J_URI=bolt://$host:$port"
		return 0
	fi
	echo "down"
	return 1
}

case ${1:-} in
up) up "${2:-}" ;;
down) down ;;
status) status ;;
*)
	echo "usage: $0 up [--wipe] | down | status" >&2
	exit 2
	;;
esac
