#!/usr/bin/env bash
# Set up (if needed) and start Agent Assist: live transcription of the default
# input device. Extra arguments go to 'agent-assist transcribe'.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/agent-assist transcribe --format text "$@"
