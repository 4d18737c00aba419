#!/usr/bin/env bash
# Builds the real Wasm runtimes under test, offline, with Debian's compilers: WasmEdge and WAMR from the upstream
# sources in shared/vendor/ (checked against its SHA256SUMS before anything is unpacked), and crun from Debian's
# source package configured --with-wasmedge against one of those WasmEdge builds. Each build is installed
# atomically into a cache outside the clone, with a build record (build.json) and a smoke check. Idempotent.
#
#   bash scripts/build-runtimes.sh build  [NAME|GROUP...]  build what is absent (default: ci); "present: …" for the rest
#   bash scripts/build-runtimes.sh status [NAME|GROUP...]  present/absent, with the record's summary (default: all);
#                                                          exit 1 when one of them is absent
#   bash scripts/build-runtimes.sh path   NAME             print the install prefix (exit 1 when absent)
#   bash scripts/build-runtimes.sh list                    the builds and groups
#
# Builds: wasmedge-0.14.1-interp wasmedge-0.14.1-llvm wasmedge-0.15.1-interp wasmedge-0.15.1-llvm wamr-2.4.5
#         crun-1.8.1-wasmedge.   Groups: ci (what CI builds), all.
#   wasmedge-*-interp  -DWASMEDGE_USE_LLVM=OFF: interpreter only, no libLLVM to load
#   wasmedge-*-llvm    -DWASMEDGE_USE_LLVM=ON with Debian's LLVM 16: AOT (`wasmedge compile`); slower process start
#   wamr-2.4.5         iwasm, WAMR's default linux build (fast interpreter, SIMD via simde, AOT loader, no JIT)
#   crun-1.8.1-wasmedge  bin/crun (crun dlopens libwasmedge.so.0 at run time) and bin/crun-wasmedge, a wrapper
#                      that puts the WasmEdge build it was compiled against on LD_LIBRARY_PATH
#
# Environment:
#   EDGEBENCH_VENDOR_DIR     upstream tarballs + SHA256SUMS (default: <repo>/../shared/vendor)
#   EDGEBENCH_RUNTIME_CACHE  install cache (default: /var/cache/edgebench/runtimes); a build lives in <cache>/<name>/,
#                            is built in <cache>/<name>.build and <name>.tmp, and appears only when complete
#   EDGEBENCH_CRUN_WASMEDGE  the WasmEdge build crun is configured against (default: wasmedge-0.14.1-interp)
#   CC, CXX (default cc, c++: Debian's gcc), JOBS (default: nproc)
# Exit: 0 done; 1 a build, its version check or its smoke check failed (the work dir is kept, its log named);
#       2 usage, an unknown name, missing tools, or a vendor tarball missing / not matching SHA256SUMS.
# Packages: see the "runtime builds" groups in scripts/install-deps.sh. Run long builds with nice.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="${EDGEBENCH_VENDOR_DIR:-$ROOT/../shared/vendor}"
CACHE="${EDGEBENCH_RUNTIME_CACHE:-/var/cache/edgebench/runtimes}"
CRUN_WASMEDGE="${EDGEBENCH_CRUN_WASMEDGE:-wasmedge-0.14.1-interp}"
CC="${CC:-cc}"
CXX="${CXX:-c++}"
JOBS="${JOBS:-$(nproc)}"
LLVM_PREFIX=/usr/lib/llvm-16
FIXTURES="$ROOT/wasm-fixtures/wasm"
HELLO_OUT="hello from edgebench"

BUILDS=(wasmedge-0.14.1-interp wasmedge-0.14.1-llvm wasmedge-0.15.1-interp wasmedge-0.15.1-llvm wamr-2.4.5 crun-1.8.1-wasmedge)
GROUP_ci=(wasmedge-0.14.1-interp wasmedge-0.14.1-llvm wamr-2.4.5 crun-1.8.1-wasmedge)
GROUPS_KNOWN=(ci all)

# shellcheck source=lib/deb-src.sh
. "$ROOT/scripts/lib/deb-src.sh"

log() { echo "build-runtimes: $*" >&2; }
die() { echo "build-runtimes: $*" >&2; exit "${2:-2}"; }

