#!/usr/bin/env bash
# Installs what is missing, builds, makes a demo store (once) and opens the window on it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target eventscope
data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/Eventscope
mkdir -p "$data_dir"
store="$data_dir/demo.db"
[ -f "$store" ] || build/release/app/eventscope demo "$store"
exec build/release/app/eventscope gui "$store"
