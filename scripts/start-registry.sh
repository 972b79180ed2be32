#!/bin/bash
# Local OCI registries for jsing's registry tests and benchmarks (run as root; idempotent):
#   127.0.0.1:5000  no authentication
#   127.0.0.1:5001  htpasswd basic authentication (user jsingtest, password jsingtest-pw)
#   127.0.0.1:5002  token authentication: Bearer tokens from http://127.0.0.1:5003/token, a token server that the
#                   tests run themselves (RegistryTokenServer), signing with $DIR/token.key (cert $DIR/token.crt)
# All plain HTTP, Debian's docker-registry (CNCF distribution). Installs docker-registry, skopeo, umoci and
# apache2-utils (htpasswd) when missing. State, logs and pid files in $JSING_REGISTRY_DIR (default
# /var/tmp/jsing-registry). `scripts/start-registry.sh stop` stops them.
set -euo pipefail
DIR=${JSING_REGISTRY_DIR:-/var/tmp/jsing-registry}

stop() {
  for name in plain basic token; do
    if [ -f "$DIR/$name.pid" ]; then
      pid=$(cat "$DIR/$name.pid")
      if kill -0 "$pid" 2>/dev/null && grep -q registry "/proc/$pid/cmdline" 2>/dev/null; then kill "$pid"; fi
      rm -f "$DIR/$name.pid"
    fi
  done
}

if [ "${1:-}" = stop ]; then stop; exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "start-registry.sh: run as root" >&2; exit 1; fi

missing=
for t in docker-registry:docker-registry skopeo:skopeo umoci:umoci htpasswd:apache2-utils openssl:openssl curl:curl; do
  command -v "${t%%:*}" >/dev/null 2>&1 || missing="$missing ${t#*:}"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

mkdir -p "$DIR"
chmod 755 "$DIR"
if [ ! -f "$DIR/htpasswd" ]; then
  htpasswd -Bbn jsingtest jsingtest-pw > "$DIR/htpasswd"
fi
if [ ! -f "$DIR/token.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=jsing-test-token-issuer \
    -keyout "$DIR/token.key.tmp" -out "$DIR/token.crt" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$DIR/token.key.tmp" -out "$DIR/token.key"
  rm -f "$DIR/token.key.tmp"
  chmod 600 "$DIR/token.key"
fi

start() { # name port auth-yaml
  local name=$1 port=$2 auth=$3
  if curl -s -o /dev/null -m 2 "http://127.0.0.1:$port/v2/"; then return 0; fi
  mkdir -p "$DIR/data-$name"
  cat > "$DIR/$name.yml" <<YML
version: 0.1
log:
  level: info
  fields:
    service: registry-$name
storage:
  filesystem:
    rootdirectory: $DIR/data-$name
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: jsing-test-$name
$auth
YML
  setsid docker-registry serve "$DIR/$name.yml" >> "$DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/$name.pid"
  for _ in $(seq 50); do
    if curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/v2/"; then return 0; fi
    sleep 0.2
  done
  echo "start-registry.sh: registry $name did not start; see $DIR/$name.log" >&2
  tail -5 "$DIR/$name.log" >&2
  exit 1
}

start plain 5000 ""
start basic 5001 "auth:
  htpasswd:
    realm: jsing-test
    path: $DIR/htpasswd"
start token 5002 "auth:
  token:
    realm: http://127.0.0.1:5003/token
    service: jsing-test-registry
    issuer: jsing-test-issuer
    rootcertbundle: $DIR/token.crt"
echo "registries on 127.0.0.1:5000 (open), :5001 (basic auth), :5002 (token auth); state in $DIR"