# What a build is. Sets RUNTIME VERSION VARIANT BINARY TARBALLS (main first) DEPENDS.
describe() {
  DEPENDS=()
  case "$1" in
    wasmedge-0.14.1-interp|wasmedge-0.14.1-llvm|wasmedge-0.15.1-interp|wasmedge-0.15.1-llvm)
      RUNTIME=wasmedge
      VERSION="${1#wasmedge-}"; VERSION="${VERSION%-*}"
      case "$1" in *-llvm) VARIANT=llvm ;; *) VARIANT=interpreter ;; esac
      BINARY=bin/wasmedge
      TARBALLS=("WasmEdge-$VERSION.tar.gz" fmt-11.0.2.tar.gz spdlog-1.13.0.tar.gz) ;;
    wamr-2.4.5)
      RUNTIME=iwasm; VERSION=2.4.5; VARIANT=fast-interp; BINARY=bin/iwasm
      TARBALLS=(wasm-micro-runtime-WAMR-2.4.5.tar.gz simde-0.8.2.tar.gz) ;;
    crun-1.8.1-wasmedge)
      RUNTIME=crun; VERSION=1.8.1; VARIANT=wasmedge; BINARY=bin/crun
      TARBALLS=()   # Debian's source package: apt checks it against the signed Sources index
      DEPENDS=("$CRUN_WASMEDGE") ;;
    *) return 1 ;;
  esac
}

# Names and groups → build names, in order, without repeats. Unknown name → exit 2.
expand() {
  local a n out=()
  for a in "$@"; do
    case "$a" in
      all) out+=("${BUILDS[@]}") ;;
      ci) out+=("${GROUP_ci[@]}") ;;
      *) describe "$a" || die "unknown build: $a (builds: ${BUILDS[*]}; groups: ${GROUPS_KNOWN[*]})"; out+=("$a") ;;
    esac
  done
  local seen=" "
  for n in "${out[@]}"; do
    [[ "$seen" == *" $n "* ]] && continue
    seen+="$n "; echo "$n"
  done
}

# A build is present when its record and its main binary are in place (a killed build leaves only *.tmp/*.build).
present() {
  describe "$1"
  [ -f "$CACHE/$1/build.json" ] && [ -x "$CACHE/$1/$BINARY" ]
}

# One line from a record: "<reportedVersion> <variant>, <cc>, built <date> in <s> s[, against <wasmedge build>]".
record_summary() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const cc = r.compiler && r.compiler.cc ? r.compiler.cc : "?";
    let s = `${r.runtime ?? "?"} ${r.reportedVersion ?? r.version ?? "?"} ${r.variant ?? "?"}, ${cc}, built ${r.builtAt ?? "?"} in ${r.buildSeconds ?? "?"} s`;
    if (r.llvmVersion) s += `, LLVM ${r.llvmVersion}`;
    if (r.wasmedge && r.wasmedge.name) s += `, against ${r.wasmedge.name}`;
    console.log(s);' "$1" 2>/dev/null || echo "(unreadable record)"
}

sha256_of() { local s _; read -r s _ < <(sha256sum "$1"); echo "$s"; }

# Checks every tarball the given builds need against SHA256SUMS before anything is unpacked.
# The first problem → exactly one line on stderr naming the file, exit 2.
verify_tarballs() {
  local sums="$VENDOR/SHA256SUMS" name f expected actual seen=" "
  [ -f "$sums" ] || die "$sums: missing (EDGEBENCH_VENDOR_DIR=$VENDOR)"
  for name in "$@"; do
    describe "$name"
    for f in ${TARBALLS[@]+"${TARBALLS[@]}"}; do
      [[ "$seen" == *" $f "* ]] && continue
      seen+="$f "
      expected=$(awk -v f="$f" '$2 == f || $2 == "*" f { print $1; exit }' "$sums")
      [ -n "$expected" ] || die "$VENDOR/$f: not listed in $sums"
      [ -f "$VENDOR/$f" ] || die "$VENDOR/$f: missing (expected sha256 $expected)"
      actual=$(sha256_of "$VENDOR/$f")
      [ "$actual" = "$expected" ] || die "$VENDOR/$f: sha256 mismatch: expected $expected, actual $actual"
    done
  done
}

