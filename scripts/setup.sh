#!/usr/bin/env bash
# Set up Agent Assist on Debian/Ubuntu: system packages, a virtualenv in .venv,
# and the Python packages pinned in constraints.txt. Safe to run again.
#   scripts/setup.sh          what the app needs
#   scripts/setup.sh --dev    plus what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "Agent Assist needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))." >&2
    echo "Install it (e.g. 'sudo apt-get install python3.11 python3.11-venv') and set PYTHON=python3.11." >&2
    exit 1
fi

# Debian packages: PortAudio for sounddevice, Qt's X11/EGL runtime libraries,
# a CJK font; for tests also speech synthesis, sox, PulseAudio and Xvfb.
packages=(libportaudio2 libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4
          libxcb-keysyms1 fonts-wqy-microhei python3-venv)
if [ "$DEV" = 1 ]; then
    packages+=(espeak-ng sox pulseaudio pulseaudio-utils libasound2-plugins xvfb)
fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
        echo "Please install these packages with your system's package manager: ${missing[*]}" >&2
        exit 1
    fi
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    say "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    say "Creating the virtual environment in .venv"
    "$PYTHON" -m venv .venv
fi

extra=""
[ "$DEV" = 1 ] && extra="[dev]"
stamp=".venv/.installed${extra}"
want="$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Python packages (pinned in constraints.txt)"
    .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".${extra}"
    echo "$want" > "$stamp"
fi
