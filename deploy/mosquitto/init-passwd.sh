#!/bin/sh
# One-shot (service mosquitto-passwd in docker-compose.yml): puts the platform's service account into the password
# file, keeping any device entries already there. Device entries are added by an operator (docs/architecture.md).
set -eu
file=/mosquitto/passwd/passwd
[ -n "${MQTT_SERVICE_PASSWORD:-}" ] || { echo "MQTT_SERVICE_PASSWORD is not set (see .env.example)" >&2; exit 1; }
touch "$file"
mosquitto_passwd -b "$file" telehealth-platform "$MQTT_SERVICE_PASSWORD"
chown mosquitto:mosquitto "$file"
chmod 0600 "$file"
echo "password file ready: $(wc -l < "$file") account(s)"