check_tools() {
  local t missing=()
  for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (run scripts/install-deps.sh)"
}

first_line() { local l; IFS= read -r l <<<"$1" || true; echo "$l"; }
last_word() { local w; read -r -a w <<<"$1" || true; echo "${w[${#w[@]}-1]:-}"; }

# JSON string (the records are written by hand so that building needs no node).
js() {
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; s=${s//$'\r'/}
  s=$(tr -d '\000-\010\013\014\016-\037' <<<"$s")
  printf '"%s"' "$s"
}
# JSON array of strings from the arguments.
ja() {
  local out="" a
  for a in "$@"; do out+="${out:+, }$(js "$a")"; done
  printf '[%s]' "$out"
}

# ---------------------------------------------------------------------------------------------------------------
# Per-build state, filled by the build_* functions and written to build.json.
reset_state() {
  FLAGS_KIND=cmake; FLAGS=(); SOURCE_JSON=""; DEPS_JSON="[]"; LLVM_VERSION=""; FILES=(); EXTRA_JSON=""
  SMOKE_JSON=(); VERSION_OUTPUT=""; REPORTED=""
}

unpack() { tar -xzf "$VENDOR/$1" -C "$WORK"; }
tarball_json() { printf '{"file": %s, "sha256": %s}' "$(js "$1")" "$(js "$(sha256_of "$VENDOR/$1")")"; }

# Configures SRC into BLD with the FLAGS set by the caller, builds it with ninja and installs it into $TMP.
cmake_build() {
  step "configuring (cmake ${FLAGS[*]})"
  cmake -S "$1" -B "$2" "${FLAGS[@]}" >>"$LOG" 2>&1 || fail "cmake configure failed"
  step "building (ninja -j$JOBS)"
  ninja -C "$2" -j "$JOBS" >>"$LOG" 2>&1 || fail "ninja failed"
  cmake --install "$2" --prefix "$TMP" >>"$LOG" 2>&1 || fail "cmake --install failed"
}

build_wasmedge() {
  local src="$WORK/WasmEdge-$VERSION" bld="$WORK/build" d
  check_tools cmake ninja "$CC" "$CXX" tar
  if [ "$VARIANT" = llvm ]; then
    [ -f "$LLVM_PREFIX/lib/cmake/llvm/LLVMConfig.cmake" ] || die "LLVM 16 cmake files missing (llvm-16-dev: run scripts/install-deps.sh)"
    [ -f "$LLVM_PREFIX/lib/cmake/lld/LLDConfig.cmake" ] || die "LLD 16 cmake files missing (liblld-16-dev: run scripts/install-deps.sh)"
    LLVM_VERSION=$("$LLVM_PREFIX/bin/llvm-config" --version)
  fi
  for d in "${TARBALLS[@]}"; do unpack "$d"; done
  [ -d "$src" ] && [ -d "$WORK/fmt-11.0.2" ] && [ -d "$WORK/spdlog-1.13.0" ] || die "unexpected tarball layout in $WORK" 1
  # A git archive has no git metadata: WasmEdge reads its version from VERSION (no trailing newline).
  printf %s "$VERSION" > "$src/VERSION"
  FLAGS=(-G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_COMPILER=$CC" "-DCMAKE_CXX_COMPILER=$CXX"
    -DWASMEDGE_BUILD_TESTS=OFF)
  if [ "$VARIANT" = llvm ]; then
    FLAGS+=(-DWASMEDGE_USE_LLVM=ON "-DLLVM_DIR=$LLVM_PREFIX/lib/cmake/llvm" "-DLLD_DIR=$LLVM_PREFIX/lib/cmake/lld")
  else
    FLAGS+=(-DWASMEDGE_USE_LLVM=OFF)
  fi
  # WasmEdge fetches fmt and spdlog at configure time: hand it the vendored sources, and no network.
  FLAGS+=(-DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON "-DFETCHCONTENT_SOURCE_DIR_FMT=$WORK/fmt-11.0.2"
    "-DFETCHCONTENT_SOURCE_DIR_SPDLOG=$WORK/spdlog-1.13.0" -DFETCHCONTENT_FULLY_DISCONNECTED=ON)
  cmake_build "$src" "$bld"
  FILES=(bin/wasmedge lib/libwasmedge.so.0)
  SOURCE_JSON=$(tarball_json "${TARBALLS[0]}")
  DEPS_JSON="[$(tarball_json "${TARBALLS[1]}"), $(tarball_json "${TARBALLS[2]}")]"
}

build_wamr() {
  local top="$WORK/wasm-micro-runtime-WAMR-$VERSION" bld="$WORK/build" d
  check_tools cmake ninja "$CC" "$CXX" tar
  for d in "${TARBALLS[@]}"; do unpack "$d"; done
  [ -d "$top/product-mini/platforms/linux" ] && [ -d "$WORK/simde-0.8.2" ] || die "unexpected tarball layout in $WORK" 1
  # The default linux build; its SIMD support fetches simde at configure time: hand it the vendored source.
  FLAGS=(-G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_COMPILER=$CC" "-DCMAKE_CXX_COMPILER=$CXX"
    "-DFETCHCONTENT_SOURCE_DIR_SIMDE=$WORK/simde-0.8.2" -DFETCHCONTENT_FULLY_DISCONNECTED=ON)
  cmake_build "$top/product-mini/platforms/linux" "$bld"
  FILES=(bin/iwasm "bin/iwasm-$VERSION")
  SOURCE_JSON=$(tarball_json "${TARBALLS[0]}")
  DEPS_JSON="[$(tarball_json "${TARBALLS[1]}")]"
}

ensure_deb_src() {
  local out
  out=$(apt-cache showsrc crun 2>/dev/null || true)
  if [ -z "$out" ]; then
    # The same entry scripts/dev-cluster.sh adds for Debian's kubernetes source package (scripts/lib/deb-src.sh).
    ensure_deb_src >>"$LOG" 2>&1 || true
    apt-get update -qq >>"$LOG" 2>&1 || true
  fi
}

build_crun() {
  local we="$CACHE/$CRUN_WASMEDGE" src f dsc debver files_json=""
  check_tools apt-get dpkg-source make "$CC" pkg-config
  describe "$CRUN_WASMEDGE"
  [ "$RUNTIME" = wasmedge ] || die "EDGEBENCH_CRUN_WASMEDGE=$CRUN_WASMEDGE is not a WasmEdge build"
  present "$CRUN_WASMEDGE" || die "$CRUN_WASMEDGE is not built (bash scripts/build-runtimes.sh build $CRUN_WASMEDGE)" 1
  describe crun-1.8.1-wasmedge
  ensure_deb_src
  step "apt-get source crun"
  (cd "$WORK" && apt-get source -q crun) >>"$LOG" 2>&1 || fail "apt-get source crun failed (is a deb-src entry reachable?)"
  src=$(find "$WORK" -maxdepth 1 -mindepth 1 -type d -name "crun-$VERSION*" -print -quit)
  [ -n "$src" ] || fail "no crun-$VERSION source tree unpacked in $WORK (apt-get source gave another version?)"
  dsc=$(find "$WORK" -maxdepth 1 -name 'crun_*.dsc' -print -quit)
  debver=$(sed -n 's/^Version: //p' "$dsc")
  for f in "$WORK"/crun_*; do
    [ -f "$f" ] || continue
    files_json+="${files_json:+, }{\"file\": $(js "$(basename "$f")"), \"sha256\": $(js "$(sha256_of "$f")")}"
  done
  SOURCE_JSON="{\"package\": \"crun\", \"debianVersion\": $(js "$debver"), \"files\": [$files_json]}"
  FLAGS_KIND=configure
  FLAGS=(--with-wasmedge "CPPFLAGS=-I$we/include" "LDFLAGS=-L$we/lib" "CC=$CC")
  cd "$src"
  if [ ! -x configure ]; then
    step "autogen.sh"
    ./autogen.sh >>"$LOG" 2>&1 || fail "autogen.sh failed"
  fi
  step "configuring (./configure ${FLAGS[*]})"
  ./configure "${FLAGS[@]}" >>"$LOG" 2>&1 || fail "configure failed"
  grep -q '^#define HAVE_WASMEDGE 1' config.h || fail "configure did not enable WasmEdge (no HAVE_WASMEDGE in config.h)"
  step "building (make -j$JOBS)"
  make -j "$JOBS" >>"$LOG" 2>&1 || fail "make failed"
  cd "$ROOT"
  install -D -m 0755 "$src/crun" "$TMP/bin/crun"
  # crun dlopens libwasmedge.so.0 when a Wasm container starts: the wrapper picks the WasmEdge build
  # (a sibling in the cache, found from the wrapper's own location; EDGEBENCH_WASMEDGE_LIB overrides it).
  cat > "$TMP/bin/crun-wasmedge" <<EOF
#!/bin/sh
# crun $VERSION built --with-wasmedge against $CRUN_WASMEDGE (scripts/build-runtimes.sh); it dlopens libwasmedge.so.0.
here=\$(dirname "\$(readlink -f "\$0")")
lib=\${EDGEBENCH_WASMEDGE_LIB:-\$here/../../$CRUN_WASMEDGE/lib}
if [ -d "\$lib" ]; then LD_LIBRARY_PATH="\$lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"; export LD_LIBRARY_PATH; fi
exec "\$here/crun" "\$@"
EOF
  chmod 0755 "$TMP/bin/crun-wasmedge"
  FILES=(bin/crun bin/crun-wasmedge)
  local wrec="$we/build.json" wver
  wver=$(sed -n 's/^  "reportedVersion": "\(.*\)",$/\1/p' "$wrec")
  EXTRA_JSON="\"wasmedge\": {\"name\": $(js "$CRUN_WASMEDGE"), \"prefix\": $(js "$we"), \"libDir\": $(js "$we/lib"), \"reportedVersion\": $(js "$wver"), \"libwasmedgeSha256\": $(js "$(sha256_of "$we/lib/libwasmedge.so.0")")},
  \"wrapper\": \"bin/crun-wasmedge\","
}

# ---------------------------------------------------------------------------------------------------------------
step() { log "$NAME: $*"; }
fail() {
  log "$NAME: $1 (log: $LOG; work dir kept: $WORK)"
  tail -n 25 "$LOG" 2>/dev/null | sed 's/^/  | /' >&2 || true
  exit 1
}

# Runs a smoke command; $1 expected exit code, $2 expected stdout ("" = don't check), $3 checked (yes/no), rest: command.
smoke() {
  local want_rc=$1 want_out=$2 checked=$3 out rc ok=true
  shift 3
  set +e
  out=$(timeout 60 "$@" 2>>"$LOG" </dev/null)
  rc=$?
  set -e
  [ "$rc" = "$want_rc" ] || ok=false
  [ -z "$want_out" ] || [ "$out" = "$want_out" ] || ok=false
  local shown=("${@/#$TMP/<prefix>}")
  shown=("${shown[@]/#$WORK/<work>}")
  shown=("${shown[@]/#$FIXTURES/wasm-fixtures/wasm}")
  # Shown: the last stdout line (wasmedge compile logs its progress on stdout); the record keeps all of it.
  log "$NAME: smoke: ${shown[*]} → exit $rc${out:+, stdout: ${out##*$'\n'}} $( $ok && echo ok || { [ "$checked" = yes ] && echo FAILED || echo "(expected exit $want_rc; recorded, not checked)"; })"
  SMOKE_JSON+=("{\"command\": $(ja "${shown[@]}"), \"exitCode\": $rc, \"stdout\": $(js "$out"), \"expectExitCode\": $want_rc, \"ok\": $ok, \"checked\": $([ "$checked" = yes ] && echo true || echo false)}")
  if [ "$checked" = yes ] && ! $ok; then fail "smoke check failed: ${shown[*]} (exit $rc, stdout: $out)"; fi
  return 0
}

# The version the built binary reports must be the expected one.
check_version() {
  local bin
  case "$RUNTIME" in wasmedge) bin=wasmedge ;; iwasm) bin=iwasm ;; crun) bin=crun-wasmedge ;; esac
  # Found on PATH, as a user runs it: wasmedge prints its argv[0] in --version.
  set +e
  VERSION_OUTPUT=$(PATH="$TMP/bin:$PATH" "$bin" --version 2>&1)
  set -e
  REPORTED=$(last_word "$(first_line "$VERSION_OUTPUT")")
  log "$NAME: reports: $(first_line "$VERSION_OUTPUT")"
  [ "$REPORTED" = "$VERSION" ] || fail "the built binary reports version '$REPORTED' ($(first_line "$VERSION_OUTPUT")), expected $VERSION"
}

