#!/bin/sh
# Entry point of the mosquitto container in docker-compose.yml: waits for the platform's first write of the password
# file and ACL (Mqtt:External:Sync), starts mosquitto, and sends it SIGHUP whenever either file changes, so a new,
# rotated or revoked device account applies within about a second. (Outside containers the platform signals mosquitto
# itself through its pid file.) On SIGHUP mosquitto re-checks connected clients and drops one whose account is gone.
set -eu
accounts=/mosquitto/accounts
mkdir -p /mosquitto/run
until [ -s "$accounts/passwd" ] && [ -f "$accounts/acl" ]; do
  echo "waiting for the platform to write $accounts/passwd and acl"
  sleep 1
done
mosquitto -c /mosquitto/config/mosquitto.conf &
pid=$!
trap 'kill -TERM "$pid"; wait "$pid"; exit 0' TERM INT
last=$(cat "$accounts/passwd" "$accounts/acl" | md5sum)
while kill -0 "$pid" 2>/dev/null; do
  sleep 1
  now=$(cat "$accounts/passwd" "$accounts/acl" 2>/dev/null | md5sum)
  if [ "$now" != "$last" ]; then
    last=$now
    kill -HUP "$pid"
  fi
done
wait "$pid"
