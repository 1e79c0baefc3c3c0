"""The trust policy: only the owner changes shared knowledge (with history and undo); what other
users claim stays their own memory and is never told to anyone else. Real models, real files."""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import io
import json
import sqlite3

import pytest

from conftest import DATA
from digihuman.cli import main
from digihuman.dialog.conversation import Conversation
from digihuman.dialog.knowledge import KnowledgeBase
from digihuman.dialog.teaching import lesson, private_data, topic
from digihuman.dialog.types import Personality
from digihuman.errors import InputError
from digihuman.memory import Fact

DESC = "the owner of a small bakery"


def _texts(conv: Conversation) -> list[str]:
    return [e.text for e in conv.knowledge.log.entries()]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    conv = Conversation("Mia", tmp_path_factory.mktemp("shop"), Personality(0.5, DESC))
    yield conv
    conv.close()


def test_owner_teaches_everyone_users_only_themselves(shop):
    shop.chat("boss", "Remember that the shop opens at 9 now.", role="owner")
    assert _texts(shop) == ["The shop opens at 9."]
    assert shop.knowledge.log.entries()[0].who == "boss"
    assert "9" in shop.chat("bob", "What time does the shop open?").text  # shared with every user

    shop.chat("jisu", "The shop closes at 8 now.")
    shop.chat("jisu", "Remember: Tom's address is 12 Elm Street and his phone number is 010-1234-5678.")
    shop.chat("jisu", "fyi the bakery is moving to Gangnam next month")
    mine = [m.text for m in shop.memories("jisu")]
    assert "(partner) says the shop closes at 8" in mine
    assert any("Elm Street" in t for t in mine)
    assert _texts(shop) == ["The shop opens at 9."]  # nothing a plain user said became shared knowledge
    for q in ("When does the shop close?", "What is Tom's address?", "what's tom's phone number",
              "Where is the bakery moving?", "What did jisu tell you?", "closing time tonight?"):
        reply = shop.chat("bob", q)
        said = reply.text + " ".join(p.text for p in reply.knowledge_used) + " ".join(m.text for m in reply.memories_used)
        for secret in ("8", "Elm", "010", "Gangnam"):
            assert secret not in said, (q, reply.text)
    assert shop.memories("bob") == [] or all("Elm" not in m.text for m in shop.memories("bob"))

    n = shop.forget("jisu", all=True)  # a user's forget --all removes everything they added
    assert n >= 3 and shop.memories("jisu") == [] and _texts(shop) == ["The shop opens at 9."]


def test_owner_cannot_publish_third_party_personal_data(shop):
    shop.chat("boss", "Remember that Tom Baker's phone number is 010-9876-5432.", role="owner")
    assert not any("9876" in t for t in _texts(shop))
    assert any("9876" in m.text for m in shop.memories("boss"))
    assert "9876" not in shop.chat("bob", "What is Tom Baker's phone number?").text
    shop.chat("boss", "Remember that our phone number is 02-555-0100.", role="owner")  # the shop's own: shared
    assert any("02-555-0100" in t for t in _texts(shop))


def test_replace_list_forget_undo(tmp_path):
    with Conversation("Mia", tmp_path / "k", Personality(0.5, DESC)) as conv:
        log = conv.knowledge.log
        conv.chat("boss", "the shop opens at 9 now", role="owner")
        conv.chat("boss", "Actually the shop opens at 10 now", role="owner")  # same topic: replaced
        assert _texts(conv) == ["The shop opens at 10."]
        assert "10" in conv.chat("ann", "when do you open").text
        assert [c.action for c in log.history()] == ["add", "replace"]

        undone = log.undo(who="boss")
        assert undone.action == "replace" and _texts(conv) == ["The shop opens at 9."]
        pid = log.entries()[0].id
        log.forget(pid, who="boss")
        assert _texts(conv) == [] and conv.knowledge.search("when do you open", k=3) == []
        log.undo(who="boss")
        assert [e.id for e in log.entries()] == [pid]  # restored with the same id
        with pytest.raises(InputError):
            log.forget(9999, who="boss")

        conv.chat("boss", "Remember that the cafe has free wifi.", role="owner")
        assert len(_texts(conv)) == 2
        conv.forget("boss", all=True)  # a plain user claiming the owner's id cannot wipe shared knowledge
        assert len(_texts(conv)) == 2
        conv.chat("boss", "hi", role="owner")
        assert conv.forget("boss", all=True, role="owner") >= 2 and _texts(conv) == []  # the owner's forget --all
        log.undo(who="boss")
        assert len(_texts(conv)) == 2
        assert [c.action for c in log.history()][-2:] == ["forget", "undo"]
        while log.undo(who="boss") is not None:  # undo walks back through the whole history
            pass
        assert _texts(conv) == [] and len(conv.knowledge) == 0


