#!/usr/bin/env bash
# Installs every Debian 12 package Mediateka needs to build, test and run.
#   --with-browser   also Chromium and Node.js, for the browser tests (scripts/test.sh)
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libxapian-dev xapian-tools
  libpoppler-cpp-dev poppler-utils
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev ffmpeg
  libcurl4-openssl-dev libpistache-dev
  libgtest-dev nlohmann-json3-dev libcli11-dev libtomlplusplus-dev
  libicu-dev libhunspell-dev hunspell-pl libxxhash-dev libspdlog-dev libfmt-dev
  libtesseract-dev libleptonica-dev tesseract-ocr-pol tesseract-ocr-eng libsodium-dev
  python3 python3-reportlab fonts-dejavu-core espeak-ng curl
  libxml2-utils libhttp-oai-perl python3-feedparser
)
if [ "${1:-}" = "--with-browser" ]; then
  packages+=(chromium)
  # A machine that has Node.js already keeps its own.
  command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 2; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
