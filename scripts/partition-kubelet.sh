#!/usr/bin/env bash
# A partition hook for the offline suite on the local dev cluster: cuts the kubelet off from the API server and
# nothing else. The kubelet is moved into a cgroup v2 of its own (/edgebench-partition) and an iptables rule on
# loopback drops TCP to the API server port from sockets of that cgroup; the kubelet's established connections
# to the API server are aborted (ss -K) so that it must reconnect through the rule. Every other process — the
# harness, the control plane, the pods — keeps its connections. `heal` removes the rule and moves the kubelet back.
#   partition-kubelet.sh cut|heal|status [api-port (16443)]
# Exits non-zero with one line on stderr when something it needs is missing; `heal` is idempotent.
set -euo pipefail
ACTION="${1:-}"; PORT="${2:-16443}"
CG_ROOT=/sys/fs/cgroup/unified
[ -f /sys/fs/cgroup/cgroup.controllers ] && CG_ROOT=/sys/fs/cgroup   # pure cgroup v2 hosts
CG="$CG_ROOT/edgebench-partition"
TAG=edgebench-partition
die() { echo "partition-kubelet: $*" >&2; exit 1; }
command -v iptables >/dev/null || die "iptables not found"
command -v ss >/dev/null || die "ss (iproute2) not found"
kubelet_pid() { pgrep -xo kubelet || true; }
rule=(OUTPUT -o lo -p tcp --dport "$PORT" -m cgroup --path /edgebench-partition -m comment --comment "$TAG" -j DROP)

case "$ACTION" in
  cut)
    pid="$(kubelet_pid)"; [ -n "$pid" ] || die "no kubelet process"
    [ -d "$CG_ROOT" ] || die "no cgroup v2 hierarchy at $CG_ROOT"
    mkdir -p "$CG"
    echo "$pid" > "$CG/cgroup.procs"
    iptables -C "${rule[@]}" 2>/dev/null || iptables -I "${rule[@]}"
    # Abort the kubelet's live connections to the API server (only the kubelet's: by its pid).
    for sport in $(ss -tnpH state established "( dport = :$PORT )" | grep "pid=$pid," | awk '{print $3}' | sed 's/.*://'); do
      ss -K -tn state established "( sport = :$sport and dport = :$PORT )" >/dev/null
    done
    ;;
  heal)
    while iptables -C "${rule[@]}" 2>/dev/null; do iptables -D "${rule[@]}"; done
    if [ -d "$CG" ]; then
      for p in $(cat "$CG/cgroup.procs"); do echo "$p" > "$CG_ROOT/cgroup.procs" || true; done
      rmdir "$CG" 2>/dev/null || true
    fi
    ;;
  status)
    if iptables -C "${rule[@]}" 2>/dev/null; then echo cut; else echo healed; fi
    ;;
  *) die "usage: partition-kubelet.sh cut|heal|status [api-port]" ;;
esac
