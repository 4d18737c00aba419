#!/usr/bin/env bash
# A real single-node Kubernetes (Debian's kubernetes 1.20 source package) for edgebench's kube layer:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler and a kubelet on a containerd CRI of
# the project's own, with Debian's CNI bridge. Loopback only. Idempotent.
#   bash scripts/dev-cluster.sh build    build the binaries into the cache (only when absent)
#   bash scripts/dev-cluster.sh up       build if needed, then start everything; prints the kubeconfig path
#   bash scripts/dev-cluster.sh status   what is running
#   bash scripts/dev-cluster.sh down     stop everything and remove pod state (keeps the build cache)
# Needs root. Packages: see the "kube layer" group in scripts/install-deps.sh.
# Runtime handlers: runc (containerd's default, RuntimeClass runc) and "wasmedge" (RuntimeClass wasmedge, the name K3s
# uses): runwasi's containerd-shim-wasmedge-v1 when on PATH, else the crun+WasmEdge build of scripts/build-runtimes.sh
# (crun-1.8.1-wasmedge) when present; without either there is no handler and no RuntimeClass wasmedge (the log says
# why). `up` on a running cluster whose containerd config would change restarts only that containerd (pods keep running).
set -euo pipefail

K8S_VERSION="${EDGEBENCH_K8S_VERSION:-1.20}"
CACHE="${EDGEBENCH_K8S_CACHE:-/var/cache/edgebench/k8s-${K8S_VERSION}}"
STATE=/var/lib/edgebench/dev-cluster          # certs, tokens, kubeconfig, etcd data, logs
KUBE_RUN=/run/edgebench/kube                  # containerd socket/state, pids
KUBE_LIB=/var/lib/edgebench/kube              # containerd root, kubelet root
KUBECONFIG_OUT="$STATE/kubeconfig"
ETCD_CLIENT_PORT="${EDGEBENCH_ETCD_PORT:-23791}"
ETCD_PEER_PORT="${EDGEBENCH_ETCD_PEER_PORT:-23801}"
API_PORT="${EDGEBENCH_API_PORT:-16443}"
KCM_PORT=10357          # controller-manager secure port (default 10257, moved to stay out of the way)
SCHED_PORT=10359        # scheduler secure port (default 10259)
KUBELET_PORT=10350      # kubelet (default 10250)
KUBELET_HEALTHZ=10348
NODE_NAME="${EDGEBENCH_NODE_NAME:-edgebench-node}"
MAX_PODS="${EDGEBENCH_MAX_PODS:-110}"
POD_CIDR="${EDGEBENCH_POD_CIDR:-10.244.0.0/24}"
# The kubelet refuses a loopback node IP; it uses the CNI bridge's gateway address instead (host-local, no traffic leaves).
NODE_IP="${EDGEBENCH_NODE_IP:-10.244.0.1}"
SERVICE_CIDR=10.97.0.0/24
PAUSE_IMAGE="${EDGEBENCH_PAUSE_IMAGE:-localhost/edgebench/pause:1}"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet)
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

log() { echo "dev-cluster: $*" >&2; }
die() { echo "dev-cluster: $*" >&2; exit 2; }

# shellcheck source=lib/wasmedge-handler.sh
. "$ROOT/scripts/lib/wasmedge-handler.sh"
# shellcheck source=lib/deb-src.sh
. "$ROOT/scripts/lib/deb-src.sh"

have_cache() {
  local b
  for b in "${BINARIES[@]}"; do [ -x "$CACHE/$b" ] || return 1; done
}

