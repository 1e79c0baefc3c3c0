"""One live chat session over a WebSocket: the streaming engine.

Protocol (``/ws/live?persona=NAME&user=U&token=T``), version 1.

Client -> server, JSON text frames:
  {"type": "message", "text": "..."}            a typed message (interrupts a reply in progress)
  {"type": "audio", "data": "<base64>", "format": "webm"}   a microphone recording (WAV/WebM/OGG...,
                                                at most 60 s): transcribed, echoed as "transcript",
                                                then answered like a message
  {"type": "stop"}                              interrupt the reply in progress
  {"type": "forget", "id": N} | {"type": "forget", "all": true}   erase this user's memories
  {"type": "memories"}                          ask for the memory list again
  {"type": "frame", "data": "<base64 JPEG>"}    a webcam frame (opt-in on the page, at most ~3 per s,
                                                320x240 is plenty): the user's facial expression
  {"type": "camera", "on": false}               the webcam was switched off: forget the face state
Server -> client, JSON text frames:
  hello {persona, user, size, fps, idle_fps, chunk, protocol}; memories {items: [...]};
  busy {message, active, limit} (then close 1013); error {message, hint};
  transcript {text}; reply_start {reply, message, lead}; emotion {reply, label, confidence,
  valence, arousal} (predicted before the text, for the face); text {reply, text} (one sentence
  as the conversation yields it); sentence {reply, index, start, duration, text[, lead]} (one
  spoken unit: a sentence or a clause of one; seconds; unit 0 carries the final lead);
  reply_end {reply, text, emotion, memories_used, memories_written, duration, frames, notice};
  interrupted {reply}; forgotten {count}; face {label, confidence, reason} (after a frame, at most
  2 per s); user_emotion {reply, label, confidence, valence, arousal, reason, probs, sources, ms}
  (the fused state of the user's turn: text + face + voice, each source with its weight or reason).
Server -> client, binary frames: a 16-byte little-endian header then the payload:
  u8 kind (1 = audio, 2 = video), u8 flags (bit 0: idle frame), u16 sample rate (Hz, audio
  only), u32 reply id (0 for idle frames), f64 t (seconds)
  audio: mono PCM16 samples to play from t seconds after the reply's start (0.2 s chunks);
  video: a JPEG (512x512, quality 80) to show from t seconds after the reply's start; idle
  frames: t is seconds on the session's idle clock and they are shown on arrival.
The page schedules each reply's audio on an AudioContext (reply start = first chunk's arrival
plus ``lead`` seconds, 0.15 s unless the server asks for more because it is busy or the next unit
will take long to synthesise) and draws video frames by that audio clock, so lips stay in sync
however bursty the network is. A chunk arriving late pushes the reply's start back.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import math
import os
import re
import struct
import threading
import time
import zlib
from dataclasses import dataclass

import numpy as np

from ..errors import DigihumanError, TextError
from ..types import PARAM_INDEX
from .live_emotion import LiveEmotion
from .workers import encode_frames, SPEECH, RENDER, PROCESSES

log = logging.getLogger(__name__)
HEADER = struct.Struct("<BBHId")  # kind, flags, sample rate (Hz), reply id, t (s): 16 bytes
KIND_AUDIO, KIND_VIDEO = 1, 2
FLAG_IDLE = 1
PROTOCOL = 1
IDLE_LOOP_SECONDS = 300.0  # s: length of the precomputed idle motion, looped
BRIDGE_SECONDS = 0.4  # s: motion offsets at a seam (idle <-> reply, sentence -> sentence) fade over this
MAX_QUEUED_IDLE = 8  # items: skip idle frames while this many messages wait (a slow client)


@dataclass(frozen=True)
class LiveConfig:
    size: int = 512  # px
    fps: float = 25.0  # reply video frames per second
    idle_fps: float = 12.5  # idle frames per second (half rate: saves CPU while listening)
    chunk: float = 0.2  # s of audio per chunk
    lead: float = 0.15  # s: the page starts playback this long after the first chunk arrives
    lead_per_reply: float = 0.25  # s: more lead per other reply in progress (shared CPU)
    ahead: float = 1.0  # s: render at most this far ahead of playback (fairness between sessions)
    jpeg_quality: int = 80
    first_batch: int = 1  # frames rendered before the first send (latency), then `batch` at a time
    batch: int = 5


_CONV_LOCKS: dict[int, threading.Lock] = {}
_CONV_LOCKS_GUARD = threading.Lock()


def _conv_lock(conv) -> threading.Lock:
    """Sessions on one persona share its Conversation; this keeps ``stream`` + ``last_reply`` paired."""
    with _CONV_LOCKS_GUARD:
        return _CONV_LOCKS.setdefault(id(conv), threading.Lock())


def memory_json(m) -> dict:
    from ..dialog.intents import person_phrase

    phrase = person_phrase(m)  # "(partner) likes jazz" -> "you like jazz", as the persona says it
    return {"id": m.id, "about": m.about, "key": m.key, "value": m.value, "text": m.text,
            "display": phrase[:1].upper() + phrase[1:], "created": m.created, "reason": m.reason,
            "superseded_by": m.superseded_by}


def emotion_json(e) -> dict:
    return {"label": e.label, "confidence": round(float(e.confidence), 3),
            "valence": round(float(e.valence), 3), "arousal": round(float(e.arousal), 3)}


def _smooth_fade(n: int) -> np.ndarray:
    """1 -> 0 over n samples (smoothstep), the weight of a seam offset."""
    x = np.clip(np.arange(n, dtype=np.float32) / max(1, n), 0.0, 1.0)
    return 1.0 - x * x * (3.0 - 2.0 * x)


def speakable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


_CLAUSE = re.compile(r"(?<=[,;:\u2014])\s+")
CLAUSE_MIN_CHARS = 24  # a spoken unit shorter than this is joined to the next (~1.5 s of speech)


def speech_units(sentence: str) -> list[str]:
    """A sentence cut at clause marks into units of at least CLAUSE_MIN_CHARS: each is
    synthesised on its own, so the first sound (and each next unit) is ready sooner."""
    units: list[str] = []
    for part in _CLAUSE.split(sentence.strip()):
        if units and len(units[-1]) < CLAUSE_MIN_CHARS:
            units[-1] = f"{units[-1]} {part}"
        else:
            units.append(part)
    if len(units) > 1 and len(units[-1]) < CLAUSE_MIN_CHARS // 2:
        units[-2:] = [f"{units[-2]} {units[-1]}"]
    return [u for u in units if u]


_REPLYING = [0]  # replies in progress (all sessions): the playback lead grows with the load


class LiveSession(LiveEmotion):
    """One connection: a persona talking with one user (the user id is fixed for its lifetime)."""

    def __init__(self, ws, persona, user: str, conv, config: LiveConfig = LiveConfig(), *, role: str = "user") -> None:
        self.ws, self.persona, self.user, self.conv, self.cfg = ws, persona, user, conv, config
        self.role = role  # "owner" (admin token: teaching is shared) or "user"
        self.out: asyncio.Queue = asyncio.Queue()  # (reply id, str | bytes); one sender keeps order
        self.dead: set[int] = set()  # interrupted reply ids: their queued media is dropped
        self.renderer = None
        self._render_lock = threading.Lock()  # the renderer reuses buffers: one frame at a time
        self._reply_task: asyncio.Task | None = None
        self._cancel: threading.Event | None = None
        self._rid = 0
        self._t0 = 0.0  # loop time at which the current reply's t = 0 plays (estimate)
        self._speaking_until = 0.0  # loop time until which reply frames own the face
        self._speaking_from = math.inf  # loop time from which they do (the reply's t = 0)
        self._last_row = None  # the face parameters last sent (seams start from it)
        self._idle = None
        self._start = 0.0
        self._init_emotion()

    # ---- plumbing -------------------------------------------------------------------------
    def send_json(self, obj: dict, rid: int = 0) -> None:
        self.out.put_nowait((rid, json.dumps(obj, ensure_ascii=False)))

    def _media(self, kind: int, flags: int, rate: int, rid: int, t: float, payload: bytes) -> None:
        self.out.put_nowait((rid, HEADER.pack(kind, flags, rate, rid, t) + payload))

    async def _sender(self) -> None:
        while True:
            rid, item = await self.out.get()
            if rid and rid in self.dead:
                continue
            if isinstance(item, bytes):
                await self.ws.send_bytes(item)
            else:
                await self.ws.send_text(item)

    def _render_jpegs(self, rows: np.ndarray) -> list[bytes]:
        rows = np.ascontiguousarray(rows, np.float32)
        if PROCESSES.n:
            return PROCESSES.render(self._key, self._setup, rows, self.cfg.jpeg_quality)
        with self._render_lock:
            if self.renderer is None:
                from ..face.renderer import FaceRenderer

                self.renderer = FaceRenderer(*self._setup)
            return encode_frames(self.renderer, rows, self.cfg.jpeg_quality)

    # ---- lifetime ---------------------------------------------------------------------------
    async def run(self) -> None:
        """Serve until the client leaves; every task and worker is stopped on the way out."""
        from ..animation import idle_track
        loop = asyncio.get_running_loop()
        self._key = f"{os.getpid()}-{id(self)}-{time.monotonic_ns()}"  # this session's renderer
        self._setup = (self.persona.photo, self.persona.face, self.cfg.size)
        self._idle = idle_track(IDLE_LOOP_SECONDS, self.cfg.idle_fps, seed=zlib.crc32(self.user.encode()) % 1000).values
        self._start = loop.time()
        sender = asyncio.create_task(self._sender())
        idle = asyncio.create_task(self._idle_loop())
        receiver = asyncio.create_task(self._receive())
        try:
            self.send_json({"type": "hello", "persona": self.persona.name, "user": self.user, "size": self.cfg.size,
                            "fps": self.cfg.fps, "idle_fps": self.cfg.idle_fps, "chunk": self.cfg.chunk,
                            "protocol": PROTOCOL})
            await self._send_memories()
            # the client left (receiver) or a send failed (sender): either way the session ends
            await asyncio.wait({receiver, sender}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._interrupt()
            for t in (idle, sender, receiver):
                t.cancel()
            for t, r in zip((idle, sender, receiver), await asyncio.gather(idle, sender, receiver, return_exceptions=True)):
                if isinstance(r, Exception) and not isinstance(r, (OSError, RuntimeError)) \
                        and type(r).__name__ not in ("WebSocketDisconnect", "ClientDisconnected"):
                    log.error("live session task %s failed", t.get_coro().__name__, exc_info=r)

    async def _receive(self) -> None:
        while True:
            msg = await self.ws.receive()
            if msg["type"] == "websocket.disconnect":
                return
            raw = msg.get("text")
            if raw is None:
                self.send_json({"type": "error", "message": "binary messages are not accepted", "hint": "send JSON"})
                continue
            try:
                data = json.loads(raw)
                kind = data.get("type")
            except (ValueError, AttributeError):
                self.send_json({"type": "error", "message": "messages must be JSON objects", "hint": "see /docs"})
                continue
            if kind in ("message", "audio"):
                self._interrupt()
                self._rid += 1
                self._reply_task = asyncio.create_task(self._reply(self._rid, data))
            elif kind == "stop":
                self._interrupt()
            elif kind == "forget":
                await self._forget(data)
            elif kind == "memories":
                await self._send_memories()
            elif kind == "frame":
                self._frame(data.get("data"))
            elif kind == "camera":
                self.face_state = None
                self.face_tracker.reset()
            elif kind != "ping":
                self.send_json({"type": "error", "message": f"unknown message type {kind!r}",
                                "hint": "use message, audio, stop, forget, memories, frame or camera"})

    def _interrupt(self) -> None:
        """Stop the reply in progress: its workers, its queued media, its hold on the face."""
        if self._cancel is not None:
            self._cancel.set()
        task = self._reply_task
        if task is not None and not task.done():
            task.cancel()
            self.dead.add(self._rid)
            self.send_json({"type": "interrupted", "reply": self._rid})
        self._reply_task = None
        self._speaking_until = 0.0

    # ---- memories ----------------------------------------------------------------------------
    async def _send_memories(self) -> None:
        mems = await asyncio.to_thread(self.conv.memories, self.user, False)
        self.send_json({"type": "memories", "items": [memory_json(m) for m in mems]})

    async def _forget(self, data: dict) -> None:
        try:
            if data.get("all") is True:
                n = await asyncio.to_thread(lambda: self.conv.forget(self.user, None, True, role=self.role))
            else:
                n = await asyncio.to_thread(self.conv.forget, self.user, int(data.get("id")), False)
        except (TypeError, ValueError):
            self.send_json({"type": "error", "message": "forget needs an integer id or all: true", "hint": ""})
            return
        self.send_json({"type": "forgotten", "count": n})
        await self._send_memories()

    # ---- idle ---------------------------------------------------------------------------------
    async def _idle_loop(self) -> None:
        """Listening face at idle_fps whenever no reply owns the face; skips frames when behind."""
        loop = asyncio.get_running_loop()
        period = 1.0 / self.cfg.idle_fps
        fade_n = max(1, int(BRIDGE_SECONDS * self.cfg.idle_fps))
        bridge, bridge_i, was_busy = None, 0, False
        while True:
            now = loop.time()
            if self._speaking_from <= now + period < self._speaking_until:  # (a frame lasts a period)
                was_busy = True
                await asyncio.sleep(min(period, self._speaking_until - now + 0.001))
                continue
            t = now - self._start
            row = self._idle[int(t * self.cfg.idle_fps) % len(self._idle)].copy()
            if was_busy and self._last_row is not None:  # fade from the reply's last pose
                bridge, bridge_i, was_busy = self._last_row - row, 0, False
            if bridge is not None:
                if bridge_i < fade_n:
                    row += bridge * _smooth_fade(fade_n)[bridge_i]
                    bridge_i += 1
                else:
                    bridge = None
            if self.out.qsize() < MAX_QUEUED_IDLE:
                jpeg = (await RENDER.submit(loop.time() + 2 * period, self._render_jpegs, row[None]))[0]
                if not self._speaking_from <= loop.time() < self._speaking_until:  # a reply took the face
                    self._media(KIND_VIDEO, FLAG_IDLE, 0, 0, t, jpeg)
                    self._last_row = row
            await asyncio.sleep(max(0.0, period - (loop.time() - now)))

    # ---- a reply ------------------------------------------------------------------------------
    async def _reply(self, rid: int, data: dict) -> None:
        loop = asyncio.get_running_loop()
        cancel = self._cancel = threading.Event()
        render_task, counted = None, False
        try:
            voice_state, voice_extra = None, 0.0
            if data.get("type") == "audio":
                from .uploads import decode_recording, transcribe_recording

                audio = await asyncio.to_thread(decode_recording, data.get("data"))
                # the voice is read while the words are recognised (much longer): no added wait
                voice_job = asyncio.ensure_future(asyncio.to_thread(self._timed, self.voice_tracker.update, audio))
                text = await asyncio.to_thread(transcribe_recording, audio)
                waited = time.perf_counter()
                voice_state, _ = await voice_job
                voice_extra = time.perf_counter() - waited  # s the turn waited for the voice
                self.send_json({"type": "transcript", "text": text}, rid)
            else:
                text = data.get("text")
                if not isinstance(text, str) or not text.strip():
                    raise DigihumanError("the message is empty", "type something to say")
            t_text = time.perf_counter()
            user_text = self._text_emotion(text)
            emotion = self._predict_emotion(text, user_text)
            self._user_state(rid, text, user_text, voice_state, voice_extra + time.perf_counter() - t_text)
            lead = self.cfg.lead + self.cfg.lead_per_reply * _REPLYING[0]
            _REPLYING[0] += 1
            counted = True
            self.send_json({"type": "reply_start", "reply": rid, "message": text, "lead": round(lead, 3)}, rid)
            self.send_json({"type": "emotion", "reply": rid, **emotion_json(emotion)}, rid)
            pieces: asyncio.Queue = asyncio.Queue()

            def post(item) -> None:
                try:
                    loop.call_soon_threadsafe(pieces.put_nowait, item)
                except RuntimeError:  # the loop is gone (server shutting down)
                    pass

            threading.Thread(target=self._generate, args=(text, post, cancel), daemon=True,
                             name=f"live-text-{rid}").start()
            frames: asyncio.Queue = asyncio.Queue()
            render_task = asyncio.create_task(self._render_reply(rid, frames))
            units: collections.deque[tuple[str, object]] = collections.deque()  # (text, its emotion)
            state = {"reply": None, "finished": False}

            async def take(wait: bool) -> None:
                """Move the conversation's pieces into ``units`` (the text is shown as it comes);
                with ``wait``, until there is something to say or the reply is complete."""
                while not state["finished"] and ((wait and not units) or not pieces.empty()):
                    kind, value = await pieces.get()
                    if kind == "error":
                        raise value
                    if kind == "done":
                        state.update(reply=value, finished=True)
                        return
                    self.send_json({"type": "text", "reply": rid, "text": value}, rid)
                    if speakable(value):  # an emoji alone is shown, not spoken
                        # a sentence may carry its own emotion (the dialog drives the face per sentence)
                        feel = getattr(value, "emotion", None) or emotion
                        units.extend((u, feel) for u in speech_units(value))

            offset, index, prev, prev_feel = 0.0, 0, self._last_row, None
            while True:
                await take(wait=True)
                if not units:
                    break
                unit, feel = units.popleft()
                asked = loop.time()
                due = self._t0 + offset if index else asked  # when the audio so far runs out
                try:
                    speech, values, pcm = await SPEECH.submit(due, self._synth, unit, feel, rid, index, prev,
                                                              feel != prev_feel)
                except TextError:
                    continue
                extra = {}
                if index == 0:
                    await take(wait=False)
                    lead = self._lead(lead, loop.time() - asked, unit, units[0][0] if units else "", speech.audio.duration)
                    self._t0, extra = loop.time() + lead, {"lead": round(lead, 3)}
                rate = speech.audio.sample_rate
                self.send_json({"type": "sentence", "reply": rid, "index": index, "start": round(offset, 4),
                                "duration": round(speech.audio.duration, 4), "text": unit, **extra}, rid)
                step = max(1, int(round(self.cfg.chunk * rate)))
                for i in range(0, len(pcm), step):  # all chunks at once: the page schedules them
                    self._media(KIND_AUDIO, 0, rate, rid, offset + i / rate, pcm[i:i + step].tobytes())
                await frames.put((values, offset))
                prev, prev_feel, index = values[-1], feel, index + 1
                offset += speech.audio.duration
            reply = state["reply"]
            await frames.put(None)
            n_frames = await render_task
            self._speaking_until = self._t0 + offset if index else 0.0
            self.send_json({"type": "reply_end", "reply": rid, "text": reply.text if reply else "",
                            "emotion": emotion_json(reply.emotion if reply else emotion),
                            "memories_used": [memory_json(m) for m in (reply.memories_used if reply else ())],
                            "memories_written": [memory_json(m) for m in (reply.memories_written if reply else ())],
                            "duration": round(offset, 4), "frames": n_frames,
                            "notice": reply.notice if reply else ""}, rid)
            await self._send_memories()
        except asyncio.CancelledError:
            cancel.set()
            raise
        except DigihumanError as exc:
            self.send_json({"type": "error", "reply": rid, "message": exc.message, "hint": exc.hint})
            self._speaking_until = 0.0
        except Exception:  # a bug or a broken backend: this reply fails, the session lives on
            log.exception("live reply %d failed", rid)
            self.send_json({"type": "error", "reply": rid, "message": "the reply failed (server error)",
                            "hint": "try again; the server log has details"})
            self._speaking_until = 0.0
        finally:
            cancel.set()
            if counted:
                _REPLYING[0] -= 1
            if render_task is not None and not render_task.done():
                render_task.cancel()

    @staticmethod
    def _lead(base: float, took: float, unit: str, following: str, duration: float) -> float:
        """Playback lead (s) so the second unit is ready before the first one has been heard:
        its synthesis time is estimated from the first unit's (same voice, same load) by length."""
        if not following:
            return base
        need = took * len(following) / max(1, len(unit)) - duration + 0.1  # 0.1 s margin
        return max(base, min(1.0, need))

    def _predict_emotion(self, text: str, user_text=None):
        """The reply emotion the conversation will choose (same functions), known before the text
        so the first sentence's face can show it."""
        from ..emotion import reply_emotion

        return reply_emotion(user_text if user_text is not None else self._text_emotion(text), self.conv.personality)

    def _generate(self, text: str, post, cancel: threading.Event) -> None:
        """Worker thread: the conversation's sentences, posted to the loop as they come. The
        generator is opened and closed in this one thread (it holds the conversation's lock)."""
        try:
            with _conv_lock(self.conv):
                gen = self.conv.stream(self.user, text, role=self.role)
                try:
                    for piece in gen:
                        if cancel.is_set():
                            break
                        post(("piece", piece))
                finally:
                    gen.close()  # logs what was said so far, even when interrupted
                reply = self.conv.last_reply
            post(("done", reply))
        except BaseException as exc:  # noqa: BLE001 - handed to the event loop
            post(("error", exc))

    def _synth(self, sentence: str, emotion, rid: int, index: int, prev, onset: bool = True):
        """Worker thread: TTS + face track for one sentence -> (speech, track rows, PCM16)."""
        from ..animation import animate
        from ..animation.expression import ExpressionSegment, express_segments
        from ..emotion.expression import face_for_emotion
        from ..lipsync import mouth_cues
        from ..pipeline import SayOptions, speak

        opts = SayOptions(fps=self.cfg.fps, emotion=emotion.label, emotion_strength=emotion.confidence)
        speech = speak(sentence, self.persona, opts)
        cues = mouth_cues(speech.timeline)
        track = animate(speech, self.cfg.fps, seed=rid * 101 + index, cues=cues)
        # the expression eases in on the first sentence (or when the emotion changes); later ones
        # keep it (no dip between them)
        track = express_segments(track, [ExpressionSegment(0.0, track.duration, face_for_emotion(emotion))], cues,
                                 onset=onset, release=False)
        values = track.values.astype(np.float32)
        n = len(values)
        if prev is not None:  # continue from the pose on screen instead of jumping
            k = min(n, max(1, int(BRIDGE_SECONDS * self.cfg.fps)))
            seam = np.asarray(prev, np.float32) - values[0]
            seam[[PARAM_INDEX[p] for p in ("jaw_open", "lip_round", "lip_tuck", "tongue")]] = 0.0
            values[:k] += seam[None, :] * _smooth_fade(k)[:, None]
        return speech, values, speech.audio.to_int16()

    async def _render_reply(self, rid: int, frames: asyncio.Queue) -> int:
        """Render each sentence's frames, no more than ``ahead`` seconds before they play."""
        loop = asyncio.get_running_loop()
        sent = 0
        while (item := await frames.get()) is not None:
            values, offset = item
            i = 0
            while i < len(values):
                b = self.cfg.first_batch if sent == 0 else self.cfg.batch
                t = offset + i / self.cfg.fps
                wait = self._t0 + t - self.cfg.ahead - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                rows = values[i:i + b]
                jpegs = await RENDER.submit(self._t0 + t, self._render_jpegs, rows)
                for j, jpeg in enumerate(jpegs):
                    self._media(KIND_VIDEO, 0, 0, rid, offset + (i + j) / self.cfg.fps, jpeg)
                if sent == 0:
                    # reply frames own the face from its start until it ends (idle frames until then)
                    self._speaking_from, self._speaking_until = self._t0, math.inf
                sent += len(jpegs)
                i += len(rows)
                self._last_row = rows[-1]
        return sent

