"""The database benchmark: the review queue on a large history, and many desktops writing."""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import random
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from agent_assist.store.bench_data import CATEGORIES, END
from agent_assist.store.call_log import apply_op
from agent_assist.store.calls_repo import CallRepository, QueueFilter
from agent_assist.store.database import Database, open_database
from agent_assist.store.records import Actor


@dataclass(frozen=True)
class Latency:
    count: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def latency(samples_s: list[float]) -> Latency:
    ms = sorted(s * 1000 for s in samples_s)
    p95 = statistics.quantiles(ms, n=100, method="inclusive")[94] if len(ms) > 1 else ms[0]
    return Latency(len(ms), round(statistics.median(ms), 2), round(p95, 2), round(ms[-1], 2))


def review_queue(db: Database, *, queries: int, teams: int, seed: int = 2) -> Latency:
    """Time the team lead's queue: random team, mixed filters, first page of 50."""
    rng = random.Random(seed)
    calls = CallRepository(db, str)
    samples: list[float] = []
    for i in range(queries):
        lead = Actor(user_id=0, role="team_lead", team_id=rng.randrange(teams) + 1)
        where = _filter(rng, i)
        started = time.perf_counter()
        page = calls.review_queue(lead, where)
        samples.append(time.perf_counter() - started)
        assert len(page) <= 50
    return latency(samples)


def _filter(rng: random.Random, i: int) -> QueueFilter:
    kind = i % 4
    if kind == 0:
        return QueueFilter()
    if kind == 1:
        return QueueFilter(category=rng.choice(CATEGORIES)[0])
    if kind == 2:
        return QueueFilter(min_severity="critical", since=END - timedelta(days=30))
    return QueueFilter(review_state=None, collector_id=rng.randrange(200) + 1)


def concurrent_writers(
    url: str, *, writers: int, ops_each: int, interval_s: float = 1.0
) -> Latency:
    """``writers`` desktops (one process and one connection each) recording calls at once.

    Each write (a segment, every fifth a flag) is one transaction, as in a live
    call; its latency is the commit time a desktop sees. Processes, not threads,
    so that one interpreter lock does not stand in for fifty computers.
    """
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(writers)
    results: multiprocessing.queues.Queue[list[float] | str] = context.Queue()
    procs = [
        context.Process(
            target=_desktop,
            args=(url, n),
            kwargs={"ops_each": ops_each, "interval_s": interval_s, "sync": (barrier, results)},
            daemon=True,
        )
        for n in range(writers)
    ]
    for proc in procs:
        proc.start()
    samples: list[float] = []
    failures: list[str] = []
    for _ in procs:
        got = results.get(timeout=600)
        if isinstance(got, str):
            failures.append(got)
        else:
            samples.extend(got)
    for proc in procs:
        proc.join(timeout=60)
    if failures:
        raise RuntimeError(f"{len(failures)} writers failed; first: {failures[0]}")
    return latency(samples)


def _desktop(url: str, n: int, *, ops_each: int, interval_s: float, sync: Any) -> None:
    barrier, results = sync
    try:
        db = open_database(url, upgrade=False, pool_size=1)
        call_id = uuid.uuid4().hex
        apply_op(db, _started(call_id, n))
        # A desktop in use has its statements compiled and its connection open;
        # warm up the same way so the figures are not a cold start of fifty programs.
        for i in range(-10, 0):
            apply_op(db, _flag(call_id, i) if i % 2 else _segment(call_id, i))
        barrier.wait()
        time.sleep(random.random() * interval_s)  # desktops do not write in lockstep
        mine: list[float] = []
        for i in range(ops_each):
            op = _flag(call_id, i) if i % 5 == 4 else _segment(call_id, i)
            t0 = time.perf_counter()
            apply_op(db, op)
            mine.append(time.perf_counter() - t0)
            time.sleep(interval_s)
        db.close()
        results.put(mine)
    except Exception as exc:  # reported by the parent
        results.put(f"{type(exc).__name__}: {exc}")


def _started(call_id: str, n: int) -> dict[str, object]:
    return {
        "op": "call_started",
        "call_id": call_id,
        "started_at": END.isoformat(),
        "audio_setup": "bench",
        "model": "bench",
        "user_id": n % 200 + 1,
        "team_id": n % 20 + 1,
        "case_id": None,
    }


def _segment(call_id: str, i: int) -> dict[str, object]:
    return {
        "op": "segment",
        "call_id": call_id,
        "speaker": "agent" if i % 2 else "debtor",
        "utterance": i,
        "start_ms": i * 3000,
        "end_ms": i * 3000 + 2500,
        "text": "您好 我 是 某某 银行 的 工作人员 请问 是 王 先生 吗",
        "confidence": 0.9,
    }


def _flag(call_id: str, i: int) -> dict[str, object]:
    return {
        "op": "flag",
        "call_id": call_id,
        "flag_id": f"f{i}",
        "rule_id": "zh.agent.threat.visit_workplace",
        "category": "agent.threat",
        "severity": "critical",
        "speaker": "agent",
        "utterance": i,
        "span_start": 0,
        "span_end": 4,
        "span_text": "去你单位",
        "kind": "exact",
        "score": 1.0,
        "state": "confirmed",
        "t_ms": i * 3000,
    }
