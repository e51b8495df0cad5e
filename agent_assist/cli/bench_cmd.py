"""``agent-assist bench``: performance figures measured on this machine."""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from agent_assist import app
from agent_assist.asr.model import RecognizerSettings
from agent_assist.audio import synth
from agent_assist.cli import bench_db, bench_publish, bench_review, bench_ui
from agent_assist.events import CallEnded, Final, Partial


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("bench", help="measure performance")
    bench_sub = p.add_subparsers(dest="bench", metavar="BENCH", required=True)
    pipe = bench_sub.add_parser(
        "pipeline",
        help="two speakers through the live pipeline at real-time pace",
        description=(
            "Replays a synthetic two-speaker call (stereo WAV, agent left, debtor right) "
            "at real-time pace through the audio source, one Vosk recogniser per speaker "
            "and the call session; reports CPU per audio second, capture-to-partial "
            "latency and peak memory."
        ),
    )
    pipe.add_argument("--model", default="ko", metavar="LANG|PATH", help="default: ko")
    pipe.add_argument("--minutes", type=float, default=5.0, help="call length (default 5)")
    pipe.add_argument(
        "--audio", type=Path, help="a stereo WAV to use instead of the synthetic call"
    )
    pipe.add_argument("--block-ms", type=int, default=100, help="audio block size (default 100)")
    pipe.add_argument(
        "--recycle-s", type=float, default=60.0, help="recogniser swap interval (0 = never)"
    )
    pipe.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    pipe.set_defaults(func=run_pipeline)
    rules = bench_sub.add_parser(
        "rules",
        help="matcher speed per update and pack load time; --quality: precision and recall",
        description=(
            "Speed: time per update for 40-character Mandarin and 20-word English partials "
            "with the bundled packs and a synthetic 5,000-pattern pack, and pack load time. "
            "--quality: precision and recall per category and per side on a labelled corpus "
            "(clean text and its Vosk-style variant)."
        ),
    )
    rules.add_argument("--quality", action="store_true", help="measure precision and recall")
    rules.add_argument("--pack", action="append", metavar="PACK", help="default: zh-CN and en-US")
    rules.add_argument(
        "--corpus", type=Path, metavar="DIR", help="corpus folder (default: tests/data/corpus)"
    )
    rules.add_argument(
        "--split",
        choices=("all", "dev", "heldout"),
        default="all",
        help="corpus half to score: dev (odd ids, for rule authors) or heldout (even ids)",
    )
    rules.add_argument("--errors", action="store_true", help="list misclassified utterances")
    rules.add_argument("--repeats", type=int, default=200, help="timing repeats per text")
    rules.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    rules.set_defaults(func=run_rules)
    bench_db.register(bench_sub)
    bench_ui.register(bench_sub)
    bench_review.register(bench_sub)
    bench_publish.register(bench_sub)


@dataclass(frozen=True, slots=True)
class PipelineFigures:
    audio_s: float
    wall_s: float
    cpu_s: float
    cpu_per_audio_s: float
    latency_p50_ms: float
    latency_p95_ms: float
    latency_max_ms: float
    partials: int
    finals: int
    overflows: int
    peak_rss_mb: float
    model_load_s: float
    block_ms: int
    model: str


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def measure_pipeline(
    model_spec: str, audio: Path, block_ms: int, settings: RecognizerSettings | None = None
) -> PipelineFigures:
    settings = settings or RecognizerSettings()
    t0 = time.perf_counter()
    model = app.open_model(model_spec, settings)
    load_s = time.perf_counter() - t0
    source = app.file_source(
        audio, ("agent", "debtor"), model.sample_rate, realtime=True, block_ms=block_ms
    )
    session = app.call_session(source, model, settings, level_interval_ms=0)
    latencies: list[float] = []
    finals = 0
    ended: CallEnded | None = None
    cpu0, wall0 = _cpu_seconds(), time.perf_counter()
    session.start()
    for event in session.events():
        if isinstance(event, Partial):
            latencies.append((time.monotonic_ns() - event.captured_ns) / 1e6)
        elif isinstance(event, Final):
            finals += 1
        elif isinstance(event, CallEnded):
            ended = event
    cpu_s, wall_s = _cpu_seconds() - cpu0, time.perf_counter() - wall0
    audio_s = (ended.t_ms if ended else 0) / 1000
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return PipelineFigures(
        audio_s=round(audio_s, 2),
        wall_s=round(wall_s, 2),
        cpu_s=round(cpu_s, 2),
        cpu_per_audio_s=round(cpu_s / audio_s, 3) if audio_s else float("nan"),
        latency_p50_ms=round(_percentile(latencies, 50), 1),
        latency_p95_ms=round(_percentile(latencies, 95), 1),
        latency_max_ms=round(max(latencies, default=float("nan")), 1),
        partials=len(latencies),
        finals=finals,
        overflows=ended.overflows if ended else 0,
        peak_rss_mb=round(peak_rss_mb, 1),
        model_load_s=round(load_s, 2),
        block_ms=block_ms,
        model=model.name,
    )


def make_bench_call(path: Path, minutes: float) -> Path:
    audio = synth.loop_to_duration(synth.render_call(synth.DEMO_CALL), minutes * 60)
    return synth.write_wav(path, audio)


def run_pipeline(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="agent-assist-bench-") as tmp:
        audio = args.audio or make_bench_call(Path(tmp) / "call.wav", args.minutes)
        settings = RecognizerSettings(recycle_after_s=args.recycle_s)
        figures = measure_pipeline(args.model, audio, args.block_ms, settings)
    if args.json:
        print(json.dumps(asdict(figures)))
        return 0
    f = figures
    print(f"model {f.model}: {f.audio_s:.0f} s of two-speaker audio in {f.wall_s:.0f} s")
    print(f"CPU per audio second (both speakers): {f.cpu_per_audio_s:.3f}")
    print(
        f"capture->partial latency ms: p50 {f.latency_p50_ms}  p95 {f.latency_p95_ms}  "
        f"max {f.latency_max_ms}  ({f.partials} partials, {f.finals} finals)"
    )
    print(f"peak RSS {f.peak_rss_mb:.0f} MB; model load {f.model_load_s:.1f} s")
    if f.overflows:
        print(f"warning: {f.overflows} audio blocks dropped", file=sys.stderr)
    return 0


def run_rules(args: argparse.Namespace) -> int:
    from agent_assist.cli import bench_rules

    packs = args.pack or ["zh-CN", "en-US"]
    if args.quality:
        figures = bench_rules.quality(packs, args.corpus, args.split, args.errors)
    else:
        figures = bench_rules.speed(packs, args.repeats)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(bench_rules.as_text(figures))
    return 0
