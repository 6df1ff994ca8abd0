#!/usr/bin/env bash
# Install Debian packages the project needs when they are missing. Never downloads a browser
# from anywhere but Debian: Playwright drives Debian's chromium.
set -euo pipefail
missing=()
for package in "$@"; do
  case "$package" in
    chromium) command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || missing+=(chromium) ;;
    gettext) command -v msgfmt >/dev/null 2>&1 || missing+=(gettext) ;;
    wrk) command -v wrk >/dev/null 2>&1 || missing+=(wrk) ;;
    *) dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
