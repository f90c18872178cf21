#!/usr/bin/env bash
# Installs the built one-folder app as a kiosk or media board that starts at boot.
#
#   sudo packaging/linux/install.sh --folder dist/ontong-kiosk --mode kiosk --dong hoehyeon \
#        [--panel-inches 32] [--server-url https://ontong.example] [--enroll-code CODE] \
#        [--screen-off 23:00-06:00] [--device-name NAME] [--update-key PUBLIC_KEY] [--no-start]
#        [--staff-pin-file FILE]
#
# What it does: creates the system user `ontong`, copies the folder to
# /opt/ontong-kiosk/<version>/ (and points /opt/ontong-kiosk/current at it), writes the one
# configuration file /etc/ontong-kiosk/config.toml (kept when it exists, unless --force-config),
# installs the X packages the session needs, the systemd unit and the journald limits, enrols
# the device when --enroll-code is given, and enables (and starts) ontong-kiosk.service.
# The staff PIN (there is no default): read from --staff-pin-file, else asked on a terminal
# (empty: one is made), else made up; a made-up PIN is printed once. Only its scrypt hash is
# kept, in the device database (`ontong-kiosk sync set-pin`); a reinstall keeps the PIN set.
# --update-key (the publisher key `python -m server update-key` printed) turns on app updates:
# the app user may then add version folders and flip `current` in /opt/ontong-kiosk (sticky).
#
# ONTONG_ROOT=DIR installs into DIR instead of / and skips the user, apt, enrolment and
# systemctl steps (for tests and for building an image).
set -euo pipefail

ROOT=${ONTONG_ROOT:-}
HERE=$(cd "$(dirname "$0")" && pwd)
FOLDER="" MODE=kiosk DONG="" PANEL=32 SERVER_URL="" CODE="" SCREEN_OFF="" NAME="" START=1
FORCE_CONFIG=0 UPDATE_KEY="" PIN_FILE=""

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "install.sh: $*" >&2; exit 2; }

while (($#)); do
  case "$1" in
    --folder) FOLDER=$2; shift ;;
    --mode) MODE=$2; shift ;;
    --dong) DONG=$2; shift ;;
    --panel-inches) PANEL=$2; shift ;;
    --server-url) SERVER_URL=$2; shift ;;
    --enroll-code) CODE=$2; shift ;;
    --screen-off) SCREEN_OFF=$2; shift ;;
    --device-name) NAME=$2; shift ;;
    --update-key) UPDATE_KEY=$2; shift ;;
    --staff-pin-file) PIN_FILE=$2; shift ;;
    --no-start) START=0 ;;
    --force-config) FORCE_CONFIG=1 ;;
    -h | --help) usage 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done

