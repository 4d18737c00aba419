#!/usr/bin/env bash
# Installs the Debian packages edgebench's tests and fixture builds use. Idempotent; needs root (or sudo).
# Each layer's packages are listed once here; .ci/run calls this before the tests.
set -euo pipefail

PACKAGES=(
  # process layer: eb-launch timer, reference timer, fixture toolchain (C → wasm32-wasi and static native;
  # binaryen: clang runs wasm-opt from PATH when it optimises, so the fixtures' bytes depend on it being there)
  gcc libc6-dev hyperfine clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 wabt binaryen
  # oci layer: OCI runtimes and daemons (started by scripts/oci-daemons.sh)
  crun runc containerd docker.io
  # cri layer: containerd's CRI plugin with runc/crun handlers, Debian's CNI plugins (scripts/cri-containerd.sh)
  containerd runc crun containernetworking-plugins
  # provisioning: the executor's ssh test starts its own sshd on 127.0.0.1 (the ssh client comes with it)
  openssh-server openssh-client
  # claims/publishing: headless Chromium renders the HTML report to a screenshot in its test
  chromium
  # claims/publishing: Prometheus's promtool reads the OpenMetrics output in its test (the exposition linter, and the
  # OpenMetrics parser of its TSDB backfill); Debian ships it only with the server, which is stopped below
  prometheus
  # kube layer (scripts/dev-cluster.sh): Kubernetes 1.20 built from Debian's source package, etcd, containerd + CNI
  golang-go golang-github-modern-go-reflect2-dev dpkg-dev rsync jq curl openssl etcd-server containerd containernetworking-plugins iproute2
  # kube layer, offline suite: the local partition hook (scripts/partition-kubelet.sh: iptables cgroup match, ss -K)
  iptables
  # runtime builds (scripts/build-runtimes.sh): WasmEdge and WAMR from shared/vendor/ with Debian's gcc, CMake and
  # Ninja; the WasmEdge LLVM builds use Debian's LLVM 16 + LLD 16 (llvm-16-dev, liblld-16-dev; zlib and zstd for libLLVM)
  cmake ninja-build gcc g++ make binutils llvm-16-dev liblld-16-dev zlib1g-dev libzstd-dev
  # runtime builds: crun --with-wasmedge from Debian's crun source package (apt-get source needs dpkg-dev); its
  # Build-Depends from the .dsc (debhelper-compat 13 → debhelper, pkgconf | pkg-config → pkgconf), listed one by one
  dpkg-dev automake autoconf libtool debhelper go-md2man golang-github-opencontainers-image-spec-dev
  golang-github-opencontainers-specs-dev gperf libcap-dev libseccomp-dev libsystemd-dev libyajl-dev pkgconf python3
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} Debian packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# prometheus is here for promtool only: where systemd runs, Debian starts its server at install; stop and disable it.
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
