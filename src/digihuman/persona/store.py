"""Where personas live on disk, and creating, listing, loading and deleting them.

The home folder is, in order: the ``home`` argument (CLI ``--home``), the ``DIGIHUMAN_HOME``
environment variable, or the per-user data directory (e.g. ``~/.local/share/digihuman``);
never the working directory. A persona is built in a hidden temporary folder and renamed into
place in one step, so a crash or an error never leaves a half-made persona behind.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np

from .._fs import owned_temp, write_bytes_atomic, write_json_atomic
from ..errors import PersonaError
from ..dialog.types import Personality
from .model import (
    DEFAULT_NAME,
    DEFAULT_VOICE,
    Consent,
    Persona,
    base_voice_for,
    face_from_dict,
    parse_extraversion,
    personality_from_dict,
    utc_now,
)
from .photo import load_photo
from .profile import default_profile, edit_profile, profile_from_dict

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def default_home() -> Path:
    env = os.environ.get("DIGIHUMAN_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("digihuman", appauthor=False))


def check_name(name: str) -> str:
    """Return the name if it is a safe folder name; never lets a name escape the persona folder."""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise PersonaError(
            f"invalid persona name {name!r}",
            "use 1-64 lowercase letters, digits, '-' or '_', starting with a letter or digit",
        )
    return name


class PersonaStore:
    """The personas in one home folder."""

    def __init__(self, home: str | os.PathLike | None = None) -> None:
        self.home = Path(home).expanduser() if home is not None else default_home()
        self.root = self.home / "personas"

    def _dir(self, name: str) -> Path:
        return self.root / check_name(name)

    def names(self) -> list[str]:
        """Stored persona names, sorted (the built-in default is not included)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if NAME_RE.fullmatch(p.name) and (p / "persona.json").is_file())

    def exists(self, name: str) -> bool:
        return name == DEFAULT_NAME or (self._dir(name) / "persona.json").is_file()

    def create(
        self,
        name: str,
        photo: str | os.PathLike,
        *,
        voice: str | os.PathLike | None = None,
        lang: str = "en",
        extraversion: str | float = "medium",
        description: str = "",
        knowledge: list[str | os.PathLike] | tuple = (),
        catalog: str | os.PathLike | None = None,
        force: bool = False,
        consent: str = "",
        voice_name: str | None = None,
    ) -> Persona:
        """Analyse ``photo`` (and the ``voice`` sample, if given) and store persona ``name``.

        ``knowledge`` files (markdown, FAQ, product CSV, text) are copied into the persona and
        indexed for retrieval; a product ``catalog`` (CSV/JSON) is saved for the sales assistant.
        Every input is checked and analysed before anything is written; ``force`` replaces an
        existing persona completely (its memories included). ``consent`` is recorded with the
        photo's and voice sample's file names and SHA-256. ``voice_name`` picks the base voice
        (``digihuman voices`` lists them; default: the language's default voice).
        """
        from ..face.landmarks import analyze_face
        from ..speech.languages import resolve_language

        check_name(name)
        if name == DEFAULT_NAME:
            raise PersonaError("'default' is the built-in persona's name", "choose another name")
        dest = self._dir(name)
        if dest.exists() and not force:
            raise PersonaError(f"persona {name!r} already exists", "use --force to replace it, or choose another name")
        lang = resolve_language(lang).code
        base_voice = _voice_id(voice_name, lang)
        image = load_photo(photo)
        face = analyze_face(image)  # raises FaceError before anything is written
        profile = _analyze_voice(voice, lang) if voice is not None else None
        docs = [Path(k).expanduser() for k in knowledge]
        for doc in docs:
            if not doc.is_file():
                raise PersonaError(f"knowledge file {str(doc)!r} does not exist", "check the path")
        if len({d.name for d in docs}) != len(docs):
            raise PersonaError("two knowledge files have the same name", "rename one of them")
        products = _read_catalog(catalog) if catalog is not None else None
        persona = Persona(name=name, photo=image, face=face, voice=base_voice, lang=lang,
                          voice_profile=profile, personality=Personality(parse_extraversion(extraversion), description),
                          knowledge=tuple(d.name for d in docs), created=utc_now(), path=dest,
                          profile=default_profile(name, description, lang),
                          consent=Consent(consent.strip(), *_source(photo), *(_source(voice) if voice is not None else ("", "")),
                                          photo_synthetic=_synthetic(photo)))

        def fill(tmp: Path) -> None:
            _write_persona(tmp, persona)
            if docs:
                _add_knowledge(tmp, docs)
            if products is not None:
                products.save(tmp)

        self._commit(dest, fill)
        return persona

    def folder(self, name: str) -> Path:
        """Where a persona's state (memory, knowledge, catalog, leads) lives, without loading it."""
        if name == DEFAULT_NAME:
            return self.home / "default-persona"  # as Persona.state_dir for the built-in persona
        if not self.exists(name):
            raise PersonaError(f"no persona called {name!r} in {self.root}", "see 'digihuman persona list'")
        return self._dir(name)

    def set_catalog(self, name: str, catalog: str | os.PathLike):
        """Give a stored persona a product catalog (replacing its old one); returns the Catalog."""
        if name == DEFAULT_NAME:
            raise PersonaError("the built-in default persona cannot be changed", "create your own persona first")
        folder = self.folder(name)
        products = _read_catalog(catalog)
        products.save(folder)  # one atomic file replace: the old catalog stays whole until then
        return products

    def add_knowledge(self, name: str, files: list[str | os.PathLike]) -> Persona:
        """Teach a stored persona more documents; the persona is unchanged if any file is bad."""
        old = self.load(name)
        if old.builtin:
            raise PersonaError("the built-in default persona cannot be changed", "create your own persona first")
        docs = [Path(f).expanduser() for f in files]
        clash = {d.name for d in docs} & set(old.knowledge)
        if clash:
            raise PersonaError(f"the persona already knows {', '.join(sorted(clash))}", "rename the new file")
        persona = replace(old, knowledge=old.knowledge + tuple(d.name for d in docs))

        def fill(tmp: Path) -> None:
            _add_knowledge(tmp, docs)
            write_json_atomic(tmp / "persona.json", persona.describe())

        self._commit(old.path, fill, base=old.path)
        return persona

    def set_voice(self, name: str, voice: str | os.PathLike) -> Persona:
        """Learn a persona's voice from a new sample; the persona is unchanged if that fails."""
        old = self.load(name)
        if old.builtin:
            raise PersonaError("the built-in default persona cannot be changed", "create your own persona first")
        persona = replace(old, voice_profile=_analyze_voice(voice, old.lang),
                          consent=replace(old.consent, **dict(zip(("voice_source", "voice_sha256"), _source(voice)))))

        def fill(tmp: Path) -> None:
            persona.voice_profile.save(tmp)
            write_json_atomic(tmp / "persona.json", persona.describe())

        self._commit(old.path, fill, base=old.path)
        return persona

    def set_voice_name(self, name: str, voice_name: str) -> Persona:
        """Change a stored persona's base voice (a name from ``digihuman voices``)."""
        old = self.load(name)
        if old.builtin:
            raise PersonaError("the built-in default persona cannot be changed", "create your own persona first")
        persona = replace(old, voice=_voice_id(voice_name, old.lang))

        def fill(tmp: Path) -> None:
            write_json_atomic(tmp / "persona.json", persona.describe())

        self._commit(old.path, fill, base=old.path)
        return persona

    def set_profile(self, name: str, assignments: list[str]) -> Persona:
        """Edit a stored persona's profile (``origin=Busan``, ``likes.music=jazz because ...``);
        every assignment is checked first, then persona.json is replaced in one step."""
        old = self.load(name)
        if old.builtin:
            raise PersonaError("the built-in default persona cannot be changed", "create your own persona first")
        profile = old.profile
        for a in assignments:
            profile = edit_profile(profile, a)
        persona = replace(old, profile=profile)
        meta = json.loads((old.path / "persona.json").read_text(encoding="utf-8"))
        write_json_atomic(old.path / "persona.json", meta | {"profile": profile.to_dict()})
        return persona

    def _commit(self, dest: Path, fill, base: Path | None = None) -> None:
        """Build a persona folder in a hidden temporary folder (a copy of ``base`` when updating,
        so memories and knowledge carry over), then swap it into ``dest``."""
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = owned_temp(self.root, f".{dest.name}", ".partial", directory=True)
        try:
            if base is not None:
                shutil.copytree(base, tmp, dirs_exist_ok=True)
            fill(tmp)
            if dest.exists():  # replace: the old folder is moved aside first, then removed
                self._discard(dest, then=lambda: os.replace(tmp, dest))
            else:
                os.replace(tmp, dest)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def load(self, name: str) -> Persona:
        """Load a persona by name (``default`` is the built-in one)."""
        if name == DEFAULT_NAME:
            return replace(Persona.default(), home=self.home)
        d = self._dir(name)
        meta_path = d / "persona.json"
        if not meta_path.is_file():
            known = ", ".join([DEFAULT_NAME, *self.names()])
            raise PersonaError(f"no persona called {name!r} in {self.root}", f"known personas: {known}; create one with 'digihuman persona create'")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            with np.load(d / "face.npz") as z:
                landmarks = z["landmarks"]
            photo = load_photo(d / meta.get("photo", "photo.png"))
            face = face_from_dict(meta["face"], landmarks)
        except PersonaError:
            raise
        except Exception as exc:  # damaged on disk: say so instead of a traceback
            raise PersonaError(f"persona {name!r} is damaged ({exc})", f"recreate it: digihuman persona create {name} --photo PHOTO --force") from exc
        voice_profile = None
        if meta.get("voice_profile"):
            from ..voice.profile import VoiceProfile

            voice_profile = VoiceProfile.load(d)
        personality = personality_from_dict(meta.get("personality"))
        lang = meta.get("lang", "en")
        # persona.json from before profiles: the default profile, derived the same way every time
        profile = (profile_from_dict(meta["profile"]) if isinstance(meta.get("profile"), dict)
                   else default_profile(meta.get("name", name), personality.description, lang))
        return Persona(
            name=meta.get("name", name),
            photo=photo,
            face=face,
            voice=meta.get("voice", DEFAULT_VOICE),
            lang=lang,
            voice_profile=voice_profile,
            personality=personality,
            knowledge=tuple(meta.get("knowledge", ())),
            created=meta.get("created", ""),
            path=d,
            profile=profile,
            consent=Consent.from_dict(meta.get("consent")),
        )

    def info(self, name: str) -> dict:
        """persona.json content plus the folder, without decoding the photo."""
        if name == DEFAULT_NAME:
            p = Persona.default()
            return p.describe() | {"builtin": True}
        d = self._dir(name)
        if not (d / "persona.json").is_file():
            raise PersonaError(f"no persona called {name!r} in {self.root}", "see 'digihuman persona list'")
        return json.loads((d / "persona.json").read_text(encoding="utf-8")) | {"path": str(d)}

    def delete(self, name: str) -> None:
        if name == DEFAULT_NAME:
            raise PersonaError("the built-in default persona cannot be deleted", "")
        d = self._dir(name)
        if not d.is_dir():
            raise PersonaError(f"no persona called {name!r} in {self.root}", "see 'digihuman persona list'")
        self._discard(d)

    def _discard(self, folder: Path, then=None) -> None:
        """Remove a persona folder: renamed into a hidden trash folder first (one atomic step), so
        a crash mid-removal never leaves a half-deleted persona that looks valid; ``then`` runs
        right after the rename (e.g. moving the replacement into the freed name)."""
        trash = owned_temp(self.root, f".{folder.name}", ".old", directory=True)
        os.replace(folder, trash / folder.name)
        if then is not None:
            then()
        shutil.rmtree(trash, ignore_errors=True)