smoke_checks() {
  local hello="$FIXTURES/hello.wasm" failw="$FIXTURES/fail.wasm" help
  [ -f "$hello" ] && [ -f "$failw" ] || fail "fixtures missing: $hello, $failw (scripts/build-fixtures.sh)"
  case "$RUNTIME" in
    wasmedge)
      help=$("$TMP/bin/wasmedge" --help 2>&1 || true)
      local fi=()
      [[ "$help" == *--force-interpreter* ]] && fi=(--force-interpreter)
      smoke 0 "$HELLO_OUT" yes "$TMP/bin/wasmedge" ${fi[@]+"${fi[@]}"} "$hello"
      smoke 3 "" yes "$TMP/bin/wasmedge" ${fi[@]+"${fi[@]}"} "$failw" 3
      if [ "$VARIANT" = llvm ]; then
        smoke 0 "" yes "$TMP/bin/wasmedge" compile "$hello" "$WORK/hello.so"
        smoke 0 "$HELLO_OUT" yes "$TMP/bin/wasmedge" "$WORK/hello.so"
        smoke 0 "" yes "$TMP/bin/wasmedge" compile "$failw" "$WORK/fail.so"
        smoke 3 "" yes "$TMP/bin/wasmedge" "$WORK/fail.so" 3
      fi ;;
    iwasm)
      smoke 0 "$HELLO_OUT" yes "$TMP/bin/iwasm" "$hello"
      smoke 3 "" yes "$TMP/bin/iwasm" "$failw" 3 ;;
    crun)
      [[ "$VERSION_OUTPUT" == *"+WASM:wasmedge"* ]] || fail "crun --version lacks +WASM:wasmedge: $VERSION_OUTPUT"
      log "$NAME: smoke: crun --version shows +WASM:wasmedge ok"
      SMOKE_JSON+=("{\"command\": [\"<prefix>/bin/crun-wasmedge\", \"--version\"], \"expect\": \"+WASM:wasmedge\", \"ok\": true, \"checked\": true}")
      crun_bundle_smoke ;;
  esac
}

