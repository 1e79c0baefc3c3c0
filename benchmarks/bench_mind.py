"""Held-out evaluation of the conversation engine for issue 8 ("The mind"), public API only.

Loads a round folder (default: the newest ``benchmarks/heldout/round*``), replays every set through
``Conversation.chat`` with the builtin engine in temporary folders on one core, and prints one
figure per target of issue 8. Sections whose files are missing are skipped with a note, so
``--dev DIR`` runs the same scoring on any folder in the same format.

    python benchmarks/bench_mind.py [--round DIR | --dev DIR] [-v] [--json FILE]

Scoring rules (the sets' README says the same):
- ``expect``: a list of groups; every group needs one alternative in the reply (case-insensitive
  substring, curly quotes folded).
- ``forbid``: none may appear (case-insensitive; whole word where the string starts/ends with a
  letter or digit, so "Nia" does not hit "California").
- A reply is a *decline* when it matches DECLINE_EN / DECLINE_KO below.
- A reply is *cheerful* when its emotion label is "joy" or it matches CHEERFUL below.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"  # one core, before numpy / the embedding model load

import argparse  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from digihuman.dialog.conversation import Conversation  # noqa: E402
from digihuman.dialog.types import Emotion, Personality, Reply  # noqa: E402

HERE = Path(__file__).resolve().parent

# Honest "I don't know" phrasings (en), and their Korean counterparts.
DECLINE_EN = re.compile(
    r"\b(?:i\s+(?:really\s+)?(?:do\s*n[o']?t|don't)\s+know|not\s+sure|no\s+(?:information|info|details|record)"
    r"|(?:do\s*n[o']?t|don't)\s+have\s+(?:any\s+|that\s+|the\s+|those\s+)?(?:information|info|details|data|record)"
    r"|(?:doesn't|does\s*not|do\s*n[o']?t|don't)\s+(?:say|mention|list|cover)"
    r"|can'?t\s+(?:tell|say|find)|cannot\s+(?:tell|say|find)|could\s*n[o']?t\s+find|couldn't\s+find"
    r"|i'?m\s+afraid\s+i|i\s+am\s+afraid\s+i|not\s+(?:mentioned|listed|stated|covered)"
    r"|isn't\s+(?:mentioned|listed)|unable\s+to\s+(?:answer|say|find|tell)|no\s+idea)\b", re.I)
DECLINE_KO = re.compile(r"모르|잘 모르겠|정보가 없|정보는 없|알 수 없|나와 있지 않|확인할 수 없|안내되어 있지 않")
CHEERFUL = re.compile(
    r"great to hear|glad to hear|good to hear|awesome|wonderful|yay\b|fantastic|congrat|how exciting|"
    r"that's great|that is great|how lovely|😊|🎉|😄|😀|😃|🥳|😁|👍|🙌", re.I)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
STOP = set("""a an the and or but if so of to in on at for with from by about as is are was were be been being
am do does did have has had i me my mine you your yours we our us it its it's this that these those what
which who whom whose when where why how there here not no yes can could would should will shall may might
must just really very too also than then them they their he she his her him i'm you're that's don't
like think some any all more most much many one ones thing things get got quite well lot lots""".split())
VERBOSE = False


def fold(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ").lower()


def group_ok(reply: str, alts: list[str]) -> bool:
    r = fold(reply)
    return any(fold(a) in r for a in alts)


def expect_ok(reply: str, expect: list[list[str]]) -> bool:
    return all(group_ok(reply, g) for g in expect)


def forbid_hits(reply: str, forbid: list[str]) -> list[str]:
    r, hits = fold(reply), []
    for f in forbid:
        f2 = fold(f)
        pat = ("\\b" if f2[:1].isalnum() else "") + re.escape(f2) + ("\\b" if f2[-1:].isalnum() else "")
        if re.search(pat, r):
            hits.append(f)
    return hits


def declined(reply: str, lang: str = "en") -> bool:
    return bool((DECLINE_KO if lang == "ko" else DECLINE_EN).search(reply))


def mostly_hangul(reply: str) -> bool:
    h, l = len(HANGUL.findall(reply)), len(LATIN.findall(reply))
    return h > 0 and h >= l


def content_words(text: str) -> set[str]:
    words = re.findall(r"[a-z][a-z'-]{2,}", fold(text))
    return {w.rstrip("s") for w in words if w not in STOP}


def fail(section: str, item: str, reply: str, why: str) -> None:
    if VERBOSE:
        print(f"  FAIL [{section}] {item!r}\n       -> {reply!r}  ({why})", flush=True)


class Runner:
    """Makes conversations in temporary folders and times every chat turn."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.n, self.times, self.errors = tmp, 0, [], 0
        params = inspect.signature(Conversation.__init__).parameters
        self.owner_kw = "owner" if "owner" in params else None

    def conv(self, persona: str, name: str, extraversion: float = 0.5, description: str = "") -> Conversation:
        kwargs = {"engine": "builtin"}
        if self.owner_kw:  # a later API: the owner may teach; our users are all non-owners
            kwargs[self.owner_kw] = "heldout-owner"
        return Conversation(persona, self.tmp / name, Personality(extraversion, description), **kwargs)

    def chat(self, conv: Conversation, user: str, message: str):
        """The reply, or a stand-in that fails every check when the engine raises (counted in errors)."""
        t0 = time.perf_counter()
        try:
            reply = conv.chat(user, message)
        except Exception as exc:  # one broken turn must not hide every other figure
            self.errors += 1
            if self.errors == 1:
                print(f"note: chat raised {type(exc).__name__}: {exc} (counted as a failed turn)", flush=True)
            reply = Reply(f"<error {type(exc).__name__}>", Emotion())
        self.times.append(time.perf_counter() - t0)
        return reply

    def fresh_user(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"


# ---- knowledge and catalog ----------------------------------------------------------------------
def run_qa(run: Runner, folder: Path, spec: dict, name: str, lang: str = "en") -> dict:
    """Answerable right / unanswerable declined / invented for one document or catalog set."""
    doc = folder / (spec.get("document") or spec["catalog"])
    persona = spec.get("persona", "Alex")
    conv = run.conv(persona, f"qa-{name}", 0.5, f"{persona} answers customers' questions for the business")
    conv.knowledge.add_file(doc)
    right = declined_n = invented = 0
    answerable, unanswerable = spec.get("answerable", []), spec.get("unanswerable", [])
    try:
        for item in answerable:
            user = run.fresh_user("qa")
            for t in item.get("turns", []):
                run.chat(conv, user, t)
            text = run.chat(conv, user, item["q"]).text
            hits = forbid_hits(text, item.get("forbid", []))
            ok = expect_ok(text, item["expect"]) and not hits and (lang != "ko" or mostly_hangul(text))
            right += ok
            invented += bool(hits)
            if not ok:
                fail(name, item["q"], text, f"forbidden {hits}" if hits else "expected " + str(item["expect"]))
        for item in unanswerable:
            user = run.fresh_user("qa")
            for t in item.get("turns", []):
                run.chat(conv, user, t)
            text = run.chat(conv, user, item["q"]).text
            hits = forbid_hits(text, item["forbid"])
            ok = declined(text, lang) and not hits and (lang != "ko" or mostly_hangul(text))
            declined_n += ok
            invented += bool(hits)
            if not ok:
                fail(name, item["q"], text, f"invented {hits}" if hits else "not a decline")
    finally:
        conv.close()
    return {"answerable": len(answerable), "right": right, "unanswerable": len(unanswerable),
            "declined": declined_n, "invented": invented}


# ---- memory across sessions -----------------------------------------------------------------------
def run_memory(run: Runner, spec: dict, name: str, lang: str = "en") -> dict:
    """Replays the sessions (a new Conversation each = restart), then asks the probes in a new one."""
    persona = spec.get("persona", "Robin")
    for session in spec["sessions"]:
        conv = run.conv(persona, f"mem-{name}", 0.6)
        try:
            for user, messages in session.items():
                for m in messages:
                    run.chat(conv, user, m)
        finally:
            conv.close()
    conv = run.conv(persona, f"mem-{name}", 0.6)
    out = {"probes": 0, "recalled": 0, "superseded": 0, "isolation": 0, "leaks": 0, "hangul_fail": 0}
    try:
        for p in spec["probes"]:
            text = run.chat(conv, p["user"], p["q"]).text
            hits = forbid_hits(text, p.get("forbid", []))
            korean_ok = lang != "ko" or mostly_hangul(text)
            out["hangul_fail"] += not korean_ok
            if p.get("isolation"):
                out["isolation"] += 1
                out["leaks"] += bool(hits)
                if hits:
                    fail(name, f"{p['user']}: {p['q']}", text, f"leaked {hits}")
                continue
            out["probes"] += 1
            ok = expect_ok(text, p["expect"]) and not hits and korean_ok
            out["recalled"] += ok
            out["superseded"] += bool(hits)
            if not ok:
                fail(name, f"{p['user']}: {p['q']}", text, f"superseded {hits}" if hits else f"expected {p['expect']}")
    finally:
        conv.close()
    return out


# ---- the long relationship ----------------------------------------------------------------------
def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?。])\s+|\n+", text)
    return [" ".join(re.findall(r"[\w']+", fold(s))) for s in parts if len(re.findall(r"[\w']+", s)) >= 2]


