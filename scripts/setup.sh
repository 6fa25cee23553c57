#!/usr/bin/env bash
# Installs what causeway needs from Debian's archive (bookworm) and builds it in ./build.
# Run as root (or with sudo) on a fresh machine; safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t packages < scripts/packages.txt
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y "${missing[@]}"
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"
# The Python module into Debian's Python: /usr/local/lib/python3.X/dist-packages/causeway.
site=$(/usr/bin/python3 -c 'import site; print(site.getsitepackages()[0])')
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO rm -rf "$site/causeway"
$SUDO mkdir -p "$site"
$SUDO cp -r build/python/causeway "$site/causeway"
