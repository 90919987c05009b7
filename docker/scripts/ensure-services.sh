#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis are reachable, then exports DATABASE_URL and REDIS_URL.
# Order: the URLs given in the environment → locally installed services (started if stopped)
# → apt-get install (Debian/Ubuntu, as root) → docker compose (when a Docker engine runs)
# → stop with a message saying what to install. Source it: `source docker/scripts/ensure-services.sh`.

_gx_log() { printf '\033[36m[services]\033[0m %s\n' "$*" >&2; }
_gx_fail() { printf '\033[31m[services] %s\033[0m\n' "$*" >&2; return 1; }

# host and port of a URL such as postgres://user@host:5432/db
_gx_host() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; echo "${rest%%:*}"; }
_gx_port() { local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; [[ "$rest" == *:* ]] && echo "${rest##*:}" || echo "$2"; }
_gx_reachable() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
_gx_wait() { local i; for i in $(seq 1 60); do _gx_reachable "$1" "$2" && return 0; sleep 0.5; done; return 1; }

_gx_apt_updated=0
_gx_apt_install() {
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then return 1; fi
  if [ "$_gx_apt_updated" = 0 ]; then _gx_log "apt-get update"; DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1; _gx_apt_updated=1; fi
  _gx_log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

_gx_start_local_postgres() {
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    local version cluster
    while read -r version cluster _; do
      _gx_log "starting PostgreSQL cluster $version/$cluster"
      pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start 2>/dev/null || pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
    done < <(pg_lsclusters -h)
    return 0
  fi
  if command -v service >/dev/null 2>&1 && [ -e /etc/init.d/postgresql ]; then service postgresql start >/dev/null 2>&1 && return 0; fi
  return 1
}

# A PostgreSQL we installed ourselves: let local TCP connections in without a password, like the
# project machines (trust for 127.0.0.1 only).
_gx_trust_local_postgres() {
  local hba
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    [ -f "$hba" ] || continue
    grep -q 'gongxiao-local-trust' "$hba" && continue
    sed -i '1i host all all 127.0.0.1/32 trust # gongxiao-local-trust\nhost all all ::1/128 trust # gongxiao-local-trust' "$hba"
  done
}

_gx_start_local_redis() {
  command -v redis-server >/dev/null 2>&1 || return 1
  _gx_log "starting redis-server on port $1"
  mkdir -p /tmp/gongxiao-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$1" --save "" --appendonly no --dir /tmp/gongxiao-redis --logfile /tmp/gongxiao-redis/redis.log >/dev/null
}

_gx_docker_compose() {
  command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 || return 1
  _gx_log "starting $* with docker compose"
  docker compose -f "$(dirname "${BASH_SOURCE[0]}")/../docker-compose.yml" up -d "$@" >/dev/null
}

gx_ensure_postgres() {
  local url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gongxiao}"
  local host port; host=$(_gx_host "$url"); port=$(_gx_port "$url" 5432)
  if _gx_reachable "$host" "$port"; then export DATABASE_URL="$url"; return 0; fi
  if [ -n "${DATABASE_URL:-}" ] && [ "$host" != 127.0.0.1 ] && [ "$host" != localhost ]; then
    _gx_fail "DATABASE_URL points at $host:$port, which does not answer. Start that PostgreSQL or unset DATABASE_URL to use a local one."
    return 1
  fi
  _gx_log "PostgreSQL is not answering on $host:$port"
  if _gx_start_local_postgres && _gx_wait "$host" "$port"; then export DATABASE_URL="$url"; return 0; fi
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && _gx_apt_install postgresql; then
    _gx_trust_local_postgres
    _gx_start_local_postgres
    if _gx_wait "$host" "$port"; then export DATABASE_URL="$url"; return 0; fi
  fi
  if _gx_docker_compose postgres && _gx_wait 127.0.0.1 5432; then
    export DATABASE_URL="postgres://postgres:postgres@127.0.0.1:5432/gongxiao"; sleep 2; return 0
  fi
  _gx_fail "No PostgreSQL available. Install PostgreSQL 15+ (Debian/Ubuntu: sudo apt-get install postgresql) and start it, or run Docker, or set DATABASE_URL=postgres://user:password@host:5432/gongxiao."
}

gx_ensure_redis() {
  local url="${REDIS_URL:-redis://127.0.0.1:6379}"
  local host port; host=$(_gx_host "$url"); port=$(_gx_port "$url" 6379)
  if _gx_reachable "$host" "$port"; then export REDIS_URL="$url"; return 0; fi
  if [ -n "${REDIS_URL:-}" ] && [ "$host" != 127.0.0.1 ] && [ "$host" != localhost ]; then
    _gx_fail "REDIS_URL points at $host:$port, which does not answer. Start that Redis or unset REDIS_URL to use a local one."
    return 1
  fi
  _gx_log "Redis is not answering on $host:$port"
  if _gx_start_local_redis "$port" && _gx_wait "$host" "$port"; then export REDIS_URL="$url"; return 0; fi
  if ! command -v redis-server >/dev/null 2>&1 && _gx_apt_install redis-server; then
    if _gx_start_local_redis "$port" && _gx_wait "$host" "$port"; then export REDIS_URL="$url"; return 0; fi
  fi
  if _gx_docker_compose redis && _gx_wait 127.0.0.1 6379; then export REDIS_URL="redis://127.0.0.1:6379"; return 0; fi
  _gx_fail "No Redis available. Install Redis 6.2+ (Debian/Ubuntu: sudo apt-get install redis-server) and start it, or run Docker, or set REDIS_URL=redis://host:6379."
}

gx_ensure_postgres && gx_ensure_redis && _gx_log "PostgreSQL ${DATABASE_URL%%\?*} and Redis $REDIS_URL are up"