ANSWER_MARK = re.compile(r"\b(i'm|i am|i think|i'd|i feel|i love|i like|yes|no|not at all|doing)\b", re.I)


def ignored(question: str, reply: str) -> bool:
    """Simple check: the reply neither shares a content word with the question nor sounds like an answer."""
    asked = " ".join(s for s in re.split(r"(?<=[.!?])\s+", question) if s.strip().endswith("?"))
    return not (content_words(asked) & content_words(reply)) and not ANSWER_MARK.search(reply) \
        and not declined(reply)


def run_relationship(run: Runner, spec: dict) -> dict:
    persona, user = spec.get("persona", "Robin"), spec.get("user", "friend")
    replies: list[str] = []
    asked = ignored_n = 0

    def say(conv: Conversation, message: str) -> str:
        nonlocal asked, ignored_n
        text = run.chat(conv, user, message).text
        replies.append(text)
        if "?" in message:
            asked += 1
            if ignored(message, text):
                ignored_n += 1
                fail("relationship/ignored", message, text, "question ignored")
        return text

    for session in spec["sessions"]:
        conv = run.conv(persona, "relationship", 0.6, "a warm friend who likes to chat")
        try:
            for m in session:
                say(conv, m)
        finally:
            conv.close()
    conv = run.conv(persona, "relationship", 0.6, "a warm friend who likes to chat")
    fractions = []
    try:
        for q in spec["questions"]:
            text = say(conv, q["q"])
            words = [w if isinstance(w, list) else [w] for w in q["answer_words"]]
            got = sum(group_ok(text, w) for w in words)
            fractions.append(got / len(words))
            if got < len(words):
                fail("relationship", q["q"], text, f"{got}/{len(words)} of {q['answer_words']}")
    finally:
        conv.close()
    repeats = 0
    for i, text in enumerate(replies):
        recent = {s for r in replies[max(0, i - 10):i] for s in sentences(r)}
        for s in sentences(text):
            if s in recent:
                repeats += 1
                fail("relationship/repeat", s, text, "same sentence within 10 turns")
    return {"questions": len(fractions), "answer_words": statistics.mean(fractions) if fractions else 0.0,
            "replies": len(replies), "repeated_sentences": repeats, "asked": asked, "ignored": ignored_n}


