#!/usr/bin/env bash
# The test command (README): installs the real servers the tests talk to, builds, runs every test project,
# and ends with one line "N passed, N failed". Exit code 0 only when everything passed.
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v influxd >/dev/null 2>&1 || need+=(influxdb)
[ -x /usr/bin/chromium ] || need+=(chromium)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need+=(python3-aiosmtpd)
command -v socat >/dev/null 2>&1 || need+=(socat)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
[ -x /usr/bin/redis-server ] || need+=(redis-server)
[ -x /usr/sbin/nats-server ] || need+=(nats-server)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing test servers: ${need[*]}"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null || { echo "apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
fi

results="$(pwd)/TestResults"
rm -rf "$results"
dotnet restore Telehealth.sln --nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
dotnet build Telehealth.sln --no-restore --nologo -v q -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

status=0
for project in tests/Telehealth.Tests tests/Telehealth.Integration.Tests tests/Telehealth.Browser.Tests; do
  name=$(basename "$project")
  dotnet test "$project" --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" "$@" || status=1
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done
count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [ "$count" -lt 3 ]; then
  # A test project that crashed before writing its results counts as a failure, never as silence.
  failed=$((failed + 3 - count)); status=1
fi
[ "$failed" -gt 0 ] && status=1
# Name every failed test just above the summary, with the first lines of its message, so a log's tail alone says
# what failed and why.
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  awk '
    /<UnitTestResult / { failed = ($0 ~ /outcome="(Failed|Error|Timeout|Aborted)"/); inmsg = 0; lines = 0
                         if (failed && match($0, /testName="[^"]*"/)) print "FAILED: " substr($0, RSTART + 10, RLENGTH - 11) }
    failed && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
    failed && inmsg { end = sub(/<\/Message>.*/, ""); if (lines < 6) print "  | " substr($0, 1, 300); lines++; if (end) inmsg = 0 }
  ' "$trx" | sed 's/&quot;/"/g; s/&apos;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g; s/&#xD;//g; s/&#xA;/ /g; s/&amp;/\&/g'
done
echo "$passed passed, $failed failed"
exit $status
