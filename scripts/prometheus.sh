#!/usr/bin/env bash
# Debian's Prometheus (apt-get install prometheus) scraping the bot's METRICS_PORT, for a look at the metrics
# on Prometheus' own graph page. Not run by the tests.
#
#   scripts/prometheus.sh          scrape a bot already running with METRICS_PORT (default 9464) on this host
#   scripts/prometheus.sh --demo   also start the demo bot (npm start, METRICS_PORT set, throw-away data folder)
#                                  and a little load on it (scripts/demoLoad.ts)
#
# PROM_PORT (default 9099, beside the packaged service's 9090), METRICS_PORT, PORT (the bot's, default 3978).
# Ctrl-C stops everything this script started.
set -euo pipefail
cd "$(dirname "$0")/.."

PROMETHEUS=${PROMETHEUS:-$(command -v prometheus || true)}
if [[ -z "$PROMETHEUS" ]]; then
  echo "prometheus is not installed: sudo apt-get install prometheus (Debian/Ubuntu), or set PROMETHEUS=/path/to/prometheus" >&2
  exit 1
fi

METRICS_PORT=${METRICS_PORT:-9464}
PORT=${PORT:-3978}
PROM_PORT=${PROM_PORT:-9099}
work=$(mktemp -d -t lgb-prometheus-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

if [[ "${1:-}" == "--demo" ]]; then
  METRICS_PORT=$METRICS_PORT PORT=$PORT HOST=127.0.0.1 DATA_DIR="$work/bot-data" LOG_LEVEL=warn node scripts/start.mjs &
  pids+=($!)
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null || { echo "the demo bot did not start" >&2; exit 1; }
  # tsx itself, not through npx: npm exec does not pass the cleanup's SIGTERM on to it.
  node_modules/.bin/tsx scripts/demoLoad.ts "http://127.0.0.1:$PORT" 4 &
  pids+=($!)
fi

cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
scrape_configs:
  - job_name: lab-gallery-bot
    metrics_path: /metrics
    static_configs:
      - targets: ['127.0.0.1:$METRICS_PORT']
YAML

"$PROMETHEUS" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn &
pids+=($!)

query='sum by (command) (rate(labgallery_turns_total[1m]))'
encoded=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$query")
echo "Prometheus: http://127.0.0.1:$PROM_PORT/graph?g0.expr=$encoded&g0.tab=0&g0.range_input=15m"
echo "Targets:    http://127.0.0.1:$PROM_PORT/targets   (scraping 127.0.0.1:$METRICS_PORT/metrics)"
wait "${pids[-1]}"
