#!/usr/bin/env bash
# Removes what install.sh installed: the service, the app folders, the journald limits.
#   sudo packaging/linux/uninstall.sh [--purge]
# --purge also deletes the configuration, the device data (database, outbox, content cache,
# device key: anything not yet delivered to the server is lost) and the user `ontong`.
# ONTONG_ROOT=DIR works on DIR instead of / (no systemctl or user changes), as install.sh.
set -euo pipefail
ROOT=${ONTONG_ROOT:-}
PURGE=0
case "${1:-}" in
  --purge) PURGE=1 ;;
  "") ;;
  *) echo "usage: uninstall.sh [--purge]" >&2; exit 2 ;;
esac
if [ -z "$ROOT" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: run as root (sudo)" >&2; exit 2; }
  systemctl disable --now ontong-kiosk.service 2>/dev/null || true
fi
rm -f "$ROOT/etc/systemd/system/ontong-kiosk.service" \
  "$ROOT/etc/systemd/journald.conf.d/ontong-kiosk.conf"
rm -rf "$ROOT/opt/ontong-kiosk"
if [ -z "$ROOT" ]; then
  systemctl daemon-reload
  systemctl restart systemd-journald || true
fi
if [ "$PURGE" -eq 1 ]; then
  rm -rf "$ROOT/etc/ontong-kiosk" "$ROOT/var/lib/ontong-kiosk"
  if [ -z "$ROOT" ] && id ontong >/dev/null 2>&1; then userdel ontong; fi
  echo "Removed the app, its configuration, its data and the user ontong"
else
  echo "Removed the app; kept /etc/ontong-kiosk and /var/lib/ontong-kiosk (--purge removes them)"
fi
