#!/usr/bin/env bash
# Build deploy/Dockerfile with podman and start the image as an operator would: the migration
# as a one-off container, then `mutual run`, against PostgreSQL on this host and a local Web API
# double (tests/support/slack_double.py). Checks /healthz from outside, the image's own
# HEALTHCHECK, the user it runs as, a signed /thanks, `mutual export`, and a clean stop on
# SIGTERM. Run from anywhere, as root, with the project's .venv in place:
#   deploy/try-image.sh
# PGHOST/PGPORT/PGUSER (default 127.0.0.1/5432/postgres, trust auth) name the PostgreSQL server.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PY:-$ROOT/.venv/bin/python}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
IMAGE=localhost/mutual:try
NAME=mutual-try
DB=mutual_try_image
DATABASE_URL="postgresql+psycopg://${PGUSER}@${PGHOST}:${PGPORT}/${DB}"
BASE=docker.io/library/python:3.11-slim
STAND_IN=localhost/mutual-python-base:3.11-bookworm
WORK=$(mktemp -d)
PODMAN=(podman)
LIMITS=()                            # rlimits this host needs set (see below)

say() { printf '\n== %s\n' "$*"; }
# podman schedules the image's HEALTHCHECK with systemd timers; without systemd (containers,
# sandboxes) it says so on every start and stop. `podman healthcheck run` below runs the check.
pm() { "${PODMAN[@]}" "$@" 2> >(grep -v 'unable to get systemd connection' >&2); }

