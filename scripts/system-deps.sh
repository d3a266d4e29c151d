#!/usr/bin/env bash
# Installs the Debian packages the project uses when they are missing: Tesseract with
# Dutch for OCR of scanned PDF pages, and with the argument `test` also Chromium, which
# the browser tests of the chat page drive. Without root or apt-get it only says what to
# install.
set -euo pipefail

packages=()
reasons=()
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx nld; then
  packages+=(tesseract-ocr tesseract-ocr-nld)
  reasons+=("scanned PDF pages need OCR")
fi
if [ "${1:-}" = test ] && [ ! -x /usr/bin/chromium ]; then
  packages+=(chromium)
  reasons+=("the chat page tests need chromium")
fi
[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${packages[*]} ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  printf -v why '%s; ' "${reasons[@]}"
  echo "note: ${why}install: sudo apt-get install ${packages[*]}" >&2
fi
