#!/usr/bin/env bash
# Starts what the oci layer needs: containerd and dockerd (Debian's), each only if not already
# answering; applies the crun hugetlb fix only when crun fails with the hybrid-cgroup error.
# Idempotent; needs root. Logs: /var/log/edgebench/{containerd,dockerd}.log.
#   scripts/oci-daemons.sh          start (or confirm) everything
#   scripts/oci-daemons.sh status   print what answers, start nothing
set -euo pipefail
cd "$(dirname "$0")/.."

CONTAINERD_SOCK="${EDGEBENCH_CONTAINERD_SOCK:-/run/containerd/containerd.sock}"
DOCKER_HOST_SOCK="${EDGEBENCH_DOCKER_SOCK:-/var/run/docker.sock}"
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}" # Docker CLI 28 talking to Debian's dockerd 20.10
LOG_DIR=/var/log/edgebench
mkdir -p "$LOG_DIR"

containerd_up() { ctr -a "$CONTAINERD_SOCK" version >/dev/null 2>&1; }
docker_up() { docker -H "unix://$DOCKER_HOST_SOCK" version >/dev/null 2>&1; }

wait_for() { # wait_for NAME CHECK TIMEOUT_S
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if $2; then return 0; fi
    sleep 0.1
  done
  echo "oci-daemons: $1 did not come up within $3 s (see $LOG_DIR/$1.log)" >&2
  tail -5 "$LOG_DIR/$1.log" >&2 || true
  return 1
}

# crun 1.8 refuses cgroup "hybrid mode" while the cgroup2 hierarchy holds a controller (hugetlb on
# this VM). Probe crun with a real container; bind hugetlb to a v1 hierarchy only if that is the error.
crun_fix() {
  command -v crun >/dev/null || { echo "oci-daemons: crun not installed, skipping its check"; return 0; }
  local noop="wasm-fixtures/native/$(uname -m)/noop"
  [ -x "$noop" ] || { echo "oci-daemons: $noop missing (scripts/build-fixtures.sh), skipping crun check"; return 0; }
  local b id out rc
  b=$(mktemp -d /tmp/eb-crun-probe.XXXXXX)
  id="eb-probe-$$"
  mkdir -p "$b/rootfs"
  cp "$noop" "$b/rootfs/noop"
  (cd "$b" && crun spec >/dev/null)
  node -e 'const f=process.argv[1],c=JSON.parse(require("fs").readFileSync(f));c.process.args=["/noop"];c.process.terminal=false;require("fs").writeFileSync(f,JSON.stringify(c))' "$b/config.json"
  set +e
  out=$(crun run --bundle "$b" "$id" 2>&1 </dev/null)
  rc=$?
  set -e
  crun delete -f "$id" >/dev/null 2>&1 || true
  if [ $rc -ne 0 ] && grep -q "hybrid mode" <<<"$out"; then
    echo "oci-daemons: crun hit the hybrid-cgroup error; binding hugetlb to a cgroup v1 hierarchy"
    mkdir -p /sys/fs/cgroup/hugetlb
    mountpoint -q /sys/fs/cgroup/hugetlb || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
    set +e
    out=$(crun run --bundle "$b" "$id" 2>&1 </dev/null)
    rc=$?
    set -e
    crun delete -f "$id" >/dev/null 2>&1 || true
  fi
  rm -rf "$b"
  if [ $rc -ne 0 ]; then echo "oci-daemons: crun still fails (rc $rc): $out" >&2; return 1; fi
  echo "oci-daemons: crun runs containers"
}

if [ "${1:-}" = status ]; then
  containerd_up && echo "containerd: up ($CONTAINERD_SOCK)" || echo "containerd: down"
  docker_up && echo "dockerd: up ($DOCKER_HOST_SOCK)" || echo "dockerd: down"
  exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "oci-daemons: needs root" >&2; exit 2; }

crun_fix

if containerd_up; then
  echo "oci-daemons: containerd already up ($CONTAINERD_SOCK)"
elif command -v containerd >/dev/null; then
  mkdir -p "$(dirname "$CONTAINERD_SOCK")"
  setsid nohup containerd --address "$CONTAINERD_SOCK" >>"$LOG_DIR/containerd.log" 2>&1 </dev/null &
  wait_for containerd containerd_up 30
  echo "oci-daemons: containerd started ($CONTAINERD_SOCK)"
else
  echo "oci-daemons: containerd not installed" >&2
fi

if docker_up; then
  echo "oci-daemons: dockerd already up ($DOCKER_HOST_SOCK)"
elif command -v dockerd >/dev/null; then
  # No bridge and no iptables rules: edgebench's containers run with --network none.
  setsid nohup dockerd -H "unix://$DOCKER_HOST_SOCK" --containerd "$CONTAINERD_SOCK" --bridge none --iptables=false --ip6tables=false \
    >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
  wait_for dockerd docker_up 60
  echo "oci-daemons: dockerd started ($DOCKER_HOST_SOCK)"
else
  echo "oci-daemons: dockerd not installed" >&2
fi
