#!/usr/bin/env bash
# Rebuilds the benchmark fixtures in wasm-fixtures/ from wasm-fixtures/src/*.c:
#   wasm-fixtures/wasm/<name>.wasm          wasm32-wasi, clang-14 -O2, wasm-strip'ed
#   wasm-fixtures/native/<arch>/<name>      static native, gcc -O2 -s
#   wasm-fixtures/manifest.json             sha256 + size of every built file
# Output is reproducible: running this twice gives byte-identical files
# (relative source paths, prefix maps, no build-id, stripped symbols).
#
# Environment overrides: CLANG (default clang-14), GCC (default gcc),
# WASM_STRIP (default wasm-strip), WASI_SYSROOT (default /usr).
set -euo pipefail

export LC_ALL=C TZ=UTC
umask 022

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$ROOT/wasm-fixtures"
CLANG="${CLANG:-clang-14}"
GCC="${GCC:-gcc}"
WASM_STRIP="${WASM_STRIP:-wasm-strip}"
WASI_SYSROOT="${WASI_SYSROOT:-/usr}"
ARCH="$(uname -m)"

die() { echo "build-fixtures: $*" >&2; exit 1; }
# clang runs Binaryen's wasm-opt from PATH after linking at -O2 (it inlines the module into a few functions):
# without it the same sources give other bytes, so it is required, not optional.
for tool in "$CLANG" "$GCC" "$WASM_STRIP" wasm-opt node sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "required tool not found: $tool"
done

cd "$FIX"
mkdir -p wasm "native/$ARCH"

# Keep absolute build paths out of the outputs.
PREFIX_MAP=(-ffile-prefix-map="$FIX"=. -fdebug-prefix-map="$FIX"=.)

shopt -s nullglob
sources=(src/*.c)
[ ${#sources[@]} -gt 0 ] || die "no sources in $FIX/src"

for src in "${sources[@]}"; do
  name="$(basename "$src" .c)"
  echo "build-fixtures: $name" >&2

  # Sources marked `edgebench: native-only` get no Wasm build (none is now: http builds to Wasm on WasmEdge's socket ABI).
  if grep -q 'edgebench: native-only' "$src"; then
    rm -f "wasm/$name.wasm"
  else
  "$CLANG" --target=wasm32-wasi --sysroot="$WASI_SYSROOT" -O2 -Wall -Wextra \
    "${PREFIX_MAP[@]}" -o "wasm/$name.wasm.tmp" "$src"
  "$WASM_STRIP" "wasm/$name.wasm.tmp"
  chmod 0644 "wasm/$name.wasm.tmp"
  mv -f "wasm/$name.wasm.tmp" "wasm/$name.wasm"
  fi

  "$GCC" -static -O2 -s -Wall -Wextra -Wl,--build-id=none \
    "${PREFIX_MAP[@]}" -o "native/$ARCH/$name.tmp" "$src"
  chmod 0755 "native/$ARCH/$name.tmp"
  mv -f "native/$ARCH/$name.tmp" "native/$ARCH/$name"
done

# Manifest: one entry per built file (all arches present on disk), keys sorted.
CLANG_VERSION="$("$CLANG" --version | head -n1)" \
GCC_VERSION="$("$GCC" --version | head -n1)" \
node --input-type=module - <<'JS'
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';

const files = {};
const add = (rel, name) => {
  const src = `src/${name}.c`;
  if (!existsSync(src)) return; // stale output without a source: skip it
  const buf = readFileSync(rel);
  files[rel] = {
    sha256: createHash('sha256').update(buf).digest('hex'),
    sizeBytes: buf.length,
    source: src,
  };
};
for (const f of readdirSync('wasm')) {
  if (f.endsWith('.wasm')) add(`wasm/${f}`, f.slice(0, -'.wasm'.length));
}
for (const arch of readdirSync('native')) {
  for (const f of readdirSync(`native/${arch}`)) {
    if (!f.endsWith('.tmp')) add(`native/${arch}/${f}`, f);
  }
}
const sorted = Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]]));
const manifest = {
  schemaVersion: 1,
  toolchain: { clang: process.env.CLANG_VERSION, gcc: process.env.GCC_VERSION },
  files: sorted,
};
writeFileSync('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
JS
echo "build-fixtures: wrote $FIX/manifest.json" >&2
