#!/usr/bin/env bash
# Re-captures every peer, one after the other (about 5 minutes). Run as root from anywhere.
set -euo pipefail
here=$(dirname "$0")
for peer in gobgp frr exabgp bird bagpipe; do
  echo "== $peer"
  bash "$here/$peer.sh"
  export BUILD=0
done