# A Wasm container: rootfs with only the module, the compat-smart annotation. Needs root (cgroups, namespaces).
crun_bundle_smoke() {
  if [ "$(id -u)" -ne 0 ]; then log "$NAME: not root: container smoke check skipped"; return 0; fi
  local b="$WORK/bundle" state="$WORK/crun-state" id="eb-build-smoke-$$" out rc
  mkdir -p "$b/rootfs" "$state"
  cp "$FIXTURES/hello.wasm" "$FIXTURES/fail.wasm" "$b/rootfs/"
  (cd "$b" && "$TMP/bin/crun" spec) >>"$LOG" 2>&1 || fail "crun spec failed"
  bundle_args() {
    node -e 'const fs=require("fs"),f=process.argv[1],c=JSON.parse(fs.readFileSync(f));
      c.process.args=process.argv.slice(2);c.process.terminal=false;
      c.annotations={...(c.annotations||{}),"module.wasm.image/variant":"compat-smart"};
      fs.writeFileSync(f,JSON.stringify(c,null,2))' "$b/config.json" "$@"
  }
  bundle_args /hello.wasm
  set +e
  out=$("$TMP/bin/crun-wasmedge" --root "$state" run --bundle "$b" "$id" 2>&1 </dev/null); rc=$?
  set -e
  "$TMP/bin/crun" --root "$state" delete -f "$id" >/dev/null 2>&1 || true
  if [ $rc -ne 0 ] && grep -q "hybrid mode" <<<"$out"; then
    # Field notes: crun 1.8 refuses a hybrid cgroup host whose v2 hierarchy holds hugetlb (as scripts/oci-daemons.sh).
    log "$NAME: crun hit the hybrid-cgroup error; binding hugetlb to a cgroup v1 hierarchy"
    mkdir -p /sys/fs/cgroup/hugetlb
    mountpoint -q /sys/fs/cgroup/hugetlb || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
  fi
  smoke 0 "$HELLO_OUT" yes "$TMP/bin/crun-wasmedge" --root "$state" run --bundle "$b" "$id"
  "$TMP/bin/crun" --root "$state" delete -f "$id" >/dev/null 2>&1 || true
  # How a Wasm exit code comes through crun's wasmedge handler: recorded, not checked (crun 1.8.1's handler
  # exits 0 whenever WasmEdge's result is OK, and a WASI proc_exit counts as OK: fail.wasm 3 gave exit 0 here).
  bundle_args /fail.wasm 3
  smoke 3 "" no "$TMP/bin/crun-wasmedge" --root "$state" run --bundle "$b" "$id-fail"
  "$TMP/bin/crun" --root "$state" delete -f "$id-fail" >/dev/null 2>&1 || true
}