[ -n "$FOLDER" ] && [ -x "$FOLDER/ontong-kiosk" ] || die "--folder must be the built dist/ontong-kiosk"
case "$MODE" in kiosk | board) ;; *) die "--mode is kiosk or board, not $MODE" ;; esac
[[ "$PANEL" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--panel-inches must be a number, not $PANEL"
[[ -z "$DONG" || "$DONG" =~ ^[a-z0-9-]+$ ]] || die "--dong is a dong id such as hoehyeon"
[[ -z "$SERVER_URL" || "$SERVER_URL" =~ ^https?://[^\"[:space:]]+$ ]] || die "bad --server-url"
[[ -z "$NAME" || "$NAME" != *'"'* ]] || die "--device-name may not hold a double quote"
[[ -z "$UPDATE_KEY" || "$UPDATE_KEY" =~ ^[A-Za-z0-9+/]{43}=$ ]] || die "--update-key is base64 of 32 bytes"
windows=()
if [ -n "$SCREEN_OFF" ]; then
  IFS=, read -r -a spans <<<"$SCREEN_OFF"
  for span in "${spans[@]}"; do
    [[ "$span" =~ ^([0-2][0-9]:[0-5][0-9])-([0-2][0-9]:[0-5][0-9])$ ]] ||
      die "--screen-off is HH:MM-HH:MM[,HH:MM-HH:MM...], not $span"
    windows+=("{ start = \"${BASH_REMATCH[1]}\", end = \"${BASH_REMATCH[2]}\" }")
  done
fi
[[ -z "$PIN_FILE" || -r "$PIN_FILE" ]] || die "--staff-pin-file $PIN_FILE cannot be read"
if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then die "run as root (sudo)"; fi

VERSION=$("$FOLDER/ontong-kiosk" --version)
OPT="$ROOT/opt/ontong-kiosk"
ETC="$ROOT/etc/ontong-kiosk"
DATA="/var/lib/ontong-kiosk"
CONFIG="$ETC/config.toml"

if [ -z "$ROOT" ]; then
  echo "Installing the X session packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    xserver-xorg xinit x11-xserver-utils x11-utils xserver-xorg-legacy dbus-user-session \
    libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 \
    speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2 >/dev/null
  if ! id ontong >/dev/null 2>&1; then
    useradd --system --home-dir "$DATA" --create-home --shell /usr/sbin/nologin \
      --comment "Ontong kiosk" ontong
  fi
  usermod -a -G video,audio,input,tty,render ontong 2>/dev/null ||
    usermod -a -G video,audio,input,tty ontong
fi

echo "Installing version $VERSION into $OPT/$VERSION"
mkdir -p "$OPT" "$ETC" "$ROOT$DATA/data"
rm -rf "$OPT/$VERSION.new"
cp -a "$FOLDER" "$OPT/$VERSION.new"
rm -rf "$OPT/$VERSION"
mv "$OPT/$VERSION.new" "$OPT/$VERSION"
ln -sfn "$VERSION" "$OPT/current"
install -m 0755 "$HERE/ontong-kiosk-session" "$HERE/ontong-kiosk-screen-hours" \
  "$HERE/ontong-kiosk-launch" "$OPT/"
install -m 0644 "$HERE/README-linux.md" "$OPT/" 2>/dev/null || true

if [ -f "$CONFIG" ] && [ "$FORCE_CONFIG" -eq 0 ]; then
  echo "Keeping the existing $CONFIG (--force-config writes a new one)"
else
  {
    echo "# Ontong kiosk configuration (written by install.sh; every key: README.md, Configuration)"
    echo "mode = \"$MODE\""
    [ -z "$DONG" ] || echo "dong = \"$DONG\""
    [ -z "$NAME" ] || echo "device_name = \"$NAME\""
    echo "panel_diagonal_inches = $PANEL"
    echo "data_dir = \"$DATA/data\""
    [ -z "$SERVER_URL" ] || echo "server_url = \"$SERVER_URL\""
    local_windows=$(IFS=,; echo "${windows[*]:-}")
    echo "screen_off = [${local_windows}]"
    if [ -n "$UPDATE_KEY" ]; then
      echo "update_public_key = \"$UPDATE_KEY\""
      echo "update_root = \"/opt/ontong-kiosk\""
    fi
  } >"$CONFIG.new"
  mv "$CONFIG.new" "$CONFIG"
  echo "Wrote $CONFIG"
fi
chmod 0644 "$CONFIG"

mkdir -p "$ROOT/etc/systemd/system" "$ROOT/etc/systemd/journald.conf.d"
install -m 0644 "$HERE/ontong-kiosk.service" "$ROOT/etc/systemd/system/ontong-kiosk.service"
install -m 0644 "$HERE/journald-ontong-kiosk.conf" \
  "$ROOT/etc/systemd/journald.conf.d/ontong-kiosk.conf"

# The staff PIN: the app has none until one is set (README, "Staff PIN").
new_pin() {
  local n
  n=$(od -An -N4 -tu4 /dev/urandom | tr -d ' \n')
  printf '%08d' $((n % 100000000))
}
set_staff_pin() {
  local pin="" again="" made=0 rc=0
  if [ -n "$PIN_FILE" ]; then
    pin=$(head -n 1 "$PIN_FILE")
  elif [ -t 0 ]; then
    read -r -s -p "New staff PIN (6-8 digits; empty: make one up): " pin && echo
    if [ -n "$pin" ]; then
      read -r -s -p "Again: " again && echo
      [ "$pin" = "$again" ] || die "the two PINs differ"
    fi
  fi
  if [ -z "$pin" ]; then pin=$(new_pin); made=1; fi
  local run=("$OPT/current/ontong-kiosk" sync set-pin --config "$CONFIG" --keep-existing
    --pin-file -)
  if [ -n "$ROOT" ]; then
    run+=(--data-dir "$ROOT$DATA/data")
  else
    run=(runuser -u ontong -- "${run[@]}")
  fi
  printf '%s\n' "$pin" | "${run[@]}" >/dev/null || rc=$?
  case "$rc" in
    0)
      if [ "$made" -eq 1 ]; then
        echo "Staff PIN (shown once; write it down): $pin"
      else
        echo "Staff PIN set"
      fi ;;
    3) echo "Keeping the staff PIN already set on this device (ontong-kiosk sync set-pin changes it)" ;;
    *) die "the staff PIN could not be set (exit $rc)" ;;
  esac
}

if [ -n "$ROOT" ]; then
  set_staff_pin
  echo "Installed under $ROOT (no user, packages, enrolment or service changes)"
  exit 0
fi

chown -R ontong:ontong "$DATA"
# The staff page's 기기 설정 rewrites the configuration (a temporary file beside it, then a
# rename), so the app user may write in its folder.
chown root:ontong "$ETC" "$CONFIG" && chmod 0775 "$ETC" && chmod 0664 "$CONFIG"
if [ -n "$UPDATE_KEY" ]; then
  # Updates: the app user adds version folders and flips the symlinks; the sticky bit keeps it
  # from replacing what root installed (the launcher, the session, the first version).
  chown root:ontong "$OPT" && chmod 1775 "$OPT"
  chown -h ontong:ontong "$OPT/current"
fi
# Xorg started by a non-root user from a service (xserver-xorg-legacy).
printf 'allowed_users=anybody\nneeds_root_rights=yes\n' >/etc/X11/Xwrapper.config
systemctl restart systemd-journald
set_staff_pin

if [ -n "$CODE" ]; then
  [ -n "$SERVER_URL" ] || die "--enroll-code needs --server-url"
  runuser -u ontong -- "$OPT/current/ontong-kiosk" enroll "$SERVER_URL" "$CODE" \
    --config "$CONFIG" --keep-pin ${NAME:+--name "$NAME"}
fi

systemctl daemon-reload
systemctl enable ontong-kiosk.service
systemctl set-default graphical.target >/dev/null
if [ "$START" -eq 1 ]; then
  systemctl restart ontong-kiosk.service
  echo "Started: systemctl status ontong-kiosk; journalctl -u ontong-kiosk -f"
fi
