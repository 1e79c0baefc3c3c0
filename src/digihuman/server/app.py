"""The FastAPI app: REST API (OpenAPI docs at /docs), the page, and the live WebSocket.

Every ``/api`` route, ``/docs``, ``/openapi.json`` and ``/ws/live`` need a token (see :mod:`.auth`:
the admin token, or a user token that acts only for its user); the page ``/`` needs it as
``?token=``; ``/static`` holds only public code. CORS is closed unless one origin is allowed; only
the allowed Host names are answered (DNS rebinding); bodies stop at a size limit; REST renders
queue behind a bound (see :mod:`.guard`). Blocking work (TTS, rendering, SQLite) runs in worker
threads, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile, WebSocket
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import APIKeyQuery, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from .._fs import remove_stale
from ..errors import DigihumanError, FaceError, OutputError
from .auth import Principal, identify, load_or_create_token, token_from, user_token
from .guard import LOCAL_HOSTS, RenderGate, RequestGuard, host_allowed, redact_logs
from .live import LiveConfig, LiveSession, emotion_json, memory_json
from .workers import PROCESSES
from .uploads import (AUDIO_MAX_BYTES, KNOWLEDGE_MAX_BYTES, PHOTO_MAX_BYTES, VOICE_MAX_BYTES, UploadError,
                      Workdir, check_audio, check_photo, safe_filename, save_upload)

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 120 * 1024 * 1024  # photo 15 + voice 50 + knowledge, with multipart overhead


def _status_for(exc: DigihumanError) -> int:
    if isinstance(exc, UploadError):
        return exc.status
    msg = exc.message
    if msg.startswith("no persona called"):
        return 404
    if "already exists" in msg:
        return 409
    if isinstance(exc, OutputError):
        return 500
    return 400


class SayRequest(BaseModel):
    text: str = Field(..., description="What to say")
    persona: str = Field("default", description="Persona name")
    size: int = Field(512, description="Video width and height in px (512 or 1024)")
    fps: float = Field(25.0, description="Frames per second")
    rate: float = 1.0
    pitch: float = 0.0
    volume: float = 1.0
    lang: Optional[str] = None
    emotion: str = "neutral"
    emotion_strength: float = 1.0
    seed: int = 0


class ErrorBody(BaseModel):
    """Every refusal: what went wrong and what to do."""

    error: str
    hint: str = ""


def _errors(*statuses: int) -> dict:
    what = {400: "Bad input", 401: "No valid token", 403: "Not allowed with this token", 404: "Not found",
            409: "Already exists", 413: "Too large", 415: "Unsupported media type",
            429: "Too many renders from this client (see Retry-After)", 503: "Busy (see Retry-After)"}
    return {code: {"model": ErrorBody, "description": what[code]} for code in statuses}


class ChatRequest(BaseModel):
    persona: str = "default"
    user: str = Field(..., description="Who is talking: memories are kept per user")
    message: str


def create_app(home: str | os.PathLike | None = None, token: str | None = None, *, max_sessions: int = 4,
               cors_origin: str | None = None, live: LiveConfig = LiveConfig(), warm_up: bool = True,
               allowed_hosts=LOCAL_HOSTS, render_slots: int = 2, render_queue: int = 8) -> FastAPI:
    """The server app for personas in ``home`` (default: $DIGIHUMAN_HOME or the user data folder).

    ``allowed_hosts``: Host names answered ("*" any); ``render_slots`` REST renders run at once and
    ``render_queue`` more wait, the rest get 503/429 with Retry-After.
    """
    from ..persona import PersonaStore, check_name

    remove_stale(tempfile.gettempdir())  # upload folders (photos, voices) of a killed server
    store = PersonaStore(home)
    secret = load_or_create_token(store.home, token)
    registry = Registry(max_sessions)
    personas = _PersonaCache(store)
    gate = RenderGate(render_slots, render_queue)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        redact_logs()  # after uvicorn configured its loggers: no token in access lines
        if warm_up:  # load the default persona, dialog and TTS models now, not on the first turn
            threading.Thread(target=_warm_up, args=(personas,), daemon=True, name="warm-up").start()
        yield
        await asyncio.to_thread(PROCESSES.shutdown)  # the render processes end with the server

    app = FastAPI(title="digihuman", description="Talking digital humans from one photo: REST API and live chat.",
                  lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)  # served below, behind the token
    app.state.token, app.state.registry, app.state.store, app.state.gate = secret, registry, store, gate

    if cors_origin:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=[cors_origin], allow_credentials=False,
                           allow_methods=["*"], allow_headers=["Authorization", "Content-Type"])

    app.add_middleware(RequestGuard, max_body=MAX_BODY_BYTES, allowed_hosts=allowed_hosts)  # outermost

    @app.exception_handler(DigihumanError)
    async def digihuman_error(request: Request, exc: DigihumanError):
        return JSONResponse({"error": exc.message, "hint": exc.hint}, status_code=_status_for(exc),
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # the same body as every other refusal (the OpenAPI schema declares it)
        return JSONResponse({"error": str(exc.detail), "hint": getattr(exc, "hint", "")}, status_code=exc.status_code,
                            headers=exc.headers)

    bearer, query = HTTPBearer(auto_error=False), APIKeyQuery(name="token", auto_error=False)

    def require_token(request: Request, _b=Depends(bearer), _q=Depends(query)) -> Principal:
        # the two schemes are declared so /docs has an "Authorize" button; the check is here
        who = identify(token_from(request.headers, request.query_params), secret)
        if who is None:
            raise HTTPException(401, "a valid access token is required (Authorization: Bearer TOKEN or ?token=)",
                                headers={"WWW-Authenticate": "Bearer"})
        request.state.principal = who
        return who

    def require_admin(who: Principal = Depends(require_token)) -> Principal:
        if not who.admin:
            raise UploadError(403, "this needs the admin token", "a user token can chat and see its own memories only")
        return who

    def act_as(who: Principal, user: str) -> None:
        if not who.may_act_as(user):
            raise UploadError(403, f"this token is for user {who.user!r}, not {user!r}",
                              "use your own user id, or ask the admin for that user's token")

    api = APIRouter(prefix="/api", dependencies=[Depends(require_token)], responses=_errors(400, 401, 403, 404))

    # ---- personas -------------------------------------------------------------------------------
    @api.get("/personas", summary="List personas (the built-in 'default' first)")
    def list_personas() -> list[dict]:
        out = []
        for name in ["default", *store.names()]:
            try:
                out.append(_summary(store.info(name)))
            except DigihumanError:
                continue  # damaged: skip rather than fail the list
        return out

    @api.post("/personas", status_code=201, summary="Create a persona from a photo (+ optional voice sample)",
              dependencies=[Depends(require_admin)], responses=_errors(409, 413, 415))
    def create_persona(name: str = Form(...), photo: UploadFile = File(...), voice: Optional[UploadFile] = File(None),
                       lang: str = Form("en"), extraversion: str = Form("medium"), description: str = Form(""),
                       knowledge: list[UploadFile] = File(default=[]), force: bool = Form(False)) -> dict:
        check_name(name)
        with Workdir() as wd:
            photo_path = save_upload(photo, wd.path / "photo", PHOTO_MAX_BYTES, "photo")
            check_photo(photo_path)
            voice_path = None
            if voice is not None and voice.filename:
                voice_path = save_upload(voice, wd.path / "voice", VOICE_MAX_BYTES, "voice sample")
                check_audio(voice_path, "voice sample")
            docs = []
            if knowledge:
                (wd.path / "knowledge").mkdir()
            for k, doc in enumerate(knowledge or []):
                if not doc.filename:
                    continue
                dest = wd.path / "knowledge" / safe_filename(doc.filename, f"document-{k}.txt")
                docs.append(save_upload(doc, dest, KNOWLEDGE_MAX_BYTES, "knowledge file"))
            try:
                p = store.create(name, photo_path, voice=voice_path, lang=lang, extraversion=extraversion,
                                 description=description, knowledge=docs, force=force)
            except (FaceError, ValueError) as exc:
                raise UploadError(400, getattr(exc, "message", str(exc)), getattr(exc, "hint", "")) from None
        personas.forget(name)
        return _summary(store.info(p.name))

    @api.get("/personas/{name}", summary="A persona's description (persona.json)")
    def show_persona(name: str) -> dict:
        info = store.info(check_name(name) if name != "default" else name)
        info.pop("path", None)  # server file system layout is none of the client's business
        return info

    @api.delete("/personas/{name}", status_code=204, summary="Delete a persona and its memories",
                dependencies=[Depends(require_admin)])
    def delete_persona(name: str) -> Response:
        store.delete(check_name(name) if name != "default" else name)
        personas.forget(name)
        return Response(status_code=204)

    @api.get("/personas/{name}/photo", summary="The persona's photo as a JPEG thumbnail",
             responses={200: {"content": {"image/jpeg": {}}}})
    def persona_photo(name: str, size: int = Query(256, ge=32, le=1024)) -> Response:
        import cv2

        p = personas.get(name)
        h, w = p.photo.shape[:2]
        scale = min(1.0, size / max(h, w))
        img = cv2.resize(p.photo, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85])
        return Response(buf.tobytes(), media_type="image/jpeg", headers={"Cache-Control": "private, max-age=60"})

    # ---- media ----------------------------------------------------------------------------------
    @api.post("/say", summary="Text -> talking-head MP4 (returns the file)", response_class=FileResponse,
              responses={200: {"content": {"video/mp4": {}}}, **_errors(429, 503)})
    def say_video(req: SayRequest, who: Principal = Depends(require_token)) -> FileResponse:
        from ..pipeline import SayOptions, say

        opts = SayOptions(size=req.size, fps=req.fps, rate=req.rate, pitch=req.pitch, volume=req.volume,
                          lang=req.lang, emotion=req.emotion, emotion_strength=req.emotion_strength, seed=req.seed)
        wd = Workdir()
        try:
            out = wd.path / "say.mp4"
            res = gate.run(who.key, lambda: say(req.text, out, personas.get(req.persona), options=opts))
        except BaseException:
            wd.close()
            raise
        said = " | ".join(getattr(res, "warnings", ()))
        notes = {"X-Digihuman-Notes": said.encode("ascii", "replace").decode()} if said else None
        return FileResponse(out, media_type="video/mp4", filename="say.mp4", headers=notes,
                            background=BackgroundTask(wd.close))

    @api.post("/lipsync", summary="Recorded speech -> lip-synced MP4 (returns the file)", response_class=FileResponse,
              responses={200: {"content": {"video/mp4": {}}}, **_errors(413, 415, 429, 503)})
    def lipsync_video(audio: UploadFile = File(...), persona: str = Form("default"),
                      transcript: Optional[str] = Form(None), size: int = Form(512), fps: float = Form(25.0),
                      who: Principal = Depends(require_token)) -> FileResponse:
        from ..pipeline import SayOptions, lipsync_audio

        wd = Workdir()
        try:
            src = save_upload(audio, wd.path / "audio", AUDIO_MAX_BYTES, "audio")
            check_audio(src)
            out = wd.path / "lipsync.mp4"
            gate.run(who.key, lambda: lipsync_audio(src, out, personas.get(persona), transcript=transcript,
                                                    options=SayOptions(size=size, fps=fps)))
        except BaseException:
            wd.close()
            raise
        return FileResponse(out, media_type="video/mp4", filename="lipsync.mp4", background=BackgroundTask(wd.close))

    # ---- dialog ---------------------------------------------------------------------------------
    @api.post("/chat", summary="One conversation turn -> the Reply as JSON")
    def chat(req: ChatRequest, who: Principal = Depends(require_token)) -> dict:
        act_as(who, req.user)
        # the admin token is the persona's owner (what it teaches is shared); user tokens are plain users
        reply = personas.get(req.persona).conversation().chat(req.user, req.message, role=who.role)
        return {"text": reply.text, "emotion": emotion_json(reply.emotion),
                "memories_used": [memory_json(m) for m in reply.memories_used],
                "memories_written": [memory_json(m) for m in reply.memories_written],
                "knowledge_used": [{"id": k.id, "source": k.source, "title": k.title, "score": round(k.score, 4)}
                                   for k in reply.knowledge_used],
                "notice": reply.notice}

    @api.get("/personas/{name}/memories", summary="What the persona remembers about one user")
    def list_memories(name: str, user: str, history: bool = False, who: Principal = Depends(require_token)) -> list[dict]:
        from ..memory import check_user

        act_as(who, user)
        return [memory_json(m) for m in personas.get(name).conversation().memories(check_user(user), history)]

    @api.delete("/personas/{name}/memories", summary="Forget one memory (id) or all of a user's (all=true)")
    def forget_memories(name: str, user: str, id: Optional[int] = None, all: bool = False,
                        who: Principal = Depends(require_token)) -> dict:
        from ..memory import check_user

        act_as(who, user)
        if (id is None) == (not all):
            raise UploadError(400, "give exactly one of id=N or all=true", "")
        n = personas.get(name).conversation().forget(check_user(user), id=id, all=all, role=who.role)
        if n == 0 and id is not None:
            raise HTTPException(404, f"no memory #{id} for user {user!r}")
        return {"forgotten": n}

    @api.get("/live", summary="Live sessions: how many run and the limit")
    def live_status() -> dict:
        return {"active": registry.active, "limit": registry.limit}

    @api.post("/users/{user}/token", summary="Issue a user token: it acts only for that user (admin only)",
              dependencies=[Depends(require_admin)])
    def issue_user_token(user: str) -> dict:
        return {"user": user, "token": user_token(secret, user)}

    app.include_router(api)

    # ---- API docs, behind the token ---------------------------------------------------------------
    @app.get("/openapi.json", include_in_schema=False)
    def openapi_schema(_who: Principal = Depends(require_token)) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request, _who: Principal = Depends(require_token)) -> HTMLResponse:
        from urllib.parse import quote

        from fastapi.openapi.docs import get_swagger_ui_html

        given = request.query_params.get("token")  # the page fetches the schema with it
        url = "/openapi.json" + (f"?token={quote(given, safe='')}" if given else "")
        html = get_swagger_ui_html(openapi_url=url, title="digihuman API")
        return HTMLResponse(html.body, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    # ---- the page and the live WebSocket ---------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request) -> Response:
        if identify(token_from(request.headers, request.query_params), secret) is None:
            return HTMLResponse("<h1>401</h1><p>Open the address that <code>digihuman serve</code> printed "
                                "(it ends with <code>?token=...</code>).</p>", 401)
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"),
                            headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.websocket("/ws/live")
    async def ws_live(ws: WebSocket, persona: str = "default", user: str = "guest") -> None:
        from ..memory import check_user

        who = identify(token_from(ws.headers, ws.query_params), secret)
        if who is None or not who.may_act_as(user) or not _origin_ok(ws, cors_origin, allowed_hosts):
            await ws.close(code=1008)  # before accept: the handshake is refused (HTTP 403)
            return
        role = who.role
        await ws.accept()
        if not registry.try_acquire():
            await ws.send_json({"type": "busy", "message": f"all {registry.limit} live sessions are in use; try again soon",
                                "active": registry.active, "limit": registry.limit})
            await ws.close(code=1013)  # "try again later"
            return
        try:
            try:
                check_user(user)
                who = await asyncio.to_thread(personas.get, persona)
                conv = await asyncio.to_thread(who.conversation)
            except DigihumanError as exc:
                await ws.send_json({"type": "error", "message": exc.message, "hint": exc.hint})
                await ws.close(code=1008)
                return
            await LiveSession(ws, who, user, conv, live, role=role).run()
        finally:
            registry.release()

    return app


class Registry:
    """How many live sessions run; refuses more than ``limit`` (the event loop is the only writer)."""

    def __init__(self, limit: int = 4) -> None:
        self.limit = limit
        self.active = 0

    def try_acquire(self) -> bool:
        if self.active >= self.limit:
            return False
        self.active += 1
        return True

    def release(self) -> None:
        self.active = max(0, self.active - 1)


def _origin_ok(ws: WebSocket, cors_origin: str | None, allowed_hosts=LOCAL_HOSTS) -> bool:
    """Browsers send Origin on WebSockets and CORS does not apply: refuse other sites' pages.

    The page must come from this server: the Origin's host is one the server answers to (the
    client's Host header alone proves nothing: a rebinding page sets both) and matches Host."""
    origin = ws.headers.get("origin")
    if not origin:
        return True  # not a browser
    if cors_origin and origin == cors_origin:
        return True
    netloc = origin.split("://", 1)[-1]
    return host_allowed(netloc, allowed_hosts) and netloc.lower() == ws.headers.get("host", "").lower()