# ---- emotion ----------------------------------------------------------------------------------------
def run_emotion(run: Runner, spec: dict) -> dict:
    conv = run.conv(spec.get("persona", "Robin"), "emotion", 0.6, "a friendly assistant")
    recognize = None
    out = {"messages": 0, "label": 0, "negative": 0, "cheerful": 0, "detail_n": 0, "detail": 0,
           "sarcasm_n": 0, "sarcasm": 0, "sarcasm_false": 0, "target_n": 0, "target": 0, "mixed_n": 0, "mixed": 0}
    try:
        for m in spec["messages"]:
            reply = run.chat(conv, run.fresh_user("emo"), m["text"])
            emo = getattr(reply, "user_emotion", None)
            if emo is None:
                if recognize is None:
                    print("note: Reply has no user_emotion; labels read with "
                          "digihuman.emotion.recognize_text_emotion(message)", flush=True)
                    from digihuman.emotion import recognize_text_emotion as recognize
                emo = recognize(m["text"])
            out["messages"] += 1
            ok = emo.label == m["label"]
            out["label"] += ok
            if not ok:
                fail("emotion", m["text"], f"{emo.label}/{emo.detail}", f"expected {m['label']}")
            if m.get("detail"):
                out["detail_n"] += 1
                out["detail"] += getattr(emo, "detail", "") == m["detail"]
            if m.get("also"):
                out["mixed_n"] += 1
                out["mixed"] += getattr(emo, "secondary", "") == m["also"]
            if m.get("sarcasm"):
                out["sarcasm_n"] += 1
                out["sarcasm"] += bool(getattr(emo, "sarcasm", False))
            else:
                out["sarcasm_false"] += bool(getattr(emo, "sarcasm", False))
            if m.get("target"):
                out["target_n"] += 1
                out["target"] += getattr(emo, "target", "") == m["target"]
            if m.get("negative"):
                out["negative"] += 1
                if reply.emotion.label == "joy" or CHEERFUL.search(reply.text):
                    out["cheerful"] += 1
                    fail("emotion/cheerful", m["text"], reply.text, f"reply emotion {reply.emotion.label}")
    finally:
        conv.close()
    return out


