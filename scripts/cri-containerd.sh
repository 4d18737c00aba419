#!/usr/bin/env bash
# edgebench's own containerd with the CRI plugin, for the `cri` layer. Idempotent.
#
#   scripts/cri-containerd.sh up      start it (if not running), import the pause and workload images
#   scripts/cri-containerd.sh start   start it without importing images
#   scripts/cri-containerd.sh down    remove edgebench's CRI pods, stop it (keeps its root dir)
#   scripts/cri-containerd.sh purge   down, then delete its root and state dirs
#   scripts/cri-containerd.sh status  say whether it runs and which handlers/images it has
#
# Everything is its own: config, root, state, sockets, runc roots, CNI config dir. It never touches
# a system containerd (/run/containerd) or another instance. Paths can be moved with the env vars
# below (EDGEBENCH_CRI_RUN, EDGEBENCH_CRI_LIB). Needs root, containerd, runc; crun is configured as
# a second runtime handler when it runs containers here; handler "wasmedge" is runwasi's
# containerd-shim-wasmedge-v1 when it is on PATH, else the crun+WasmEdge build of
# scripts/build-runtimes.sh (crun-1.8.1-wasmedge) when present (scripts/lib/wasmedge-handler.sh).
# `up` on a running containerd whose config would change (e.g. the crun+WasmEdge build appeared)
# restarts containerd with the new config; its pods keep running (their shims outlive it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

RUN_DIR=${EDGEBENCH_CRI_RUN:-/run/edgebench/cri}
LIB_DIR=${EDGEBENCH_CRI_LIB:-/var/lib/edgebench/cri}
SOCK=$RUN_DIR/containerd.sock
CONFIG=$LIB_DIR/config.toml
LOG=$LIB_DIR/containerd.log
PIDFILE=$RUN_DIR/containerd.pid
NETD=$LIB_DIR/net.d
PAUSE_IMAGE=${EDGEBENCH_CRI_PAUSE_IMAGE:-edgebench.local/pause:serve}
# CNI bridge for pods that ask for their own network namespace (host-network pods do not use it).
CNI_BRIDGE=ebcri0
CNI_SUBNET=${EDGEBENCH_CRI_SUBNET:-10.231.0.0/16}

log() { echo "cri-containerd: $*"; }
die() { echo "cri-containerd: $*" >&2; exit 2; }

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (containerd needs it)"; }

# shellcheck source=lib/pidfile.sh
. scripts/lib/pidfile.sh
running() { pidfile_alive "$PIDFILE" "$CONFIG" && [ -S "$SOCK" ]; }

ctr_() { ctr --address "$SOCK" --namespace k8s.io "$@"; }

# shellcheck source=lib/wasmedge-handler.sh
. scripts/lib/wasmedge-handler.sh

# Runtime handler blocks: runc always; crun when present; wasmedge as wasmedge_handler_detect chose.
runtime_blocks() {
  local p='plugins."io.containerd.grpc.v1.cri".containerd.runtimes'
  # runc-v2 shim handlers named after their OCI runtime binary (runc is a dependency, crun optional).
  local oci
  for oci in runc crun; do
    command -v "$oci" >/dev/null || continue
    cat <<EOF
    [$p.$oci]
      runtime_type = "io.containerd.runc.v2"
      [$p.$oci.options]
        BinaryName = "$(command -v "$oci")"
        Root = "$RUN_DIR/$oci"
EOF
  done
  wasmedge_handler_toml "$p" "$RUN_DIR/wasmedge"
}

# Writes the config to $CONFIG.new (start() moves it into place).
write_config() {
  mkdir -p "$LIB_DIR/root" "$RUN_DIR/state" "$NETD" "$LIB_DIR/opt"
  local cni_bin=/usr/lib/cni
  [ -d "$cni_bin" ] || cni_bin=/opt/cni/bin
  cat >"$CONFIG.new" <<EOF
# Written by scripts/cri-containerd.sh: edgebench's own containerd, CRI plugin enabled.
version = 2
root = "$LIB_DIR/root"
state = "$RUN_DIR/state"
oom_score = 0

[grpc]
  address = "$SOCK"

[ttrpc]
  address = "$RUN_DIR/containerd.sock.ttrpc"

[debug]
  address = "$RUN_DIR/debug.sock"
  level = "${EDGEBENCH_CRI_LOG_LEVEL:-info}"

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$LIB_DIR/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$PAUSE_IMAGE"
    # The VM lacks CAP_SYS_RESOURCE: CRI's default -998 for sandboxes fails (field notes).
    restrict_oom_score_adj = true
    disable_tcp_service = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    enable_selinux = false
    disable_apparmor = true
    max_container_log_line_size = 16384
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$cni_bin"
    conf_dir = "$NETD"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    discard_unpacked_layers = false
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes]
$(runtime_blocks)
EOF
}

# A bridge + host-local network of our own for pods that do not use the host network.
write_cni() {
  if [ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ]; then
    cat >"$NETD/10-edgebench.conflist.new" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "edgebench-cri",
  "plugins": [
    { "type": "bridge", "bridge": "$CNI_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": false,
      "ipam": { "type": "host-local", "ranges": [[{ "subnet": "$CNI_SUBNET" }]],
                "dataDir": "$LIB_DIR/cni-ipam" } },
    { "type": "loopback" }
  ]
}
EOF
    mv "$NETD/10-edgebench.conflist.new" "$NETD/10-edgebench.conflist"
  else
    rm -f "$NETD/10-edgebench.conflist"
    log "no CNI plugins in /usr/lib/cni (Debian containernetworking-plugins): host-network pods only"
  fi
}