def _summary(info: dict) -> dict:
    pers = info.get("personality") or {}
    return {"name": info.get("name"), "lang": info.get("lang"), "builtin": bool(info.get("builtin", False)),
            "created": info.get("created", ""), "extraversion": pers.get("extraversion"),
            "description": pers.get("description", ""), "voice_cloned": bool(info.get("voice_profile")),
            "knowledge": info.get("knowledge", [])}


class _PersonaCache:
    """Loaded personas by name (decoding a photo costs ~50 ms; the default one ~4 s the first time)."""

    def __init__(self, store) -> None:
        self.store, self._items, self._lock = store, {}, threading.Lock()

    def get(self, name: str):
        from ..persona import check_name

        if name != "default":
            check_name(name)
            meta = self.store.root / name / "persona.json"
            stamp = meta.stat().st_mtime_ns if meta.is_file() else None
        else:
            stamp = 0
        with self._lock:
            hit = self._items.get(name)
            if hit is not None and hit[0] == stamp:
                return hit[1]
        p = self.store.load(name)
        with self._lock:
            self._items[name] = (stamp, p)
        return p

    def forget(self, name: str) -> None:
        with self._lock:
            self._items.pop(name, None)


def _warm_up(personas: _PersonaCache) -> None:
    try:
        from ..pipeline import SayOptions, speak

        PROCESSES.warm()
        p = personas.get("default")
        p.conversation()
        # an emotion shifts pitch: the voice's median F0 is measured now, not in the first reply
        speak("Hello, nice to meet you. How are you today?", p, SayOptions(emotion="joy"))
    except Exception:  # noqa: BLE001 - warming is an optimisation only
        pass
