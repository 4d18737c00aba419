#!/usr/bin/env bash
# Installs the Debian packages edgebench's tests and fixture builds use. Idempotent; needs root (or sudo).
# Each layer's packages are listed once here; .ci/run calls this before the tests.
set -euo pipefail

PACKAGES=(
  # process layer: eb-launch timer, reference timer, fixture toolchain (C → wasm32-wasi and static native)
  gcc libc6-dev hyperfine clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 wabt
  # oci layer: OCI runtimes and daemons (started by scripts/oci-daemons.sh)
  crun runc containerd docker.io
  # cri layer: containerd's CRI plugin with runc/crun handlers, Debian's CNI plugins (scripts/cri-containerd.sh)
  containerd runc crun containernetworking-plugins
  # provisioning: the executor's ssh test starts its own sshd on 127.0.0.1 (the ssh client comes with it)
  openssh-server openssh-client
  # claims/publishing: headless Chromium renders the HTML report to a screenshot in its test
  chromium
  # kube layer (scripts/dev-cluster.sh): Kubernetes 1.20 built from Debian's source package, etcd, containerd + CNI
  golang-go golang-github-modern-go-reflect2-dev dpkg-dev rsync jq curl openssl etcd-server containerd containernetworking-plugins iproute2
  # kube layer, offline suite: the local partition hook (scripts/partition-kubelet.sh: iptables cgroup match, ss -K)
  iptables
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
