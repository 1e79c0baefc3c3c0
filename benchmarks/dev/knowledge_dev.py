"""Development scores for knowledge answers on our own questions (never the held-out sets).

    PYTHONPATH=src python benchmarks/dev/knowledge_dev.py [-v]

Prints answered-right % (expected words in the reply), declined % of unanswerable questions (a
"partial" reply counts: it says a related known fact and that the asked thing is not known) and
the number of invented answers (an unanswerable question answered as if known).
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from digihuman.dialog.knowledge import KnowledgeBase
from digihuman.dialog.types import Turn
from digihuman.knowledge import answer_question

HERE = Path(__file__).parent
DATA = HERE.parents[1] / "tests" / "data" / "knowledge"


def main(verbose: bool = False) -> dict:
    spec = json.loads((HERE / "knowledge_dev.json").read_text())
    now = datetime.fromisoformat(spec["now"])
    tmp = Path(tempfile.mkdtemp())
    kbs = {}
    for name, files in spec["kbs"].items():
        kbs[name] = KnowledgeBase(tmp / f"{name}.sqlite")
        for f in files:
            kbs[name].add_file(DATA / f)
    right = answerable = declined = unanswerable = invented = 0
    for case in spec["cases"]:
        hist = [Turn(i, "dev", "user", h, "") for i, h in enumerate(case.get("history", []))]
        a = answer_question(case["q"], kbs[case["kb"]], history=hist, lang=case.get("lang", "en"), now=now)
        if case.get("vague"):
            ok = a.status == "vague"
        elif case["expect"] is None:
            unanswerable += 1
            ok = a.status in ("declined", "partial") and "know" in a.text or a.status == "declined"
            declined += ok
            invented += a.status == "answered"
        else:
            answerable += 1
            ok = a.status in ("answered", "partial") and all(w.lower() in a.text.lower() for w in case["expect"])
            if case.get("partial"):
                ok = ok and a.status == "partial"
            right += ok
        if verbose or not ok:
            print(f"{'ok ' if ok else 'BAD'} [{a.status}] {case['q']!r} -> {a.text}")
    scores = {"answered_right_pct": round(100 * right / max(1, answerable), 1),
              "declined_pct": round(100 * declined / max(1, unanswerable), 1), "invented": invented,
              "answerable": answerable, "unanswerable": unanswerable}
    print(json.dumps(scores))
    return scores


if __name__ == "__main__":
    main("-v" in sys.argv)