def test_history_survives_restart_and_a_bad_file_changes_nothing(tmp_path):
    doc = tmp_path / "hours.md"
    doc.write_text("# Hours\nWe open at 7:00 on weekdays.\n", encoding="utf-8")
    kb = KnowledgeBase(tmp_path / "k.sqlite")
    assert kb.log.add_file(doc, who="owner") == 1
    kb.close()
    kb = KnowledgeBase(tmp_path / "k.sqlite")  # a new process
    assert [c.action for c in kb.log.history()] == ["add"] and kb.log.entries()[0].who == "owner"
    bad = tmp_path / "hours.csv"
    bad.write_bytes(b"\xff\xfe\x00binary")
    with pytest.raises(InputError):
        kb.log.add_file(bad, who="owner")
    assert len(kb.log.history()) == 1 and len(kb) == 1
    doc.write_text("# Hours\nWe open at 8:00 on weekdays.\n", encoding="utf-8")
    kb.log.add_file(doc, who="owner")  # a new version replaces the old one ...
    assert [p.text for p in kb.search("opening", k=3)] == ["We open at 8:00 on weekdays."]
    kb.log.undo(who="owner")  # ... and undo brings the old version back
    assert [p.text for p in kb.search("opening", k=3)] == ["We open at 7:00 on weekdays."]
    kb.close()
    with sqlite3.connect(tmp_path / "k.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_policy_units():
    assert topic("The shop opens at 9 on weekdays") == topic("the shop opens at 10:30 on weekdays")
    assert topic("The oven is new") == topic("the oven is old") == "oven is"
    assert topic("Our manager is Tom Lee") == topic("our manager is Jane")
    assert topic("The cafe has free wifi") != topic("The cafe has a terrace")
    assert private_data("Jane Smith's address is 4 Oak Road") and not private_data("Our address is 4 Oak Road")
    world = Fact("fact:shop closing hours", "the shop closes at 8", "(partner) says the shop closes at 8", "partner")
    name = Fact("name", "Jisu", "(partner) name is Jisu", "partner")
    user = lesson([world, name], None, "user")
    assert not user.shared and [f.key for f in user.facts] == ["claim:shop closing hours", "name"]
    owner = lesson([world, name], None, "owner")
    assert owner.shared == (("shop closing hours", "The shop closes at 8."),) and owner.facts == (name,)
    note = lesson([], "my sister's birthday is in May", "owner")
    assert not note.shared and note.facts[0].value == "your sister's birthday is in May"
    assert lesson([], "we are closed on Mondays", "owner").shared  # the owner's "we" is the business
    assert not lesson([], "we are closed on Mondays", "user").shared
    with pytest.raises(InputError):
        lesson([], "x", "admin")


# ---- CLI ---------------------------------------------------------------------------------------
def _chat(capsys, monkeypatch, home, user, *messages, teacher=False) -> list[str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(messages) + "\n/quit\n"))
    args = ["--home", str(home), "-q", "chat", "mina", "--user", user] + (["--teacher"] if teacher else [])
    assert main(args) == 0
    return [line.split("> ", 1)[1] for line in capsys.readouterr().out.splitlines() if line.startswith("mina> ")]


