#!/usr/bin/env bash
# Installs the Debian 12 packages Eventscope builds, runs and tests with, if any are missing.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-charts-dev qt6-svg-dev qtkeychain-qt6-dev libgl-dev
  libsqlite3-dev sqlite3 libpqxx-dev nlohmann-json3-dev libgraphviz-dev libssl-dev
  libbenchmark-dev postgresql postgresql-client xvfb xauth clang-format appstream desktop-file-utils file
  poppler-utils python3
)
# The tests against Message DB and Emmett write with those systems' own Node.js code.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
