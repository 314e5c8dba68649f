#!/usr/bin/env bash
# A local PowerDNS Authoritative Server as coopreg's hidden primary for `coop.` (issue 12).
#   scripts/pdns.sh start <dir> <dns-port> <api-port> [api-key]   create (once) and start
#   scripts/pdns.sh stop <dir>                                     stop the server started in <dir>
# <dir> holds the SQLite database (pdns.sqlite3), the pid file and the log. The zone `coop.` is
# created on first start and signed by PowerDNS (`pdnsutil secure-zone`: live signing, NSEC3
# off, keys in the database). The HTTP API listens on 127.0.0.1:<api-port> with the key given
# (default "dev-pdns-key"); DNS on 127.0.0.1:<dns-port> (UDP and TCP). The packet and query
# caches are off, so a change through the API is answered at once.
# PowerDNS comes from Debian (pdns-server, pdns-backend-sqlite3), installed by scripts/setup.sh.
set -euo pipefail
cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop <dir> [dns-port api-port [api-key]]" >&2; exit 2; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
db="$dir/pdns.sqlite3"

case "$cmd" in
  start)
    dns_port="${3:?dns port}"; api_port="${4:?api port}"; key="${5:-dev-pdns-key}"
    command -v pdns_server >/dev/null || { echo "pdns_server is missing: run scripts/setup.sh" >&2; exit 1; }
    if [ -f "$dir/pdns.pid" ] && kill -0 "$(cat "$dir/pdns.pid")" 2>/dev/null; then
      echo "PowerDNS already runs in $dir (pid $(cat "$dir/pdns.pid"))" >&2; exit 0
    fi
    schema=/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
    [ -f "$schema" ] || schema=/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql
    # The configuration: only what is given here (no /etc/powerdns), one file in <dir>.
    cat > "$dir/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$db
gsqlite3-dnssec=yes
local-address=127.0.0.1
local-port=$dns_port
api=yes
api-key=$key
webserver=yes
webserver-address=127.0.0.1
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
socket-dir=$dir
guardian=no
daemon=no
disable-syslog=yes
log-dns-queries=no
loglevel=4
default-soa-content=ns1.coop. hostmaster.coop. 0 10800 3600 604800 300
zone-cache-refresh-interval=0
consistent-backends=yes
# No caches: a hidden primary answers few queries, and an answer cached between the API's
# cache purge and its commit could hide a change for up to a minute.
cache-ttl=0
negquery-cache-ttl=0
query-cache-ttl=0
CONF
    chmod 600 "$dir/pdns.conf"
    if [ ! -f "$db" ]; then
      exec 3>&2 2>>"$dir/pdns.log"
      sqlite3 "$db" < "$schema"
      pdnsutil --config-dir="$dir" create-zone coop. ns1.coop. >/dev/null
      pdnsutil --config-dir="$dir" add-record coop. ns1 A 127.0.0.1 >/dev/null
      pdnsutil --config-dir="$dir" secure-zone coop. >/dev/null
      # Changes through the API rectify the zone (DNSSEC ordering, delegation flags) and
      # raise the SOA serial.
      pdnsutil --config-dir="$dir" set-meta coop. API-RECTIFY 1 >/dev/null
      pdnsutil --config-dir="$dir" set-meta coop. SOA-EDIT-API DEFAULT >/dev/null
      pdnsutil --config-dir="$dir" rectify-zone coop. >/dev/null
      exec 2>&3 3>&-
    fi
    nohup pdns_server --config-dir="$dir" > "$dir/pdns.log" 2>&1 < /dev/null &
    echo $! > "$dir/pdns.pid"
    for _ in $(seq 1 100); do
      if curl -sf -H "X-API-Key: $key" "http://127.0.0.1:$api_port/api/v1/servers/localhost/zones/coop." >/dev/null 2>&1; then
        exit 0
      fi
      kill -0 "$(cat "$dir/pdns.pid")" 2>/dev/null || { echo "pdns_server exited:" >&2; cat "$dir/pdns.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "pdns_server did not answer on port $api_port:" >&2; cat "$dir/pdns.log" >&2; exit 1
    ;;
  stop)
    if [ -f "$dir/pdns.pid" ]; then
      pid=$(cat "$dir/pdns.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/pdns.pid"
    fi
    ;;
  *) echo "usage: $0 start|stop <dir> [dns-port api-port [api-key]]" >&2; exit 2 ;;
esac
