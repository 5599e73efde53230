# shellcheck shell=bash
# Shared by scripts/demo, scripts/test and .ci/run: the virtual environment, the local
# PostgreSQL and Redis, and Debian packages. Source it; it defines functions only.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

say() { printf '==> %s\n' "$*"; }
warn() { printf 'OBS: %s\n' "$*" >&2; }
die() { printf 'FEL: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# Every installed distribution at exactly the version in requirements.lock, nothing
# unpinned besides the project itself and the packaging tools. Prints the differences.
lock_differences() {
    "$PY" - "$ROOT/requirements.lock" <<'PYTHON'
import re
import sys
from importlib import metadata


def key(name):
    return re.sub(r"[-_.]+", "-", name).lower()


locked = {}
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if line and not line.startswith("-"):
        name, _, version = line.partition("==")
        locked[key(name.split("[", 1)[0])] = version.strip()
installed = {key(d.metadata["Name"]): d.version for d in metadata.distributions()}
for name in sorted(set(locked) | set(installed)):
    if name in {"pip", "setuptools", "wheel", "samverkansportalen"}:
        continue
    want, have = locked.get(name), installed.get(name)
    if want != have:
        print(f"  {name}: låst {want or '(saknas i låsfilen)'}, installerad {have or '(saknas)'}")
PYTHON
}

# Create .venv with Python 3.11 if missing and install exactly the locked versions.
ensure_venv() {
    command -v python3.11 >/dev/null 2>&1 \
        || die "Python 3.11 saknas. Installera den (Debian: apt-get install python3.11 python3.11-venv) och kör igen."
    if [ ! -x "$PY" ]; then
        say "Skapar den virtuella Python-miljön i .venv"
        python3.11 -m venv "$VENV" || die "Kunde inte skapa .venv (Debian: apt-get install python3.11-venv)."
    fi
    "$PY" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
        || die ".venv är inte skapad med Python 3.11. Ta bort katalogen .venv och kör igen."
    if [ -z "$(lock_differences)" ] && [ -e "$VENV/.samverkan-installed" ]; then
        say "Python-paketen är redan installerade enligt requirements.lock"
        return
    fi
    say "Installerar Python-paketen enligt requirements.lock (första gången tar det några minuter)"
    # The lock pins every package of the environment, the dependencies of the project
    # and its dev extras included: installing it with the project makes pip resolve
    # to exactly those versions (and it brings the test tools the lock adds).
    local log="$VENV/pip-install.log"
    if ! (cd "$ROOT" && "$PY" -m pip install --quiet --requirement requirements.lock \
            --constraint requirements.lock --editable ".[dev]") >"$log" 2>&1; then
        cat "$log" >&2
        die "Installationen av Python-paketen misslyckades (se ovan)."
    fi
    local differences
    differences="$(lock_differences)"
    if [ -n "$differences" ]; then
        printf '%s\n' "$differences" >&2
        die "De installerade paketen stämmer inte med requirements.lock (se ovan)."
    fi
    touch "$VENV/.samverkan-installed"
    say "Python-paketen är installerade"
}

# host and port of a service URL, e.g. "127.0.0.1 5432"
url_host_port() {
    python3 - "$1" "$2" <<'PYTHON'
import sys
from urllib.parse import urlsplit

parts = urlsplit(sys.argv[1])
print(parts.hostname or "127.0.0.1", parts.port or sys.argv[2])
PYTHON
}

port_open() {
    python3 - "$1" "$2" <<'PYTHON'
import socket
import sys

try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)
PYTHON
}

is_local_host() { case "$1" in 127.0.0.1 | localhost | ::1) return 0 ;; *) return 1 ;; esac; }

postgres_version() { ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1; }

start_postgres() {
    local version
    version="$(postgres_version)"
    [ -n "$version" ] && command -v pg_ctlcluster >/dev/null 2>&1 || return 1
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

start_redis() {
    command -v redis-server >/dev/null 2>&1 || return 1
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
}

# Start the local PostgreSQL and Redis (on their standard ports) if they do not answer
# and we may (root); otherwise leave it to check_services to say what is down and how
# to start it.
ensure_services() {
    local host port i
    read -r host port < <(url_host_port "${DATABASE_URL:-postgres://127.0.0.1:5432/samverkan}" 5432)
    if [ "$port" = 5432 ] && is_local_host "$host" && is_root && ! port_open "$host" "$port"; then
        say "Startar PostgreSQL"
        start_postgres || warn "Kunde inte starta PostgreSQL automatiskt."
        for i in $(seq 1 30); do port_open "$host" "$port" && break; sleep 0.5; done
    fi
    read -r host port < <(url_host_port "${REDIS_URL:-redis://127.0.0.1:6379/0}" 6379)
    if [ "$port" = 6379 ] && is_local_host "$host" && is_root && ! port_open "$host" "$port"; then
        say "Startar Redis"
        start_redis || warn "Kunde inte starta Redis automatiskt."
        for i in $(seq 1 30); do port_open "$host" "$port" && break; sleep 0.5; done
    fi
}

debian_package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Install the Debian packages given if any is missing (as root), or say how to.
ensure_debian_packages() {
    command -v dpkg-query >/dev/null 2>&1 || {
        warn "Inte ett Debian-system: se till att följande finns installerat: $*"
        return 0
    }
    local missing=() package
    for package in "$@"; do
        debian_package_installed "$package" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    is_root || die "Debianpaket saknas: ${missing[*]}. Installera dem med: sudo apt-get install ${missing[*]}"
    say "Installerar Debianpaket: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} misslyckades."
}