# ---- the persona's own profile ----------------------------------------------------------------------
def run_self(run: Runner, spec: dict) -> dict:
    persona = spec.get("persona", "Robin")
    first: dict[str, str] = {}
    later = consistent = declines = profile_n = 0
    for s_i, session in enumerate(spec["sessions"]):
        conv = run.conv(persona, "self", spec.get("extraversion", 0.5), spec.get("description", ""))
        try:
            for q in session["questions"]:
                text = run.chat(conv, session["user"], q["q"]).text
                if q.get("profile", True):
                    profile_n += 1
                    if declined(text):
                        declines += 1
                        fail("self/decline", q["q"], text, "declined a profile question")
                if q["key"] not in first:
                    first[q["key"]] = text
                    continue
                later += 1
                ref = content_words(first[q["key"]]) - content_words(q["q"])
                shared = ref & content_words(text)
                if q.get("profile", True):
                    ok = bool(ref) and len(shared) * 2 >= len(ref) and not declined(text)
                else:  # an opinion may honestly stay "I don't know", as long as it stays that
                    both_declined = declined(first[q["key"]]) and declined(text)
                    ok = both_declined or (bool(ref) and len(shared) * 2 >= len(ref) and not declined(text))
                consistent += ok
                if not ok:
                    fail("self", f"s{s_i + 1} {q['q']}", text, f"first said {first[q['key']]!r}")
        finally:
            conv.close()
    return {"later": later, "consistent": consistent, "profile": profile_n, "declines": declines}


# ---- driver -------------------------------------------------------------------------------------------
def pct(a: int, b: int) -> float:
    return 100.0 * a / b if b else 0.0


def line(name: str, value: str, target: str = "") -> None:
    print(f"{name:<52} {value:>12}" + (f"   (target {target})" if target else ""), flush=True)


