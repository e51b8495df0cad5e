#!/usr/bin/env bash
# Set up (if needed) and start Agent Assist on the embedded database with the
# demo team loaded: the desktop window as a demo collector (or, without a
# display, live transcription of the default input device in the terminal).
# The first start downloads the speech model for AGENT_ASSIST_LANG (default
# zh-CN; en-US for English). Extra arguments go to the desktop (or to
# 'agent-assist transcribe').
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
lang=${AGENT_ASSIST_LANG:-zh-CN}
.venv/bin/agent-assist db upgrade
.venv/bin/agent-assist db demo    # loads once; later starts find it there
if ! .venv/bin/agent-assist models path "$lang" >/dev/null 2>&1; then
    # Offline? The message says how to add a model by hand; another installed
    # model is still used below.
    .venv/bin/agent-assist models fetch "$lang" || true
fi
model=()
if .venv/bin/agent-assist models path "$lang" >/dev/null 2>&1; then
    model=(--model "$lang")
fi
user=zhang.wei ui_lang=zh
[ "$lang" = en-US ] && user=maria.lopez ui_lang=en
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ -n "${QT_QPA_PLATFORM:-}" ]; then
    # The desktop: the demo collector's worklist; "Demo call" plays a scripted call.
    # The demo bank's name for the suggested lines, unless the settings name a bank.
    .venv/bin/python - "$ui_lang" <<'PY' || true
import sys
from agent_assist.settings import load_settings, save_settings
from agent_assist.store.demo import demo_setup
if not load_settings().bank_name:
    save_settings({"bank_name": demo_setup(sys.argv[1])["bank"]})
PY
    # A user chosen in the window's Settings wins unless AGENT_ASSIST_LANG names a team.
    chosen=$(.venv/bin/python -c 'from agent_assist.settings import load_settings as s; print(s().user or "")' 2>/dev/null || true)
    who=()
    if [ -n "${AGENT_ASSIST_LANG:-}" ] || [ -z "$chosen" ]; then
        who=(--as "$user" --lang "$ui_lang")
    fi
    exec .venv/bin/agent-assist-desktop "${who[@]}" "$@"
fi
echo "No display found: starting live transcription in this terminal instead." >&2
exec .venv/bin/agent-assist transcribe --format text --as "$user" "${model[@]}" "$@"