# Build the four binaries from Debian's kubernetes source package, as its debian/rules does.
build() {
  if have_cache; then log "build cache present: $CACHE"; return 0; fi
  command -v go >/dev/null || die "go missing: run scripts/install-deps.sh (golang-go)"
  command -v dpkg-source >/dev/null || die "dpkg-source missing: run scripts/install-deps.sh (dpkg-dev)"
  local t0 src work
  t0=$(date +%s)
  ensure_deb_src
  work="$(dirname "$CACHE")/build-k8s-${K8S_VERSION}"
  rm -rf "$work"; mkdir -p "$work"
  (cd "$work" && apt-get source -qq kubernetes >/dev/null 2>&1) || die "apt-get source kubernetes failed (is a deb-src entry reachable?)"
  src="$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'kubernetes-*' -print -quit)"
  [ -n "$src" ] || die "no kubernetes source tree unpacked in $work"
  # Kubernetes 1.20 vendors modern-go/reflect2 1.0.1, whose map iteration faults under Go >= 1.18 (Debian's Go is
  # 1.19: kube-apiserver dies with "unexpected fault address" in UnsafeMapType.UnsafeIterate). Use Debian's 1.0.2.
  local r2=/usr/share/gocode/src/github.com/modern-go/reflect2
  [ -f "$r2/go_above_118.go" ] || die "reflect2 >= 1.0.2 missing: apt-get install golang-github-modern-go-reflect2-dev"
  rm -rf "$src/vendor/github.com/modern-go/reflect2"
  cp -r "$r2" "$src/vendor/github.com/modern-go/reflect2"
  log "building ${BINARIES[*]} from $(basename "$src") (several minutes)"
  mkdir -p "$src/.go/src/k8s.io"
  ln -sfn "$src" "$src/.go/src/k8s.io/kubernetes"
  (cd "$src/.go/src/k8s.io/kubernetes" && \
    GOPATH="$src/.go" GOCACHE="${EDGEBENCH_GOCACHE:-$work/gocache}" CGO_ENABLED=0 \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet" \
      >"$work/build.log" 2>&1) || { tail -20 "$work/build.log" >&2; die "kubernetes build failed (log: $work/build.log)"; }
  mkdir -p "$CACHE.tmp"
  local b
  for b in "${BINARIES[@]}"; do cp "$src/_output/local/bin/linux/amd64/$b" "$CACHE.tmp/$b"; done
  "$CACHE.tmp/kube-apiserver" --version > "$CACHE.tmp/VERSION"
  rm -rf "$CACHE"; mv "$CACHE.tmp" "$CACHE"
  rm -rf "$work"
  log "built in $(( $(date +%s) - t0 )) s → $CACHE ($(cat "$CACHE/VERSION"))"
}


api_token_file() { echo "$STATE/tokens.csv"; }
admin_token() { head -n1 "$STATE/tokens.csv" | cut -d, -f1; }

# Certificates (CA, API server serving cert with loopback SANs, service-account key pair) and tokens; kept across up/down.
make_pki() {
  local pki="$STATE/pki"
  [ -f "$pki/apiserver.crt" ] && [ -f "$STATE/tokens.csv" ] && return 0
  command -v openssl >/dev/null || die "openssl missing"
  mkdir -p "$pki"; chmod 700 "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=edgebench-dev-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,IP:10.97.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n' > "$pki/apiserver.ext"
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 \
    -extfile "$pki/apiserver.ext" -out "$pki/apiserver.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  local admin kubelet
  admin="$(openssl rand -hex 16)"; kubelet="$(openssl rand -hex 16)"
  # token,user,uid,"groups": admin (harness, controller-manager, scheduler), kubelet; a token without any rights for tests.
  {
    echo "$admin,edgebench-admin,1,\"system:masters\""
    echo "$kubelet,system:node:$NODE_NAME,2,\"system:nodes,system:masters\""
    echo "$(openssl rand -hex 16),edgebench-nobody,3,\"edgebench:none\""
  } > "$STATE/tokens.csv"
  chmod 600 "$STATE/tokens.csv"
}

# A kubeconfig for a token at $1, written to $2.
write_kubeconfig() {
  local ca
  ca="$(base64 -w0 "$STATE/pki/ca.crt")"
  cat > "$2" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: edgebench-dev
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $ca
users:
- name: edgebench-dev
  user:
    token: $1
contexts:
- name: edgebench-dev
  context:
    cluster: edgebench-dev
    user: edgebench-dev
current-context: edgebench-dev
EOF
  chmod 600 "$2"
}

# shellcheck source=lib/pidfile.sh
. "$ROOT/scripts/lib/pidfile.sh"
# Older pid files (a bare pid) are matched by command line: our containerd by its config, as docker's is also "containerd".
running() {
  local cmd="$1"
  if [ "$1" = containerd ]; then cmd="$KUBE_RUN/containerd.toml"; fi
  pidfile_alive "$KUBE_RUN/$1.pid" "$cmd"
}

# Starts $1 in its own session with its log under $STATE/logs, unless it already runs.
spawn() {
  local name="$1"; shift
  if running "$name"; then return 0; fi
  mkdir -p "$STATE/logs"
  setsid "$@" >"$STATE/logs/$name.log" 2>&1 < /dev/null &
  pidfile_write "$KUBE_RUN/$name.pid" $!
}

wait_for() { # description, timeout s, command...
  local what="$1" t="$2"; shift 2
  local i
  for ((i = 0; i < t * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "timed out after ${t}s waiting for $what (logs: $STATE/logs)"
}

api() { # METHOD PATH [curl args...]
  local m="$1" p="$2"; shift 2
  # The bearer token goes to curl through a pipe (-H @file, curl >= 7.55), not its command line, which `ps` shows to
  # every user: curl's argv holds only /dev/fd/N. printf is a bash builtin, so no process has the token in argv either.
  curl -sf --cacert "$STATE/pki/ca.crt" -H @<(printf 'Authorization: Bearer %s\n' "$(admin_token)") -X "$m" "https://127.0.0.1:$API_PORT$p" "$@"
}

# A deterministic single-layer OCI image tar (OCI layout + Docker manifest.json) holding one static binary as entrypoint.
# Minimal stand-in for the project's image builder; imported with `ctr -n k8s.io images import`.
image_tar() { # ref binary entry-name os arch out.tar
  local ref="$1" bin="$2" entry="$3" os="$4" arch="$5" out="$6" d
  d="$(mktemp -d)"
  mkdir -p "$d/rootfs" "$d/oci/blobs/sha256"
  install -m 0755 "$bin" "$d/rootfs/$entry"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$d/rootfs" -cf "$d/layer.tar" "$entry"
  local ldig lsize cdig csize mdig msize
  ldig="$(sha256sum "$d/layer.tar" | cut -d' ' -f1)"; lsize="$(stat -c %s "$d/layer.tar")"
  cp "$d/layer.tar" "$d/oci/blobs/sha256/$ldig"
  printf '{"architecture":"%s","os":"%s","config":{"Entrypoint":["/%s"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$arch" "$os" "$entry" "$ldig" > "$d/config.json"
  cdig="$(sha256sum "$d/config.json" | cut -d' ' -f1)"; csize="$(stat -c %s "$d/config.json")"
  cp "$d/config.json" "$d/oci/blobs/sha256/$cdig"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
    "$cdig" "$csize" "$ldig" "$lsize" > "$d/manifest.json"
  mdig="$(sha256sum "$d/manifest.json" | cut -d' ' -f1)"; msize="$(stat -c %s "$d/manifest.json")"
  cp "$d/manifest.json" "$d/oci/blobs/sha256/$mdig"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"platform":{"architecture":"%s","os":"%s"},"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
    "$mdig" "$msize" "$arch" "$os" "$ref" "${ref##*:}" > "$d/oci/index.json"
  printf '[{"Config":"blobs/sha256/%s","RepoTags":["%s"],"Layers":["blobs/sha256/%s"]}]' "$cdig" "$ref" "$ldig" > "$d/oci/manifest.json"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$d/oci/oci-layout"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$d/oci" -cf "$out" .
  rm -rf "$d"
}

# Image reference the harness uses for a fixture binary (imageRef in src/kube/resources.ts computes the same).
image_ref() { # name kind file
  echo "localhost/edgebench/$1:$2-$(sha256sum "$3" | cut -c1-12)"
}

ctr_k8s() { ctr -a "$KUBE_RUN/containerd.sock" -n k8s.io "$@"; }

# One image tar for a fixture binary: the project's deterministic builder (`edgebench image build`, src/image/) when
# the package is built, else the minimal inline image_tar above.
fixture_tar() { # ref binary entry-name os arch out.tar
  local cli="$ROOT/dist/src/cli/main.js" d kind
  if [ -f "$cli" ] && command -v node >/dev/null; then
    d="$(mktemp -d)"
    kind=native; [ "$4" = wasi ] && kind=wasm
    node "$cli" image build "$2" --kind "$kind" --name "${1%:*}" --tag "${1##*:}" --out "$d" --json >/dev/null \
      || die "edgebench image build $2 failed"
    mv "$d"/*.tar "$6"
    rm -rf "$d"
  else
    image_tar "$@"
  fi
}

# Imports the pause image (native serve fixture) and one image per fixture (native and wasm) into our containerd.
import_images() {
  local nat="$ROOT/wasm-fixtures/native/x86_64" wasm="$ROOT/wasm-fixtures/wasm" tmp f n ref have
  [ -x "$nat/serve" ] || die "fixtures not built: run scripts/build-fixtures.sh (needs $nat/serve)"
  tmp="$(mktemp -d)"
  have="$(ctr_k8s images ls -q 2>/dev/null || true)"
  if ! grep -qx "$PAUSE_IMAGE" <<<"$have"; then
    fixture_tar "$PAUSE_IMAGE" "$nat/serve" pause linux amd64 "$tmp/pause.tar"
    ctr_k8s images import "$tmp/pause.tar" >/dev/null
  fi
  for f in "$nat"/*; do
    n="$(basename "$f")"; ref="$(image_ref "$n" native "$f")"
    grep -qx "$ref" <<<"$have" && continue
    fixture_tar "$ref" "$f" "$n" linux amd64 "$tmp/$n.tar"
    ctr_k8s images import "$tmp/$n.tar" >/dev/null
  done
  for f in "$wasm"/*.wasm; do
    n="$(basename "$f" .wasm)"; ref="$(image_ref "$n" wasm "$f")"
    grep -qx "$ref" <<<"$have" && continue
    fixture_tar "$ref" "$f" "$n.wasm" wasi wasm "$tmp/$n-wasm.tar"
    ctr_k8s images import --all-platforms --no-unpack "$tmp/$n-wasm.tar" >/dev/null
  done
  rm -rf "$tmp"
}

# Writes the kubelet's containerd config to $KUBE_RUN/containerd.toml.new (up() puts it in place); handler wasmedge as
# wasmedge_handler_detect chose.
containerd_config() {
  local cfg="$KUBE_RUN/containerd.toml.new"
  mkdir -p "$KUBE_LIB/cni/net.d" "$KUBE_LIB/containerd" "$KUBE_RUN/containerd-state"
  cat > "$KUBE_LIB/cni/net.d/10-edgebench.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "edgebench-kube",
  "plugins": [
    {
      "type": "bridge", "bridge": "ebkube0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$KUBE_LIB/cni/ipam",
                "ranges": [[{ "subnet": "$POD_CIDR" }]], "routes": [{ "dst": "0.0.0.0/0" }] }
    },
    { "type": "loopback" }
  ]
}
EOF
  containerd config default \
    | sed -e "s#^root = .*#root = \"$KUBE_LIB/containerd\"#" \
          -e "s#^state = .*#state = \"$KUBE_RUN/containerd-state\"#" \
          -e "/^\[grpc\]/,/^\[/ s#^  address = .*#  address = \"$KUBE_RUN/containerd.sock\"#" \
          -e "/^\[ttrpc\]/,/^\[/ s#^  address = .*#  address = \"$KUBE_RUN/containerd-ttrpc.sock\"#" \
          -e "/^\[debug\]/,/^\[/ s#^  address = .*#  address = \"$KUBE_RUN/containerd-debug.sock\"#" \
          -e "/^\[metrics\]/,/^\[/ s#^  address = .*#  address = \"\"#" \
          -e "s#restrict_oom_score_adj = .*#restrict_oom_score_adj = true#" \
          -e "s#sandbox_image = .*#sandbox_image = \"$PAUSE_IMAGE\"#" \
          -e "s#bin_dir = .*#bin_dir = \"/usr/lib/cni\"#" \
          -e "s#conf_dir = .*#conf_dir = \"$KUBE_LIB/cni/net.d\"#" \
          -e "s#path = \"/opt/containerd\"#path = \"$KUBE_LIB/opt\"#" \
    > "$cfg"
  # Tables may follow in any order in TOML: the wasmedge handler goes at the end.
  wasmedge_handler_toml 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes' "$KUBE_RUN/wasmedge" >> "$cfg"
  grep -q "restrict_oom_score_adj = true" "$cfg" || die "containerd config: restrict_oom_score_adj not set"
  grep -q "$KUBE_RUN/containerd.sock" "$cfg" || die "containerd config: own socket not set"
}

node_ready() {
  api GET "/api/v1/nodes/$NODE_NAME" | jq -e '.status.conditions[] | select(.type=="Ready" and .status=="True")'
}

up() {
  [ "$(id -u)" -eq 0 ] || die "needs root"
  local b
  for b in etcd containerd ctr openssl curl jq; do command -v "$b" >/dev/null || die "$b missing: run scripts/install-deps.sh"; done
  [ -x /usr/lib/cni/bridge ] || die "CNI plugins missing: apt-get install containernetworking-plugins"
  local t0; t0=$(date +%s)
  build
  mkdir -p "$STATE" "$KUBE_RUN" "$KUBE_LIB"
  make_pki
  local admin kubelet; admin="$(admin_token)"; kubelet="$(sed -n 2p "$STATE/tokens.csv" | cut -d, -f1)"
  write_kubeconfig "$admin" "$KUBECONFIG_OUT"
  write_kubeconfig "$kubelet" "$STATE/kubelet.kubeconfig"
  write_kubeconfig "$(sed -n 3p "$STATE/tokens.csv" | cut -d, -f1)" "$STATE/unauthorised.kubeconfig"
  spawn etcd etcd --name edgebench --data-dir "$KUBE_RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "edgebench=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" --log-level warn
  wasmedge_handler_detect
  log "$WASMEDGE_WHY"
  if [ "$WASMEDGE_HANDLER" = crun ]; then crun_fix_hugetlb; fi
  containerd_config
  if running containerd && ! cmp -s "$KUBE_RUN/containerd.toml.new" "$KUBE_RUN/containerd.toml"; then
    # Only the daemon: pods and their shims stay, containerd's CRI recovers them, the kubelet reconnects.
    log "containerd config changed: restarting the kubelet's containerd with it (running pods keep their shims)"
    stop containerd
  fi
  mv "$KUBE_RUN/containerd.toml.new" "$KUBE_RUN/containerd.toml"
  spawn_in "$RUNTIME_CGROUP" containerd containerd --config "$KUBE_RUN/containerd.toml"
  wait_for etcd 30 curl -sf "http://127.0.0.1:$ETCD_CLIENT_PORT/health"
  local pki="$STATE/pki"
  spawn kube-apiserver "$CACHE/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --insecure-port 0 \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --token-auth-file "$STATE/tokens.csv" --authorization-mode RBAC \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc --service-cluster-ip-range "$SERVICE_CIDR" \
    --kubelet-preferred-address-types InternalIP --allow-privileged=true --profiling=false \
    --max-requests-inflight 800 --max-mutating-requests-inflight 400
  wait_for "kube-apiserver" 90 api GET /readyz
  wait_for containerd 30 ctr_k8s version
  import_images
  spawn kube-controller-manager "$CACHE/kube-controller-manager" --kubeconfig "$KUBECONFIG_OUT" \
    --leader-elect=false --port 0 --bind-address 127.0.0.1 --secure-port "$KCM_PORT" \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --controllers '*,-nodelifecycle' --allocate-node-cidrs=true --cluster-cidr 10.244.0.0/16 --node-cidr-mask-size 24 \
    --kube-api-qps 200 --kube-api-burst 400 --profiling=false
  spawn kube-scheduler "$CACHE/kube-scheduler" --kubeconfig "$KUBECONFIG_OUT" --leader-elect=false \
    --port 0 --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --kube-api-qps 500 --kube-api-burst 1000 --profiling=false
  mkdir -p "$KUBE_LIB/kubelet"
  # The CNI bridge, made before the kubelet so that its gateway address can be the node IP (the plugin reuses it).
  if ! ip link show ebkube0 >/dev/null 2>&1; then
    ip link add ebkube0 type bridge
  fi
  # Output is captured before grep: under pipefail, `ip … | grep -q` fails when grep exits first and ip gets SIGPIPE.
  local addrs
  addrs=$(ip -o -4 addr show dev ebkube0)
  grep -q " $NODE_IP/" <<<"$addrs" || ip addr add "$NODE_IP/${POD_CIDR#*/}" dev ebkube0
  ip link set ebkube0 up
  # containerd and the kubelet run in cgroups of their own, named to the kubelet, so the summary API reports
  # "runtime" and "kubelet" system containers as on a K3s node (shims inherit containerd's, as they stay in k3s.service).
  spawn_in "$KUBELET_CGROUP" kubelet "$CACHE/kubelet" --kubeconfig "$STATE/kubelet.kubeconfig" --hostname-override "$NODE_NAME" \
    --kubelet-cgroups "$KUBELET_CGROUP" --runtime-cgroups "$RUNTIME_CGROUP" \
    --node-ip "$NODE_IP" --address "$NODE_IP" --port "$KUBELET_PORT" --healthz-port "$KUBELET_HEALTHZ" --read-only-port 0 \
    --root-dir "$KUBE_LIB/kubelet" --cert-dir "$KUBE_LIB/kubelet/pki" \
    --container-runtime remote --container-runtime-endpoint "unix://$KUBE_RUN/containerd.sock" \
    --pod-infra-container-image "$PAUSE_IMAGE" --cgroup-driver cgroupfs --fail-swap-on=false \
    --cgroups-per-qos=false --enforce-node-allocatable= --max-pods "$MAX_PODS" \
    --image-gc-high-threshold 100 --image-gc-low-threshold 99 --eviction-hard 'memory.available<1Mi' \
    --kube-api-qps 100 --kube-api-burst 200 --serialize-image-pulls=false --volume-plugin-dir "$KUBE_LIB/kubelet/plugins"
  wait_for "node $NODE_NAME to register" 90 api GET "/api/v1/nodes/$NODE_NAME"
  # Without the node lifecycle controller nobody removes the not-ready taint the node is born with.
  api PATCH "/api/v1/nodes/$NODE_NAME" -H 'Content-Type: application/merge-patch+json' -d '{"spec":{"taints":null}}' >/dev/null
  wait_for "node $NODE_NAME Ready" 90 node_ready
  wait_for "default ServiceAccount" 60 api GET /api/v1/namespaces/default/serviceaccounts/default
  # containerd's default runtime handler is runc: a RuntimeClass for it, as K3s offers for its runtimes.
  api GET /apis/node.k8s.io/v1/runtimeclasses/runc >/dev/null 2>&1 || \
    api POST /apis/node.k8s.io/v1/runtimeclasses -H 'Content-Type: application/json' \
      -d '{"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"runc"},"handler":"runc"}' >/dev/null
  # RuntimeClass wasmedge (the name K3s gives it) only when containerd has the handler: a class without one would make
  # Wasm pods fail at sandbox creation instead of kube/wasmedge being "not measured".
  if [ "$WASMEDGE_HANDLER" != none ]; then
    api GET /apis/node.k8s.io/v1/runtimeclasses/wasmedge >/dev/null 2>&1 || \
      api POST /apis/node.k8s.io/v1/runtimeclasses -H 'Content-Type: application/json' \
        -d '{"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"wasmedge"},"handler":"wasmedge"}' >/dev/null
    log "RuntimeClass wasmedge → handler wasmedge ($WASMEDGE_HANDLER: $WASMEDGE_BIN)"
  elif api GET /apis/node.k8s.io/v1/runtimeclasses/wasmedge >/dev/null 2>&1; then
    api DELETE /apis/node.k8s.io/v1/runtimeclasses/wasmedge >/dev/null
    log "RuntimeClass wasmedge removed: containerd has no handler wasmedge"
  else
    log "RuntimeClass wasmedge not created: containerd has no handler wasmedge"
  fi
  echo "$(( $(date +%s) - t0 ))" > "$STATE/last-up-seconds"
  log "up in $(( $(date +%s) - t0 )) s: $(cat "$CACHE/VERSION"), node $NODE_NAME Ready (max-pods $MAX_PODS)"
  echo "$KUBECONFIG_OUT"
}

status() {
  local n rc=0
  for n in etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet; do
    if running "$n"; then echo "$n: running (pid $(pidfile_pid "$KUBE_RUN/$n.pid"))"; else echo "$n: stopped"; rc=1; fi
  done
  [ -f "$CACHE/VERSION" ] && echo "build: $CACHE ($(cat "$CACHE/VERSION"))" || echo "build: absent ($CACHE)"
  if [ -f "$KUBE_RUN/containerd.toml" ]; then
    echo "runtime handlers: $(grep -o 'containerd\.runtimes\.[A-Za-z0-9_-]*\]' "$KUBE_RUN/containerd.toml" | sed 's/.*runtimes\.//; s/\]$//' | tr '\n' ' ')"
  fi
  [ -f "$KUBECONFIG_OUT" ] && echo "kubeconfig: $KUBECONFIG_OUT"
  return $rc
}

stop() { # name
  local pid
  running "$1" || { rm -f "$KUBE_RUN/$1.pid"; return 0; }
  pid="$(pidfile_pid "$KUBE_RUN/$1.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$KUBE_RUN/$1.pid"
}

KUBELET_CGROUP=/edgebench-kubelet
RUNTIME_CGROUP=/edgebench-runtime

# Creates cgroup $1 in every cgroup v1 controller the kubelet reads stats from (or in the v2 tree); prints the dirs.
cgroup_dirs() {
  local cg="$1" c
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then mkdir -p "/sys/fs/cgroup$cg"; echo "/sys/fs/cgroup$cg"; return; fi
  for c in memory cpu,cpuacct pids; do
    [ -d "/sys/fs/cgroup/$c" ] || continue
    mkdir -p "/sys/fs/cgroup/$c$cg"
    echo "/sys/fs/cgroup/$c$cg"
  done
}

# spawn, with the process in cgroup $1 from its first instruction, so all its memory is charged there (cgroup v1
# cannot move a running process's charges on this kernel: move_charge_at_immigrate answers EINVAL).
spawn_in() {
  local cg="$1" name="$2" dirs
  shift 2
  dirs="$(cgroup_dirs "$cg" | tr '\n' ' ')"
  # shellcheck disable=SC2016
  spawn "$name" sh -c 'for d in '"$dirs"'; do echo $$ > "$d/cgroup.procs"; done; exec "$@"' sh "$@"
}

down() {
  local n c
  for n in kubelet kube-scheduler kube-controller-manager kube-apiserver; do stop "$n"; done
  if running containerd; then
    # Pod containers outlive the kubelet: kill and remove them through our containerd.
    for c in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true; done
    sleep 0.5
    for c in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks delete -f "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr_k8s containers ls -q 2>/dev/null); do ctr_k8s containers delete "$c" >/dev/null 2>&1 || true; done
  fi
  stop containerd
  stop etcd
  # Leftover mounts (sandbox netns, kubelet volumes, rootfs) under our own directories only.
  { grep -oE " ($KUBE_RUN|$KUBE_LIB)/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  ip link del ebkube0 2>/dev/null || true
  for c in "" /memory /cpu,cpuacct /pids; do rmdir "/sys/fs/cgroup$c$RUNTIME_CGROUP" "/sys/fs/cgroup$c$KUBELET_CGROUP" 2>/dev/null || true; done
  rm -rf "$KUBE_RUN" "$KUBE_LIB/kubelet" "$KUBE_LIB/cni/ipam"
  log "down"
}

case "${1:-}" in
  build) build ;;
  up) up ;;
  down) down ;;
  status) status ;;
  *) die "usage: dev-cluster.sh build|up|down|status" ;;
esac; exit $?  # on the line of esac: bash has read all it runs, so editing this file meanwhile is harmless
