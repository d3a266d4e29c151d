#!/usr/bin/env bash
# Installs the Debian packages the project uses when they are missing: Tesseract with
# Dutch for OCR of scanned PDF pages, and with the argument `test` also Chromium, which
# the browser tests of the chat page drive, and Node.js with npm, which run the OpenID
# Connect provider of the sign-in tests (its npm packages, pinned by
# tests/support/oidc/package-lock.json, are installed there with `npm ci`). Without root
# or apt-get it only says what to install.
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
if [ "${1:-}" = test ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  packages+=(nodejs npm)
  reasons+=("the sign-in tests run an OpenID Connect provider with node")
fi

if [ ${#packages[@]} -eq 0 ]; then
  :
elif [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${packages[*]} ..."
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
else
  printf -v why '%s; ' "${reasons[@]}"
  echo "note: ${why}install: sudo apt-get install ${packages[*]}" >&2
fi

# The provider's packages, again whenever the lock file changed.
oidc=$(dirname "$0")/../tests/support/oidc
if [ "${1:-}" = test ] && command -v npm >/dev/null 2>&1 \
  && [ "$oidc/package-lock.json" -nt "$oidc/node_modules/.package-lock.json" ]; then
  echo "installing the test OpenID provider (npm ci in tests/support/oidc) ..."
  npm ci --prefix "$oidc" --no-audit --no-fund --loglevel=error >/dev/null
fi
