"""Korean speech that the real Korean model decodes into a flag of the mini-ko pack.

espeak-ng's Korean voice is far from natural speech, so the small Korean
model hears most Korean sentences as other words. THREAT_SENTENCE is one it
decodes the same way run after run ("조시 바세 요 룩 이다 쥑이 니다"); the pack's
THREAT_RULE matches both the sentence (one of its ``should_flag`` examples)
and that decoding.
"""

from __future__ import annotations

from pathlib import Path

from agent_assist.audio import synth

PACK = Path(__file__).parents[1] / "data" / "packs" / "mini-ko"
THREAT_SENTENCE = "조심하세요, 가족이 다칩니다"  # "be careful, your family will get hurt"
THREAT_RULE = "ko.agent.threat.family"


def write_threat_call(path: Path) -> Path:
    """A stereo call WAV at ``path``: the collector (left) says THREAT_SENTENCE."""
    turn = synth.Turn("agent", THREAT_SENTENCE, voice="ko")
    return synth.write_wav(path, synth.render_call([turn]))