linked_libs() { readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

write_record() {
  local f files_json="" cc_line cxx_line libs=() seconds=$1 load0=$2 load1=$3
  for f in "${FILES[@]}"; do
    files_json+="${files_json:+, }{\"path\": $(js "$f"), \"sha256\": $(js "$(sha256_of "$TMP/$f")")}"
  done
  cc_line=$(first_line "$("$CC" --version 2>&1)")
  cxx_line=$(first_line "$("$CXX" --version 2>&1)")
  case "$RUNTIME" in
    wasmedge) mapfile -t libs < <(linked_libs "$TMP/lib/libwasmedge.so.0") ;;
    *) mapfile -t libs < <(linked_libs "$TMP/$BINARY") ;;
  esac
  local smoke_all="" s
  for s in "${SMOKE_JSON[@]}"; do smoke_all+="${smoke_all:+,
    }$s"; done
  cat > "$TMP/build.json" <<EOF
{
  "schemaVersion": 1,
  "name": $(js "$NAME"),
  "runtime": $(js "$RUNTIME"),
  "version": $(js "$VERSION"),
  "variant": $(js "$VARIANT"),
  "reportedVersion": $(js "$REPORTED"),
  "versionOutput": $(js "$VERSION_OUTPUT"),
  "source": $SOURCE_JSON,
  "dependencies": $DEPS_JSON,
  "compiler": {"cc": $(js "$cc_line"), "cxx": $(js "$cxx_line"), "ccPath": $(js "$(readlink -f "$(command -v "$CC")")"), "cxxPath": $(js "$(readlink -f "$(command -v "$CXX")")")},
  "${FLAGS_KIND}Flags": $(ja "${FLAGS[@]}"),
  "llvmVersion": $([ -n "$LLVM_VERSION" ] && js "$LLVM_VERSION" || echo null),
  "aot": $([ "$VARIANT" = llvm ] && echo true || echo false),
  "linkedLibraries": $(ja ${libs[@]+"${libs[@]}"}),
  $EXTRA_JSON
  "binary": $(js "$BINARY"),
  "binarySha256": $(js "$(sha256_of "$TMP/$BINARY")"),
  "files": [$files_json],
  "buildSeconds": $seconds,
  "builtAt": $(js "$BUILT_AT"),
  "host": {"nproc": $(nproc), "jobs": $JOBS, "loadavgStart": $(js "$load0"), "loadavgEnd": $(js "$load1"), "kernel": $(js "$(uname -r)")},
  "smoke": [
    $smoke_all
  ]
}
EOF
  if command -v node >/dev/null; then
    node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$TMP/build.json" || fail "wrote an invalid build.json"
  fi
}

