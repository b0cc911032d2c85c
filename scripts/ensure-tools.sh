#!/usr/bin/env bash
# The poster tests read the PDF as a printer would: poppler's pdftoppm renders it, and zbar (through pyzbar)
# reads the QR code back. Both come from Debian; pip cannot install them.
set -euo pipefail
missing=()
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0' || missing+=(libzbar0)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installerer ${missing[*]} (apt-get install) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Mangler ${missing[*]}. Installér dem (fx 'sudo apt-get install ${missing[*]}')." >&2
  exit 1
fi
