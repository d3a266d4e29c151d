#!/usr/bin/env bash
# Installs the Debian packages the project uses when they are missing: Tesseract with
# Dutch for OCR of scanned PDF pages. Without root or apt-get it only says what to install.
set -euo pipefail

packages=()
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx nld; then
  packages+=(tesseract-ocr tesseract-ocr-nld)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${packages[*]} ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  echo "note: scanned PDF pages need OCR; install: sudo apt-get install ${packages[*]}" >&2
fi