loadavg() { local a b c _; read -r a b c _ </proc/loadavg; echo "$a $b $c"; }

build_one() {
  NAME=$1
  describe "$NAME"
  local lockfd t0 t1 seconds load0 load1
  DEST="$CACHE/$NAME"; TMP="$CACHE/$NAME.tmp"; WORK="$CACHE/$NAME.build"; LOG="$WORK/build.log"
  mkdir -p "$CACHE"
  exec {lockfd}>"$CACHE/$NAME.lock"
  if ! flock -n "$lockfd"; then log "$NAME: another build holds $CACHE/$NAME.lock; waiting"; flock "$lockfd"; fi
  if present "$NAME"; then echo "present: $NAME → $DEST"; exec {lockfd}>&-; return 0; fi
  describe "$NAME"
  rm -rf "$TMP" "$WORK"
  mkdir -p "$TMP" "$WORK"
  reset_state
  log "$NAME: building $RUNTIME $VERSION ($VARIANT) in $WORK (log: $LOG)"
  BUILT_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  load0=$(loadavg)
  t0=$(date +%s%N)
  case "$RUNTIME" in
    wasmedge) build_wasmedge ;;
    iwasm) build_wamr ;;
    crun) build_crun ;;
  esac
  t1=$(date +%s%N)
  load1=$(loadavg)
  seconds=$(( (t1 - t0) / 1000000 ))
  seconds="$((seconds / 1000)).$(printf %03d $((seconds % 1000)))"
  check_version
  smoke_checks
  write_record "$seconds" "$load0" "$load1"
  cp "$LOG" "$TMP/build.log"
  rm -rf "$DEST"
  mv "$TMP" "$DEST"
  rm -rf "$WORK"
  exec {lockfd}>&-
  echo "built: $NAME ($RUNTIME $REPORTED, $VARIANT) in $seconds s (load $load0 → $load1) → $DEST"
}

