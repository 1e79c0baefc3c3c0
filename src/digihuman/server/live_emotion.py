"""The live session's view of the user's emotion: opt-in webcam frames, the voice of microphone
turns, and one fused state per turn (``digihuman.emotion.fusion``), shown on the page and handed
to the dialog. A mixin of :class:`~digihuman.server.live.LiveSession` (protocol: see there).

Timing: a webcam frame is analysed in a worker thread as it arrives (one at a time, the rest are
dropped), never on a turn's path; a microphone turn's voice analysis runs while its words are
recognised. What a turn itself adds is the text's emotion (already needed for the reply) and the
fusion; ``user_emotion.ms`` reports it (plus any wait for the voice).
"""

from __future__ import annotations

import asyncio
import time

import numpy as np

MAX_FRAME_B64 = 400_000  # characters of base64 per webcam frame (~300 KB of JPEG)
MAX_FRAME_PX = 1280  # px: larger webcam frames are refused (320x240 is enough for the expression model)


def decode_frame(data: str):
    """A base64 JPEG/PNG webcam frame -> RGB uint8, or None when it is not a usable image."""
    import base64
    import binascii

    import cv2

    try:
        raw = np.frombuffer(base64.b64decode(data, validate=False), np.uint8)
    except (binascii.Error, ValueError):
        return None
    img = cv2.imdecode(raw, cv2.IMREAD_COLOR) if raw.size else None
    if img is None or max(img.shape[:2]) > MAX_FRAME_PX:
        return None
    return cv2.cvtColor(img, cv2.COLOR_BGR2RGB)


class LiveEmotion:
    """Face, voice and fused state of one live session's user."""

    def _init_emotion(self) -> None:
        from ..emotion.face import FaceEmotionTracker
        from ..emotion.voice import VoiceEmotionTracker

        self.face_tracker, self.voice_tracker = FaceEmotionTracker(), VoiceEmotionTracker()
        self.face_state = None  # the latest FaceEmotion while the camera is on, else None
        self._frame_busy = False  # one frame analysed at a time; frames arriving meanwhile are dropped
        self._face_sent = 0.0

    # ---- the user's face (opt-in webcam) ------------------------------------------------------
    def _frame(self, data) -> None:
        """Analyse one webcam frame off the event loop; frames that come while one is analysed are dropped."""
        if self._frame_busy:
            return
        if not isinstance(data, str) or len(data) > MAX_FRAME_B64:
            self.send_json({"type": "error", "message": "a camera frame must be a base64 JPEG under 400 KB",
                            "hint": "send 320x240 JPEG frames"})
            return
        self._frame_busy = True
        loop = asyncio.get_running_loop()

        def work():
            try:
                rgb = decode_frame(data)
                if rgb is None:
                    return None
                return self.face_tracker.update(rgb, loop.time())
            finally:
                self._frame_busy = False

        def done(fut):
            state = fut.result() if not fut.cancelled() and fut.exception() is None else None
            if state is None:
                return
            self.face_state = state
            if loop.time() - self._face_sent >= 0.5:
                self._face_sent = loop.time()
                self.send_json({"type": "face", "label": state.label, "confidence": round(state.confidence, 3),
                                "reason": state.reason})

        asyncio.ensure_future(asyncio.to_thread(work)).add_done_callback(done)

    def _user_state(self, rid: int, text: str, text_emotion, voice_state, took: float):
        """Fuse this turn's text, the face on camera and the voice into one state; show it, hand it on."""
        from ..emotion.fusion import fuse

        t0 = time.perf_counter()
        state = fuse(text_emotion, self.face_state, voice_state)
        hook = getattr(self.conv, "set_user_emotion", None)  # the dialog's hook (Reply.user_emotion)
        if hook is not None:
            hook(self.user, state)
        ms = 1000 * (took + time.perf_counter() - t0)
        self.send_json({"type": "user_emotion", "reply": rid, **state.to_json(), "ms": round(ms, 2)}, rid)
        return state

    @staticmethod
    def _text_emotion(text: str):
        from ..dialog.intents import ANALYSE_CHARS
        from ..emotion import recognize_text_emotion

        return recognize_text_emotion(text[:ANALYSE_CHARS])

    @staticmethod
    def _timed(fn, *args):
        t0 = time.perf_counter()
        return fn(*args), time.perf_counter() - t0

