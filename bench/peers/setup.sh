#!/usr/bin/env bash
# Installs the PyTorch peer's dependency (Debian python3-torch) with apt-get; `deno task setup-peers`.
set -euo pipefail
if dpkg-query -W -f='${Status}' python3-torch 2>/dev/null | grep -q "install ok installed"; then
  echo "setup-peers: python3-torch already installed" >&2
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >&2 || echo "setup-peers: apt-get update failed; trying the install anyway" >&2
"${sudo_cmd[@]}" apt-get install -y -qq python3-torch >&2
