"""`digihuman batch`: real renders of tiny scripts through the process pool and Ray.

One batch (two good rows, an unknown persona, a missing mail-merge field) runs once through the
CLI; the tests read its videos, summary and manifest, then run it again to check resuming.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest

from digihuman.batch import read_jobs, run_batch
from digihuman.cli import main
from digihuman.errors import InputError
from digihuman.video.encoder import probe

JOBS = (
    "persona,script,name,output,fps,emotion\n"
    'default,"Hi {name}.",Ann,ann.mp4,,\n'
    'default,"Thanks {name}!",Bob,,20,joy\n'
    'nobody,"Hello {name}.",Cy,cy.mp4,,\n'
    'default,"Dear {title} {name}.",Di,di.mp4,,\n'
)


@pytest.fixture(scope="module")
def batch(tmp_path_factory, home):
    tmp = tmp_path_factory.mktemp("batch")
    jobs = tmp / "jobs.csv"
    jobs.write_text(JOBS, encoding="utf-8")
    out = tmp / "out"
    code = main(["batch", str(jobs), "-o", str(out), "--workers", "2", "--home", str(home), "-q"])
    return tmp, jobs, out, code


def _summary(out: Path) -> list[dict]:
    with open(out / "batch-summary.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_mail_merge_fills_each_row_and_applies_its_options(batch):
    _, _, out, _ = batch
    ann, bob = probe(out / "ann.mp4"), probe(out / "00002-default.mp4")
    assert ann.metadata["title"] == "Hi Ann."
    assert bob.metadata["title"] == "Thanks Bob!"
    assert (ann.width, ann.height) == (512, 512)
    assert ann.fps == pytest.approx(25.0) and bob.fps == pytest.approx(20.0)
    assert bob.audio_duration > 0.3 and bob.n_frames > 5


def test_bad_rows_fail_alone_with_clear_errors(batch):
    _, _, out, code = batch
    assert code == 1  # some rows failed
    rows = {int(r["row"]): r for r in _summary(out)}
    assert [rows[i]["status"] for i in (1, 2, 3, 4)] == ["done", "done", "failed", "failed"]
    assert "row 3" in rows[3]["error"] and "no persona called 'nobody'" in rows[3]["error"]
    assert "row 4" in rows[4]["error"] and "{title}" in rows[4]["error"] and "no column" in rows[4]["error"]
    assert not (out / "cy.mp4").exists() and not (out / "di.mp4").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no partial files


def test_summary_csv_lists_every_row(batch):
    _, _, out, _ = batch
    rows = _summary(out)
    assert list(rows[0]) == ["row", "status", "output", "seconds", "error"]
    assert [r["output"] for r in rows] == ["ann.mp4", "00002-default.mp4", "cy.mp4", "di.mp4"]
    assert float(rows[0]["seconds"]) > 0.1 and rows[0]["error"] == ""
    manifest = json.loads((out / "batch-manifest.json").read_text(encoding="utf-8"))["rows"]
    jobs, _ = read_jobs(batch[1])
    assert manifest["ann.mp4"]["key"] == jobs[0].key and set(manifest) == {"ann.mp4", "00002-default.mp4"}


def test_resume_skips_done_rows_and_redoes_changed_ones(batch, home):
    tmp, _, out, _ = batch
    again = tmp / "again"
    shutil.copytree(out, again)
    ann_time = (again / "ann.mp4").stat().st_mtime_ns
    # Bob's row now says something else: same output name, new content hash -> rendered again
    jobs = tmp / "jobs2.csv"
    jobs.write_text(JOBS.replace("Thanks {name}!", "Bye {name}!").replace("nobody", "default")
                    .replace("{title} ", ""), encoding="utf-8")
    report = run_batch(jobs, again, workers=1, home=home)
    assert [r.status for r in report.results] == ["skipped", "done", "done", "done"]
    assert (again / "ann.mp4").stat().st_mtime_ns == ann_time
    assert probe(again / "00002-default.mp4").metadata["title"] == "Bye Bob!"
    assert probe(again / "di.mp4").metadata["title"] == "Dear Di."
    assert not report.failed and report.results[1].peak_mb > 50
    # a deleted output is rendered again even though the manifest lists it
    (again / "ann.mp4").unlink()
    assert [r.status for r in run_batch(jobs, again, home=home).results] == ["done", "skipped", "skipped", "skipped"]


def test_ray_backend_renders_on_a_local_cluster(tmp_path, home):
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'ray>=2.60')")
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text('{"persona": "default", "script": "Hi {name}.", "name": "Eve", "size": 512}\n', encoding="utf-8")
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        report = run_batch(jobs, tmp_path / "out", workers=2, ray="auto", home=home)
    finally:
        ray.shutdown()
    assert [r.status for r in report.results] == ["done"]
    assert probe(tmp_path / "out" / "00001-default.mp4").metadata["title"] == "Hi Eve."


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "has no rows"),
    ("header.csv", b"persona,script\n", "has no rows"),
    ("cols.csv", b"who,text\nalice,Hi\n", "no 'persona' or 'script' column"),
    ("latin1.csv", "persona,script\ndefault,Grüße\n".encode("latin-1"), "not UTF-8"),
    ("bad.jsonl", b'{"persona": "default", "script": "Hi"}\n{"persona": \n', "line 2: not JSON"),
    ("nested.jsonl", b'{"persona": "default", "script": "Hi", "x": [1]}\n', "values must be text"),
    ("jobs.txt", b"persona,script\ndefault,Hi\n", "must end in .csv or .jsonl"),
    ("twice.csv", b"persona,script,output\ndefault,Hi,a.mp4\ndefault,Ho,a\n", "rows 1 and 2 both write 'a.mp4'"),
])
def test_bad_job_files_are_input_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace("[", r"\[")):
        read_jobs(path)


def test_bad_job_file_exits_2_before_rendering(tmp_path, capsys):
    (tmp_path / "j.csv").write_text("name\nAnn\n", encoding="utf-8")
    assert main(["batch", str(tmp_path / "j.csv"), "-o", str(tmp_path / "out")]) == 2
    assert "no 'persona' or 'script' column" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_row_errors_name_the_row(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [
        {"persona": "default", "script": "Hi {name}", "name": "Ann", "size": 333},
        {"persona": "default", "script": "Hi {name.__class__}", "name": "Ann"},
        {"persona": "default", "script": "Hi {{friend}} {name}", "name": "Ann", "rate": "fast"},
        {"persona": "default", "script": "Hi", "output": "../escape.mp4"},
        {"persona": "", "script": "Hi"},
        {"persona": "default", "script": "Hi {{friend}} {name}", "name": "Ann", "pitch": 2},
    ]), encoding="utf-8")
    jobs, bad = read_jobs(path)
    errors = {b.row: b.error for b in bad}
    assert "row 1: size 333 is not supported" in errors[1]
    assert "row 2: placeholder {name.__class__} is not a plain field name" in errors[2]
    assert "row 3: rate 'fast' is not a float" in errors[3]
    assert "row 4: output '../escape.mp4' is not a plain file name" in errors[4]
    assert "row 5: no persona" in errors[5]
    assert [(j.row, j.script, j.options.pitch) for j in jobs] == [(6, "Hi {friend} Ann", 2.0)]


def test_ray_missing_is_a_clear_error(tmp_path, home, monkeypatch):
    from digihuman.errors import BackendUnavailable

    jobs = tmp_path / "jobs.csv"
    jobs.write_text("persona,script\ndefault,Hi.\n", encoding="utf-8")
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without ray looks like to import
    with pytest.raises(BackendUnavailable, match="needs the 'ray' package") as err:
        run_batch(jobs, tmp_path / "out", ray="auto", home=home)
    assert "leave out --ray" in err.value.hint
    assert not list((tmp_path / "out").glob("*.mp4"))


def test_manifest_survives_damage_and_writes_whole_files(tmp_path):
    from digihuman.batch.run import Manifest

    path = tmp_path / "batch-manifest.json"
    path.write_text('{"version": 1, "rows": {"a.mp4": {"key": "', encoding="utf-8")  # torn by hand
    m = Manifest(path, every=0.0)
    assert m.entries == {}  # unreadable: every row renders again, nothing is skipped wrongly
    jobs, _ = read_jobs(_write(tmp_path / "j.csv", "persona,script,output\ndefault,Hi,a.mp4\n"))
    m.record(jobs[0], 1.5)
    assert json.loads(path.read_text(encoding="utf-8"))["rows"]["a.mp4"] == {"key": jobs[0].key, "row": 1, "seconds": 1.5}
    assert not m.done(jobs[0], tmp_path)  # recorded, but the video is not there
    (tmp_path / "a.mp4").write_bytes(b"x")
    assert Manifest(path).done(jobs[0], tmp_path)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