def _list(capsys, home) -> list[dict]:
    assert main(["--home", str(home), "knowledge", "list", "mina", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_teacher_list_forget_undo_add(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    assert main(["--home", str(home), "-q", "persona", "create", "mina", "--photo", str(DATA / "obama2.jpg"),
                 "--description", DESC, "--knowledge", str(DATA / "knowledge" / "bakery.md")]) == 0
    files = _list(capsys, home)
    assert files and {e["source"] for e in files} == {"bakery.md"} and all(e["who"] == "owner:cli" for e in files)

    _chat(capsys, monkeypatch, home, "jisu", "Remember that the shop closes at 11 now.")
    assert not any("11" in e["text"] for e in _list(capsys, home))
    _chat(capsys, monkeypatch, home, "me", "Remember that the shop closes at 6 on Sundays now.", teacher=True)
    taught = [e for e in _list(capsys, home) if e["source"] == "conversation"]
    assert [e["who"] for e in taught] == ["me"] and "6" in taught[0]["text"]
    assert "6" in _chat(capsys, monkeypatch, home, "bob", "When does the shop close on Sundays?")[0]

    assert main(["--home", str(home), "knowledge", "list", "mina"]) == 0
    out = capsys.readouterr().out
    assert f"#{taught[0]['id']}" in out and "(me)" in out and "bakery.md" in out

    assert main(["--home", str(home), "-q", "knowledge", "forget", "mina", "--id", str(taught[0]["id"])]) == 0
    assert not any(e["source"] == "conversation" for e in _list(capsys, home))
    assert main(["--home", str(home), "-q", "knowledge", "undo", "mina"]) == 0
    assert any(e["id"] == taught[0]["id"] for e in _list(capsys, home))
    assert main(["--home", str(home), "knowledge", "forget", "mina", "--id", "99999"]) == 2
    assert "no knowledge passage" in capsys.readouterr().err

    doc = tmp_path / "holidays.md"
    doc.write_text("# Holidays\nWe are closed on Christmas Day and on New Year's Day.\n", encoding="utf-8")
    assert main(["--home", str(home), "-q", "knowledge", "add", "mina", "--file", str(doc)]) == 0
    assert main(["--home", str(home), "-q", "knowledge", "add", "mina", "--text", "Parking is free after 6 pm."]) == 0
    meta = json.loads((home / "personas" / "mina" / "persona.json").read_text())
    assert meta["knowledge"] == ["bakery.md", "holidays.md"]
    assert (home / "personas" / "mina" / "knowledge" / "holidays.md").is_file()
    entries = _list(capsys, home)
    assert any("Christmas" in e["text"] for e in entries) and any("Parking" in e["text"] for e in entries)
    assert main(["--home", str(home), "knowledge", "list", "mina", "--log", "--json"]) == 0
    actions = [c["action"] for c in json.loads(capsys.readouterr().out)]
    assert actions[-5:] == ["add", "forget", "undo", "add", "add"]
    assert main(["--home", str(home), "-q", "knowledge", "undo", "mina"]) == 0
    assert not any("Parking" in e["text"] for e in _list(capsys, home))


# ---- server --------------------------------------------------------------------------------------
def test_server_admin_token_teaches_user_tokens_stay_private(tmp_path):
    from fastapi.testclient import TestClient

    from digihuman.server import create_app
    from digihuman.server.auth import user_token
    from digihuman.server.guard import LOCAL_HOSTS

    secret = "admin-token-123456"
    admin = {"Authorization": f"Bearer {secret}"}
    jisu, bob = ({"Authorization": f"Bearer {user_token(secret, u)}"} for u in ("jisu", "bob"))
    app = create_app(tmp_path, token=secret, warm_up=False, allowed_hosts=(*LOCAL_HOSTS, "testserver"))
    with TestClient(app) as c:
        def say(headers, who, message):
            r = c.post("/api/chat", headers=headers, json={"user": who, "message": message})
            assert r.status_code == 200, r.text
            return r.json()["text"]

        say(jisu, "jisu", "Remember that the museum opens at 11 now.")
        say(admin, "owner", "Remember that the gift shop closes at 5 pm now.")
        conv = app.state.store.load("default").conversation()
        taught = [e for e in conv.knowledge.log.entries() if e.source == "conversation"]
        assert [(e.who, e.text) for e in taught] == [("owner", "The gift shop closes at 5 pm.")]
        assert "5" in say(bob, "bob", "When does the gift shop close?")
        assert "11" not in say(bob, "bob", "When does the museum open?")
        assert c.get("/api/personas", headers=bob).status_code == 200  # what the page needs
        assert c.get("/api/personas/default/memories?user=jisu", headers=bob).status_code == 403
        assert c.delete("/api/personas/default/memories?user=jisu&all=true", headers=bob).status_code == 403
        assert c.post("/api/chat", headers={"Authorization": "Bearer nope-nope-nope"},
                      json={"user": "x", "message": "hi"}).status_code == 401
        mine = c.get("/api/personas/default/memories?user=jisu", headers=jisu).json()
        assert mine[0]["text"].startswith("(partner) says the museum opens at 11")