def _synthetic(path: str | os.PathLike) -> str:
    """The method recorded in a virtual face's PNG marker (``digihuman face create``), or ""."""
    from ..facegen import synthetic_marker

    meta = synthetic_marker(path)
    return str(meta.get("method") or "virtual face") if meta else ""


def _source(path: str | os.PathLike) -> tuple[str, str]:
    """(file name, SHA-256) of a source file, for the consent record."""
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return Path(path).name, h.hexdigest()


def _voice_id(voice_name: str | None, lang: str) -> str:
    """A checked voice id for ``lang``: the named voice (InputError if unknown or of another
    language) or the language's default."""
    if voice_name is None:
        return base_voice_for(lang)
    from ..speech.voices import check_voice_for, resolve_voice

    return check_voice_for(resolve_voice(voice_name), lang).id


def _analyze_voice(sample: str | os.PathLike, lang: str):
    from ..voice.analyze import analyze_voice

    return analyze_voice(sample, lang=lang)


def _read_catalog(path: str | os.PathLike):
    """The product catalog in ``path`` (InputError with a hint when it cannot be used)."""
    from ..sales import Catalog

    return Catalog.from_file(path)


def _add_knowledge(folder: Path, docs: list[Path]) -> None:
    """Copy documents into ``folder/knowledge/`` and index them (raises InputError on a bad file)."""
    from ..dialog.knowledge import KnowledgeBase

    (folder / "knowledge").mkdir(exist_ok=True)
    kb = KnowledgeBase(folder / "knowledge.sqlite")
    try:
        for doc in docs:
            shutil.copy2(doc, folder / "knowledge" / doc.name)
            kb.log.add_file(folder / "knowledge" / doc.name, who="owner:cli")
    finally:
        kb.close()


def _write_persona(folder: Path, persona: Persona) -> None:
    _write_png(folder / "photo.png", persona.photo)
    buf = io.BytesIO()
    np.savez_compressed(buf, landmarks=persona.face.landmarks.astype(np.float32))
    write_bytes_atomic(folder / "face.npz", buf.getvalue())
    if persona.voice_profile is not None:
        persona.voice_profile.save(folder)
    write_json_atomic(folder / "persona.json", persona.describe())


def _write_png(path: Path, rgb: np.ndarray) -> None:
    import cv2

    ok, data = cv2.imencode(".png", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:
        raise PersonaError("could not encode the photo as PNG", "try another photo")
    write_bytes_atomic(path, data.tobytes())