cmd_build() {
  local names todo=() n d
  mapfile -t names < <(expand "${@:-ci}") || exit 2
  [ ${#names[@]} -gt 0 ] || exit 2
  # crun needs its WasmEdge build first (unless crun itself is present).
  for n in "${names[@]}"; do
    describe "$n"
    present "$n" && DEPENDS=()
    for d in ${DEPENDS[@]+"${DEPENDS[@]}"}; do
      describe "$d" || die "unknown build: $d (EDGEBENCH_CRUN_WASMEDGE)"
      [[ " ${todo[*]} " == *" $d "* ]] || todo+=("$d")
    done
    [[ " ${todo[*]} " == *" $n "* ]] || todo+=("$n")
  done
  local absent=()
  for n in "${todo[@]}"; do present "$n" || absent+=("$n"); done
  [ ${#absent[@]} -eq 0 ] || verify_tarballs "${absent[@]}"
  for n in "${todo[@]}"; do build_one "$n"; done
}

cmd_status() {
  local names n rc=0
  mapfile -t names < <(expand "${@:-all}") || exit 2
  [ ${#names[@]} -gt 0 ] || exit 2
  for n in "${names[@]}"; do
    if present "$n"; then
      printf 'present  %-24s %s → %s\n' "$n" "$(record_summary "$CACHE/$n/build.json")" "$CACHE/$n"
    else
      printf 'absent   %s\n' "$n"; rc=1
    fi
  done
  return $rc
}

cmd_path() {
  [ $# -eq 1 ] || die "usage: build-runtimes.sh path NAME"
  describe "$1" || die "unknown build: $1 (builds: ${BUILDS[*]}; groups: ${GROUPS_KNOWN[*]})"
  present "$1" || die "$1 is not built (bash scripts/build-runtimes.sh build $1)" 1
  echo "$CACHE/$1"
}

cmd_list() {
  local n
  for n in "${BUILDS[@]}"; do describe "$n"; printf '%-24s %s %s (%s)\n' "$n" "$RUNTIME" "$VERSION" "$VARIANT"; done
  echo "group ci: ${GROUP_ci[*]}"
  echo "group all: ${BUILDS[*]}"
}

usage() { sed -n '7,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# expand() runs in a process substitution: check names here so that an unknown one exits 2 from this shell.
check_names() { local a; for a in "$@"; do case "$a" in all|ci) ;; *) describe "$a" || die "unknown build: $a (builds: ${BUILDS[*]}; groups: ${GROUPS_KNOWN[*]})" ;; esac; done; }

main() {
  local cmd="${1:-}"
  [ $# -gt 0 ] && shift
  case "$cmd" in
    build) check_names "$@"; cmd_build "$@" ;;
    status) check_names "$@"; cmd_status "$@" ;;
    path) cmd_path "$@" ;;
    list) cmd_list ;;
    *) usage ;;
  esac
}

# On one line, so that bash has read the whole file before any build starts (editing it mid-build is then harmless).
main "$@"; exit $?
