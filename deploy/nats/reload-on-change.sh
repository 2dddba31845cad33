#!/bin/sh
# Entry point of the nats container in docker-compose.yml: waits for the platform's first write of the users file
# (Mqtt:Nats:Sync), starts nats-server, and asks it to reload whenever the file changes, so a new, rotated or revoked
# device applies within about a second. (Outside containers the platform signals nats-server itself through its pid
# file.) A stop is passed on as SIGUSR2, lame duck: see nats.conf.
set -eu
users=/etc/nats/accounts/auth.conf
mkdir -p /nats/run
until [ -s "$users" ]; do
  echo "waiting for the platform to write $users"
  sleep 1
done
nats-server -c /etc/nats/nats.conf &
pid=$!
trap 'kill -USR2 "$pid"; wait "$pid"; exit 0' USR2 TERM INT
last=$(md5sum < "$users")
while kill -0 "$pid" 2>/dev/null; do
  sleep 1
  now=$(md5sum < "$users" 2>/dev/null || true)
  if [ "$now" != "$last" ]; then
    last=$now
    kill -HUP "$pid"
  fi
done
wait "$pid"
