# Debian source packages (apt-get source): adds one deb-src entry for bookworm main when none of ours is there.
# Sourced by dev-cluster.sh (kubernetes) and build-runtimes.sh (crun).

# Writes /etc/apt/sources.list.d/edgebench-src.sources once and refreshes the lists; returns 0 if it was already there.
ensure_deb_src() {
  grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/edgebench-src.sources && return 0
  cat > /etc/apt/sources.list.d/edgebench-src.sources <<'EOS'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
  apt-get update -qq
}
