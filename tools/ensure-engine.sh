#!/usr/bin/env bash
# Makes sure a Docker engine answers on the default socket.
# On Linux with apt, as root (CI, fresh dev machines): installs Debian's docker.io
# and starts dockerd in the background. Elsewhere: says how to get Docker.
set -euo pipefail

answers() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && answers; then
  echo "ensure-engine: Docker engine $(docker version --format '{{.Server.Version}}') answers"
  exit 0
fi

if [ "$(uname -s)" != "Linux" ] || [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-engine: no Docker engine answers. Install Docker (https://docs.docker.com/engine/install/)" >&2
  echo "ensure-engine: or Docker Desktop, start it, and check that 'docker version' shows a Server section." >&2
  exit 2
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-engine: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi
if ! command -v docker >/dev/null 2>&1; then
  echo "ensure-engine: no docker CLI after install" >&2; exit 2
fi

log=/var/log/foamps-dockerd.log
echo "ensure-engine: starting dockerd (log: $log)"
# setsid: the engine must outlive the shell that started it.
setsid nohup dockerd >"$log" 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if answers; then
    echo "ensure-engine: Docker engine $(docker version --format '{{.Server.Version}}') answers"
    exit 0
  fi
  sleep 1
done
echo "ensure-engine: dockerd did not answer within 60 s; last lines of $log:" >&2
tail -n 20 "$log" >&2
exit 2