cleanup() {
  "${PODMAN[@]}" rm -f "$NAME" >/dev/null 2>&1 || true
  [[ -n "${DOUBLE_PID:-}" ]] && kill "$DOUBLE_PID" 2>/dev/null || true
  dropdb --if-exists --force "$DB" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

say "podman $(podman version --format '{{.Client.Version}}'), $(uname -sr)"

say "base image"
if "${PODMAN[@]}" image exists "$BASE" || "${PODMAN[@]}" pull -q "$BASE" >/dev/null 2>"$WORK/pull.err"; then
  echo "using $BASE"
else
  # No registry reachable: build a stand-in from Debian bookworm's own Python 3.11 (the same
  # Debian release and Python minor version python:3.11-slim is made from).
  echo "cannot pull $BASE: $(tail -n 1 "$WORK/pull.err")"
  if ! "${PODMAN[@]}" image exists "$STAND_IN"; then
    echo "building the stand-in $STAND_IN with debootstrap from deb.debian.org"
    debootstrap --variant=minbase --include=python3,python3-venv,python-is-python3,ca-certificates \
      bookworm "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log"
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
    tar -C "$WORK/rootfs" -c . | "${PODMAN[@]}" import -q \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'CMD ["python3"]' - "$STAND_IN" >/dev/null
  fi
  BASE=$STAND_IN
  echo "using $BASE"
fi

say "can podman start a container here?"
if "${PODMAN[@]}" run --rm "$BASE" true 2>"$WORK/run.err"; then
  echo "yes, with podman's defaults"
else
  # Sandboxes without CAP_SYS_RESOURCE and with hybrid cgroups: crun refuses podman's default
  # rlimits and the cgroup layout; runc with lower rlimits starts containers.
  echo "no: $(tail -n 1 "$WORK/run.err")"
  PODMAN=(podman --runtime runc)
  LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
  "${PODMAN[@]}" run --rm "${LIMITS[@]}" "$BASE" true
  echo "yes, with: ${PODMAN[*]} ${LIMITS[*]}"
fi
RUN_OPTS=(--network host "${LIMITS[@]}")
echo "$("${PODMAN[@]}" run --rm "${RUN_OPTS[@]}" "$BASE" python --version) in $BASE"

say "build"
BUILD_OPTS=(--format docker --build-arg "PYTHON_IMAGE=$BASE" --network host)
# This host reaches PyPI through a TLS-inspecting proxy: lend the build its CA bundle and pip
# settings (mounted for the RUN steps only, never copied into the image).
[[ -f /etc/pip.conf ]] && BUILD_OPTS+=(-v /etc/pip.conf:/etc/pip.conf:ro)
BUILD_OPTS+=(-v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro)
started=$(date +%s)
"${PODMAN[@]}" build "${BUILD_OPTS[@]}" "${LIMITS[@]}" -f "$ROOT/deploy/Dockerfile" -t "$IMAGE" "$ROOT" \
  >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log"; exit 1; }
echo "built $IMAGE in $(( $(date +%s) - started )) s; $(grep -c '^\[.*STEP' "$WORK/build.log") steps"
"${PODMAN[@]}" image inspect "$IMAGE" --format \
  'size {{.Size}} bytes; user {{.Config.User}}; cmd {{.Config.Cmd}}; exposed {{.Config.ExposedPorts}}
healthcheck {{.Config.Healthcheck.Test}} every {{.Config.Healthcheck.Interval}}'

say "PostgreSQL database $DB on $PGHOST:$PGPORT, Web API double"
dropdb --if-exists --force "$DB" 2>/dev/null
createdb "$DB"
(cd "$ROOT" && exec "$PY" - "$WORK/api_url" <<'EOF') &
import signal, sys
from tests.support.slack_double import SlackDouble
double = SlackDouble().start()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(double.api_url)
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
signal.sigwait({signal.SIGTERM, signal.SIGINT})
double.stop()
EOF
DOUBLE_PID=$!
for _ in $(seq 100); do [[ -f "$WORK/api_url" ]] && break; sleep 0.1; done
API_URL=$(cat "$WORK/api_url")
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "double at $API_URL; the app will listen on $PORT"
ENV=(-e "DATABASE_URL=$DATABASE_URL" -e "SLACK_BOT_TOKEN=xoxb-try" -e "SLACK_SIGNING_SECRET=try-secret"
     -e "SLACK_API_URL=$API_URL" -e "PORT=$PORT")

say "mutual db upgrade (one-off container)"
pm run --rm "${RUN_OPTS[@]}" "${ENV[@]}" "$IMAGE" mutual db upgrade

say "mutual run (detached; read-only root, no capabilities, as deploy/k8s runs it)"
pm run -d --name "$NAME" "${RUN_OPTS[@]}" "${ENV[@]}" --read-only --cap-drop ALL \
  --security-opt no-new-privileges "$IMAGE" >/dev/null
for _ in $(seq 300); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >"$WORK/health" 2>/dev/null && break
  [[ "$("${PODMAN[@]}" inspect "$NAME" --format '{{.State.Running}}')" == true ]] || break
  sleep 0.1
done
echo "GET /healthz from the host: $(cat "$WORK/health" 2>/dev/null || echo 'no answer')"
"${PODMAN[@]}" healthcheck run "$NAME" && echo "image HEALTHCHECK: $("${PODMAN[@]}" inspect "$NAME" --format '{{.State.Health.Status}}')"
echo "runs as: $("${PODMAN[@]}" exec "$NAME" id)"

say "a signed /thanks through the container"
(cd "$ROOT" && "$PY" - "$PORT" <<'EOF')
import json, sys, urllib.request
from tests.support.payloads import command, signed_headers
body = command("/thanks", "<@UBOB> for shipping the image")
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/slack/events", data=body.encode(),
                                 headers=signed_headers(body, secret="try-secret"), method="POST")
with urllib.request.urlopen(request, timeout=10) as reply:
    print(reply.status, json.loads(reply.read())["text"][:80])
EOF
pm run --rm "${RUN_OPTS[@]}" "${ENV[@]}" "$IMAGE" mutual export --team T0001 --format csv

say "stop (SIGTERM)"
pm stop -t 20 "$NAME" >/dev/null
echo "exit code $("${PODMAN[@]}" inspect "$NAME" --format '{{.State.ExitCode}}'); last log lines:"
"${PODMAN[@]}" logs "$NAME" 2>&1 | tail -n 4
if "${PODMAN[@]}" logs "$NAME" 2>&1 | grep -q Traceback; then echo "FAIL: a traceback was logged"; exit 1; fi
say "PASS"
