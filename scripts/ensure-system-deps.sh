#!/usr/bin/env bash
# Installs etcd-server and nats-server from Debian when they are missing. Uses sudo only
# when not root.
set -euo pipefail
missing=()
command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ] || missing+=(etcd-server)
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || missing+=(nats-server)
command -v kubectl >/dev/null 2>&1 || echo "warning: kubectl is not on PATH; the e2e suite needs it" >&2
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing ${missing[*]} from Debian..."
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian's packages start system services where systemd runs; the launcher and the tests
# run their own instances on free ports, so those are not needed (and may not exist).
for unit in etcd nats-server; do
  $sudo systemctl disable --now "$unit" >/dev/null 2>&1 || true
done