def main(argv: list[str] | None = None) -> dict:
    global VERBOSE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--round", type=Path, help="held-out round folder (default: the newest)")
    ap.add_argument("--dev", type=Path, help="score another folder in the same format")
    ap.add_argument("-v", action="store_true", help="print every failing item")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    args = ap.parse_args(argv)
    VERBOSE = args.v
    folder = args.dev or args.round
    if folder is None:
        rounds = sorted(HERE.glob("heldout/round*"), key=lambda p: int(re.sub(r"\D", "", p.name) or 0))
        if not rounds:
            sys.exit("no benchmarks/heldout/round* folder")
        folder = rounds[-1]
    print(f"sets: {folder}", flush=True)
    figures: dict = {"folder": str(folder)}
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench_mind_") as tmp:
        run = Runner(Path(tmp))
        if not run.owner_kw:
            print("note: Conversation has no owner role; non-owner teaching is checked as isolation only")

        qa = {}
        for f in sorted(folder.glob("knowledge_*.json")) + sorted(folder.glob("catalog_*.json")):
            qa[f.stem] = run_qa(run, folder, json.loads(f.read_text()), f.stem)
        know = {k: v for k, v in qa.items() if k.startswith("knowledge_")}
        if qa:
            for k, v in qa.items():
                line(f"  {k}: answerable right", f"{v['right']}/{v['answerable']}")
                line(f"  {k}: unanswerable declined", f"{v['declined']}/{v['unanswerable']}")
            a = sum(v["answerable"] for v in know.values()); r = sum(v["right"] for v in know.values())
            u = sum(v["unanswerable"] for v in know.values()); d = sum(v["declined"] for v in know.values())
            inv = sum(v["invented"] for v in qa.values())
            cat = {k: v for k, v in qa.items() if k.startswith("catalog_")}
            ca = sum(v["answerable"] for v in cat.values()); cr = sum(v["right"] for v in cat.values())
            line("knowledge: answerable right (%)", f"{pct(r, a):.1f}", ">= 90")
            line("knowledge: unanswerable declined (%)", f"{pct(d, u):.1f}", ">= 95")
            line("catalog: answerable right (%)", f"{pct(cr, ca):.1f}", ">= 90")
            line("knowledge+catalog: invented answers (count)", f"{inv}", "0")
            figures["knowledge"] = {"sets": qa, "answerable_pct": pct(r, a), "declined_pct": pct(d, u),
                                    "catalog_pct": pct(cr, ca), "invented": inv}
        else:
            print("note: no knowledge_*.json / catalog_*.json, knowledge skipped")

        if (folder / "memory_users.json").exists():
            m = run_memory(run, json.loads((folder / "memory_users.json").read_text()), "users")
            line("memory: recall in later sessions (%)", f"{pct(m['recalled'], m['probes']):.1f}", ">= 90")
            line("memory: superseded facts repeated (count)", f"{m['superseded']}", "0")
            line("memory: other users' / taught facts leaked (count)", f"{m['leaks']}/{m['isolation']}", "0")
            figures["memory"] = {**m, "recall_pct": pct(m["recalled"], m["probes"])}
        else:
            print("note: no memory_users.json, memory skipped")

        if (folder / "self.json").exists():
            s = run_self(run, json.loads((folder / "self.json").read_text()))
            line("self: later answers consistent (%)", f"{pct(s['consistent'], s['later']):.1f}", "100")
            line("self: profile questions declined (count)", f"{s['declines']}/{s['profile']}", "0")
            figures["self"] = {**s, "consistent_pct": pct(s["consistent"], s["later"])}
        else:
            print("note: no self.json, self skipped")

        if (folder / "relationship.json").exists():
            rel = run_relationship(run, json.loads((folder / "relationship.json").read_text()))
            line("relationship: answer words in replies (mean)", f"{rel['answer_words']:.2f}", ">= 0.50")
            line("relationship: repeated sentences within 10 turns", f"{rel['repeated_sentences']}", "0")
            line("relationship: questions ignored", f"{rel['ignored']}/{rel['asked']}", "0")
            figures["relationship"] = rel
        else:
            print("note: no relationship.json, relationship skipped")

        if (folder / "emotion.json").exists():
            e = run_emotion(run, json.loads((folder / "emotion.json").read_text()))
            line("emotion: labels right (%)", f"{pct(e['label'], e['messages']):.1f}", ">= 80")
            line("emotion: cheerful replies to negative messages", f"{e['cheerful']}/{e['negative']}", "0")
            line("  emotion: detail right", f"{e['detail']}/{e['detail_n']}")
            line("  emotion: mixed (secondary) right", f"{e['mixed']}/{e['mixed_n']}")
            line("  emotion: sarcasm found", f"{e['sarcasm']}/{e['sarcasm_n']}")
            line("  emotion: sarcasm false alarms", f"{e['sarcasm_false']}")
            line("  emotion: anger at us (target persona) found", f"{e['target']}/{e['target_n']}")
            figures["emotion"] = {**e, "label_pct": pct(e["label"], e["messages"])}
        else:
            print("note: no emotion.json, emotion skipped")

        if (folder / "korean.json").exists():
            ko = json.loads((folder / "korean.json").read_text())
            kq = run_qa(run, folder, ko, "korean", lang="ko")
            km = run_memory(run, ko["memory"], "korean", lang="ko")
            passed = kq["right"] + kq["declined"] + km["recalled"] + (km["isolation"] - km["leaks"])
            total = kq["answerable"] + kq["unanswerable"] + km["probes"] + km["isolation"]
            line("  korean: knowledge right / declined",
                 f"{kq['right']}/{kq['answerable']} {kq['declined']}/{kq['unanswerable']}")
            line("  korean: memory recall / leaks", f"{km['recalled']}/{km['probes']} {km['leaks']}")
            line("korean: knowledge and memory checks passed (%)", f"{pct(passed, total):.1f}", ">= 80")
            figures["korean"] = {"knowledge": kq, "memory": km, "checks_pct": pct(passed, total)}
        else:
            print("note: no korean.json, Korean skipped")

    if run.times:
        med = statistics.median(run.times) * 1000
        line("info: median chat turn (ms, shared machine)", f"{med:.1f}", "<= 50 with 10,000 memories: bench_dialog")
        figures["median_turn_ms"] = med
    line("engine errors (turns that raised)", f"{run.errors}", "0")
    figures["errors"] = run.errors
    figures["turns"] = len(run.times)
    figures["wall_s"] = time.perf_counter() - t_start
    print(f"{len(run.times)} turns in {figures['wall_s']:.0f} s", flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    return figures


if __name__ == "__main__":
    main()