start() {
  need_root
  command -v containerd >/dev/null || die "containerd not installed (scripts/install-deps.sh installs it)"
  command -v runc >/dev/null || die "runc not installed (scripts/install-deps.sh installs it)"
  wasmedge_handler_detect
  log "$WASMEDGE_WHY"
  if command -v crun >/dev/null || [ "$WASMEDGE_HANDLER" = crun ]; then crun_fix_hugetlb; fi
  mkdir -p "$RUN_DIR" "$LIB_DIR"
  write_config
  if running; then
    if cmp -s "$CONFIG.new" "$CONFIG"; then
      rm -f "$CONFIG.new"
      log "already running (pid $(pidfile_pid "$PIDFILE"), socket $SOCK)"
      return 0
    fi
    # Only the daemon stops: pods and their shims stay, and containerd's CRI recovers them when it is back.
    local pid
    pid=$(pidfile_pid "$PIDFILE")
    log "config changed ($(diff "$CONFIG" "$CONFIG.new" | grep -c '^[<>]' || true) line(s)): restarting containerd (pid $pid) with it; running pods keep their shims"
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$PIDFILE"
  fi
  mv "$CONFIG.new" "$CONFIG"
  write_cni
  rm -f "$SOCK"
  # containerd holds ~11 fds per pod (shim connections, fifos): its open-files limit caps density.
  # Raise it as containerd's systemd unit does; without CAP_SYS_RESOURCE the hard limit stays.
  ulimit -n 1048576 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  log "containerd RLIMIT_NOFILE $(ulimit -n) (≈ $(( $(ulimit -n) / 11 )) pods at ~11 fds each)"
  # setsid: its own session, so it outlives the calling shell and no terminal signal reaches it.
  setsid containerd --config "$CONFIG" >>"$LOG" 2>&1 </dev/null &
  pidfile_write "$PIDFILE" $!
  for _ in $(seq 1 100); do
    if [ -S "$SOCK" ] && ctr --address "$SOCK" version >/dev/null 2>&1; then
      log "containerd $(containerd --version | awk '{print $3}') up: socket $SOCK, log $LOG"
      return 0
    fi
    pidfile_alive "$PIDFILE" "$CONFIG" || { tail -20 "$LOG" >&2; die "containerd exited at start (log above)"; }
    sleep 0.1
  done
  tail -20 "$LOG" >&2
  die "containerd did not answer on $SOCK within 10 s"
}

# Builds the pause image from the static `serve` fixture (it blocks in pause() until killed) with
# edgebench's own image builder, and imports it. Workload images are imported by the cri target.
images() {
  local dir=$LIB_DIR/images name=${PAUSE_IMAGE%:*} tag=${PAUSE_IMAGE##*:}
  [ -f dist/src/cli/main.js ] || npm run build >/dev/null || die "dist/ not built and npm run build failed"
  # Listings are captured before grep: under pipefail, `ctr … | grep -q` fails when grep exits first (SIGPIPE).
  local listed
  listed=$(ctr_ images ls -q)
  if grep -qx "$PAUSE_IMAGE" <<<"$listed"; then
    log "sandbox image $PAUSE_IMAGE present"
    return 0
  fi
  mkdir -p "$dir"
  node dist/src/cli/main.js image build serve --kind native --name "$name" --tag "$tag" --out "$dir" >/dev/null
  ctr_ images import "$dir/${name//\//_}_$tag.tar" >/dev/null
  listed=$(ctr_ images ls -q)
  grep -qx "$PAUSE_IMAGE" <<<"$listed" || die "import of $PAUSE_IMAGE failed"
  log "sandbox image $PAUSE_IMAGE imported (built from wasm-fixtures serve)"
}

stop() {
  if ! running; then
    rm -f "$PIDFILE"
    log "not running"
    return 0
  fi
  # Pods of edgebench runs first (labelled edgebench.run), so no shim outlives its containerd.
  if [ -f dist/src/targets/cri/cleanup.js ]; then
    EDGEBENCH_CRI_SOCKET=$SOCK node --input-type=module -e "
      const m = await import('./dist/src/targets/cri/cleanup.js');
      for (const l of m.describeCriCleanup(await m.cleanupCri(null, { all: true }))) console.log('cri-containerd: ' + l);" || true
  fi
  local pid
  pid=$(pidfile_pid "$PIDFILE")
  kill "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$PIDFILE" "$SOCK"
  log "stopped"
}

status() {
  if running; then
    log "running (pid $(pidfile_pid "$PIDFILE")), socket $SOCK"
    log "runtime handlers: $(grep -o 'containerd\.runtimes\.[A-Za-z0-9_-]*\]' "$CONFIG" | sed 's/.*runtimes\.//; s/\]$//' | tr '\n' ' ')"
    ctr_ images ls -q | grep '^edgebench.local/' | sed 's/^/  image /'
  else
    log "not running"
    return 1
  fi
}

case "${1:-}" in
  up) start; images ;;
  start) start ;;
  down) stop ;;
  purge)
    stop
    # Unmount anything of ours still mounted (overlay snapshots, shm), deepest first, then delete.
    { grep -E " ($LIB_DIR|$RUN_DIR)/" /proc/self/mounts || true; } | awk '{print $2}' | sort -r | while read -r m; do umount -l "$m" || true; done
    rm -rf "$LIB_DIR" "$RUN_DIR"
    ip link del "$CNI_BRIDGE" 2>/dev/null || true
    log "purged $LIB_DIR and $RUN_DIR"
    ;;
  status) status ;;
  *) die "usage: $0 up|start|down|purge|status" ;;
esac; exit $?  # on the line of esac: bash has read all it runs, so editing this file meanwhile is harmless
