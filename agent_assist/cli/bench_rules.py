"""Figures behind ``agent-assist bench rules``: matcher speed and detection quality."""

from __future__ import annotations

import json
import time
from pathlib import Path

from agent_assist.errors import UserError
from agent_assist.paths import resources_dir
from agent_assist.rules import speed as rule_speed
from agent_assist.rules.loader import load_pack
from agent_assist.rules.matcher import compile_pack
from agent_assist.rules.quality import evaluate, in_split, read_corpus
from agent_assist.rules.registry import resolve_pack

_SYNTHETIC_PATTERNS = 5000
# A checkout keeps the labelled corpora beside the tests that use them.
_CHECKOUT_CORPUS = resources_dir().parent / "tests" / "data" / "corpus"


def speed(packs: list[str], repeats: int) -> dict[str, object]:
    figures: dict[str, object] = {}
    for spec in packs:
        t0 = time.perf_counter()
        pack = load_pack(resolve_pack(spec))
        load_s = time.perf_counter() - t0
        texts = rule_speed.SAMPLE_TEXTS[pack.info.language]
        result = rule_speed.measure_speed(pack, texts, repeats)
        figures[pack.info.id] = {"load_s": round(load_s, 3), **result}
    for language in ("zh", "en"):
        synthetic = rule_speed.synthetic_pack(_SYNTHETIC_PATTERNS, language)
        result = rule_speed.measure_speed(synthetic, rule_speed.SAMPLE_TEXTS[language], repeats)
        figures[f"synthetic-{language}-{_SYNTHETIC_PATTERNS}"] = result
    return figures


def quality(
    packs: list[str], corpus_dir: Path | None, split: str = "all", errors: bool = False
) -> dict[str, object]:
    folder = corpus_dir or _CHECKOUT_CORPUS
    figures: dict[str, object] = {}
    for spec in packs:
        pack = load_pack(resolve_pack(spec))
        corpus_file = folder / f"{pack.info.id}.jsonl"
        if not corpus_file.is_file():
            raise UserError(
                f"no labelled corpus for {pack.info.id} at {corpus_file}; "
                "give the corpus folder with --corpus DIR"
            )
        corpus = [u for u in read_corpus(corpus_file) if in_split(u, split)]
        matcher = compile_pack(pack)
        entry: dict[str, object] = {"utterances": len(corpus), "split": split}
        for variant, field in (("clean", "text"), ("vosk", "vosk")):
            report = evaluate(matcher, corpus, field)
            entry[variant] = report.as_dict()
            if errors:
                entry[f"{variant}_errors"] = report.errors
        figures[pack.info.id] = entry
    return figures


def as_text(figures: dict[str, object]) -> str:
    lines = []
    for name, value in figures.items():
        assert isinstance(value, dict)
        if "clean" in value:
            lines.append(f"{name} ({value['utterances']} utterances, {value['split']})")
            for variant in ("clean", "vosk"):
                for side, score in value[variant]["per_side"].items():
                    lines.append(
                        f"  {variant:5} {side:6} precision {score['precision']:.3f} "
                        f"recall {score['recall']:.3f}"
                    )
            for category, score in value["clean"]["per_category"].items():
                vosk = value["vosk"]["per_category"].get(category, {})
                lines.append(
                    f"    {category:30} P {score['precision']:.2f} R {score['recall']:.2f}"
                    f"   vosk P {vosk.get('precision', 0):.2f} R {vosk.get('recall', 0):.2f}"
                )
            for variant in ("clean", "vosk"):
                for error in value.get(f"{variant}_errors", []):
                    lines.append(f"  {variant} {json.dumps(error, ensure_ascii=False)}")
        else:
            lines.append(
                f"{name}: p50 {value['p50_us']:.0f} us, p99 {value['p99_us']:.0f} us per update; "
                f"compile {value['compile_s']:.3f} s"
                + (f", load {value['load_s']:.3f} s" if "load_s" in value else "")
            )
    return "\n".join(lines)
