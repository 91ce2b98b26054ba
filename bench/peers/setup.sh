#!/usr/bin/env bash
# Installs what the peers of bench/peers need with apt-get (`deno task setup-peers`): Debian's
# python3-torch (the PyTorch peer) and libopenblas0-pthread, so that both the suite and torch's numpy
# dispatch to an optimised BLAS (without it Debian falls back to the reference BLAS, which the bench
# check reports as such).
set -euo pipefail
apt_packages=(python3-torch libopenblas0-pthread)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-peers: ${apt_packages[*]} already installed" >&2
  exit 0
fi
echo "setup-peers: installing ${missing[*]} with apt-get" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >&2 || echo "setup-peers: apt-get update failed; trying the install anyway" >&2
"${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >&2
