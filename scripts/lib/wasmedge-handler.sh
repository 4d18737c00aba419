# Shared by scripts/cri-containerd.sh and scripts/dev-cluster.sh (sourced; expects ROOT = the repository root and a
# `log` function): which containerd runtime handler "wasmedge" gets, its config block, and crun's cgroup fix.
#
# Handler "wasmedge" (the name K3s gives its RuntimeClass) is, in order of preference:
#   1. runwasi's containerd-shim-wasmedge-v1 when it is on PATH (runtime_type io.containerd.wasmedge.v1), as K3s does;
#   2. else the crun+WasmEdge build of scripts/build-runtimes.sh (crun-1.8.1-wasmedge, found with its `path` command,
#      which honours EDGEBENCH_RUNTIME_CACHE): the runc v2 shim with BinaryName = the build's bin/crun-wasmedge (a
#      wrapper putting the WasmEdge build crun was compiled against on LD_LIBRARY_PATH), its own Root, and the
#      module.wasm.image/* pod and container annotations passed to the OCI spec, where crun's Wasm handler reads
#      module.wasm.image/variant=compat-smart (the pause container is no .wasm, so it still runs natively);
#   3. else none, with the reason.

WASMEDGE_BUILD_NAME=crun-1.8.1-wasmedge

# Sets WASMEDGE_HANDLER (shim|crun|none), WASMEDGE_BIN (shim or wrapper path), WASMEDGE_PREFIX (build prefix or ""),
# WASMEDGE_WHY (one line for the log).
wasmedge_handler_detect() {
  WASMEDGE_HANDLER=none WASMEDGE_BIN="" WASMEDGE_PREFIX="" WASMEDGE_WHY=""
  local shim prefix against=""
  shim=$(command -v containerd-shim-wasmedge-v1 2>/dev/null || true)
  prefix=$(bash "$ROOT/scripts/build-runtimes.sh" path "$WASMEDGE_BUILD_NAME" 2>/dev/null || true)
  if [ -n "$prefix" ] && [ ! -x "$prefix/bin/crun-wasmedge" ]; then
    prefix=""
  fi
  if [ -n "$prefix" ] && [ -f "$prefix/build.json" ]; then
    against=$(grep -o '"wasmedge": {"name": "[^"]*"' "$prefix/build.json" | sed 's/.*"name": "//; s/"$//' || true)
  fi
  if [ -n "$shim" ]; then
    WASMEDGE_HANDLER=shim WASMEDGE_BIN=$shim
    WASMEDGE_WHY="handler wasmedge: runwasi shim $shim (io.containerd.wasmedge.v1), preferred because it is on PATH"
    [ -z "$prefix" ] || WASMEDGE_WHY+="; the crun+WasmEdge build $prefix is not used"
  elif [ -n "$prefix" ]; then
    WASMEDGE_HANDLER=crun WASMEDGE_BIN=$prefix/bin/crun-wasmedge WASMEDGE_PREFIX=$prefix
    WASMEDGE_WHY="handler wasmedge: runc v2 shim with BinaryName $WASMEDGE_BIN (crun+WasmEdge build $WASMEDGE_BUILD_NAME${against:+, compiled against $against}; no containerd-shim-wasmedge-v1 on PATH)"
  else
    WASMEDGE_WHY="handler wasmedge not configured: no containerd-shim-wasmedge-v1 on PATH and no $WASMEDGE_BUILD_NAME build in ${EDGEBENCH_RUNTIME_CACHE:-/var/cache/edgebench/runtimes} (bash scripts/build-runtimes.sh build $WASMEDGE_BUILD_NAME)"
  fi
}

# Prints the TOML block of handler "wasmedge" (nothing when none). $1: the runtimes table, $2: crun's state root.
wasmedge_handler_toml() {
  local p=$1 root=$2
  case "$WASMEDGE_HANDLER" in
    shim)
      cat <<EOF
    [$p.wasmedge]
      runtime_type = "io.containerd.wasmedge.v1"
EOF
      ;;
    crun)
      cat <<EOF
    [$p.wasmedge]
      runtime_type = "io.containerd.runc.v2"
      pod_annotations = ["module.wasm.image/*"]
      container_annotations = ["module.wasm.image/*"]
      [$p.wasmedge.options]
        BinaryName = "$WASMEDGE_BIN"
        Root = "$root"
EOF
      ;;
  esac
}

# crun 1.8 refuses to run on a hybrid cgroup host whose v2 hierarchy still holds hugetlb (field notes). Binding hugetlb
# to a v1 hierarchy empties the v2 one. Done only when needed.
crun_fix_hugetlb() {
  local ctl=/sys/fs/cgroup/unified/cgroup.controllers
  if [ -f "$ctl" ] && grep -qw hugetlb "$ctl" && ! mountpoint -q /sys/fs/cgroup/hugetlb; then
    log "binding hugetlb to a v1 hierarchy so crun runs on this hybrid cgroup host"
    mkdir -p /sys/fs/cgroup/hugetlb && mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
  fi
}
