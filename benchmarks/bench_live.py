"""Live chat latency and real-time behaviour over a real WebSocket (uvicorn on 127.0.0.1).

Built-in dialog engine, default persona, 512x512, 25 fps, warm server. Prints:
  * median over 20 turns of message -> first audio chunk (target <= 0.8 s) and -> first reply
    video frame (target <= 1.0 s);
  * stalls (target: none > 0.2 s): how far reply frames fall behind a real-time clock started
    at the first frame, max over frames of (arrival - first arrival) - (t - first t); and the
    largest lateness of a frame or audio chunk against the page's own playback schedule (first
    chunk's arrival + the lead the server asked for + t). Also printed: the largest
    frame-to-frame (arrival gap - media gap), which only shows burstiness: the server renders
    up to 1 s ahead, so a burst followed by a pause is not a stall on screen;
  * 4 concurrent sessions replying at once: how far each stream falls behind real time (the
    worst lateness of its audio and frames against its own schedule; target <= 1 s), and
    that a 5th session is answered "busy".
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

TOKEN = "bench-live-token-0001"
LEAD = 0.15  # s: the page's default playback lead (the server may ask for more in reply_start)
MESSAGES = [
    "Hello! How are you today?", "What can you do?", "Tell me about yourself.", "My name is Lee.",
    "I live in Seoul.", "What is my name?", "Do you like music?", "I love jazz and coffee.",
    "Where do I live?", "What do I love?", "How does your memory work?", "Can you see me?",
    "That is wonderful news!", "I feel a bit sad today.", "What is the licence of this project?",
    "Thanks for listening.", "Do you remember my name?", "Tell me something nice.",
    "What time is it?", "Goodbye for now!",
]


def start_server(home: Path):
    import uvicorn

    from digihuman.server import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(create_app(home, token=TOKEN), host="127.0.0.1", port=port,
                                        log_level="warning", ws_max_size=16 * 1024 * 1024))
    th = threading.Thread(target=srv.run, daemon=True)
    th.start()
    while not srv.started:
        time.sleep(0.05)
    return srv, th, port


async def turn(ws, text: str, wait_playback: bool = True) -> dict:
    """Send one message and collect timings of its reply (seconds, perf_counter based)."""
    from digihuman.server.live import FLAG_IDLE, HEADER, KIND_AUDIO

    t_send = time.perf_counter()
    await ws.send(json.dumps({"type": "message", "text": text}))
    rid = None
    first_audio = first_frame = base = None
    frames: list[tuple[float, float]] = []  # (arrival, t)
    lateness = late_audio = 0.0
    duration = 0.0
    while True:
        msg = await ws.recv()
        now = time.perf_counter()
        if isinstance(msg, str):
            m = json.loads(msg)
            if m["type"] == "reply_start":
                rid, lead = m["reply"], m.get("lead", LEAD)
            elif m["type"] == "sentence" and m["index"] == 0 and m["reply"] == rid:
                lead = m.get("lead", lead)
            elif m["type"] == "error":
                raise RuntimeError(m)
            elif m["type"] == "reply_end" and m["reply"] == rid:
                duration = m["duration"]
                break
            continue
        kind, flags, rate, reply, t = HEADER.unpack(msg[:HEADER.size])
        if reply != rid or flags & FLAG_IDLE:
            continue
        if kind == KIND_AUDIO:
            if first_audio is None:
                first_audio, base = now - t_send, now + lead
            lateness = max(lateness, now - (base + t))
            late_audio = max(late_audio, now - (base + t))
        else:
            if first_frame is None:
                first_frame = now - t_send
            frames.append((now, t))
            if base is not None:
                lateness = max(lateness, now - (base + t))
    gaps = [(a1 - a0) - (t1 - t0) for (a0, t0), (a1, t1) in zip(frames, frames[1:])]
    # behind a real-time clock started at the first frame (no lead, no buffer credit)
    drift = max(((a - frames[0][0]) - (t - frames[0][1]) for a, t in frames), default=0.0)
    if wait_playback and base is not None:  # let the reply finish playing, as a listener would
        await asyncio.sleep(max(0.0, base + duration - time.perf_counter()) + 0.3)
    return {"first_audio": first_audio, "first_frame": first_frame, "gap": max(gaps, default=0.0), "drift": drift,
            "lead": lead, "late_audio": late_audio,
            "late": lateness, "duration": duration, "frames": len(frames)}


async def main_async(port: int) -> None:
    import websockets

    url = f"ws://127.0.0.1:{port}/ws/live?persona=default&user={{}}&token={TOKEN}"
    async with websockets.connect(url.format("bench"), max_size=None) as ws:
        await turn(ws, "Hi there, warming up.")  # models are loaded by the server's warm-up; make sure
        results = [await turn(ws, m) for m in MESSAGES]
    fa = statistics.median(r["first_audio"] for r in results)
    ff = statistics.median(r["first_frame"] for r in results)
    report("live: message -> first audio chunk (median of 20)", fa, "s", "<= 0.8")
    report("live: message -> first reply frame (median of 20)", ff, "s", "<= 1.0")
    report("live: first audio, worst of 20", max(r["first_audio"] for r in results), "s")
    report("live: stall beyond real time from the first frame", max(r["drift"] for r in results), "s", "<= 0.2")
    report("live: largest frame-to-frame gap minus media gap", max(r["gap"] for r in results), "s",
           "bursts; buffered ahead")
    report("live: playback lead asked, median", statistics.median(r["lead"] for r in results), "s")
    report("live: largest lateness vs playback schedule", max(r["late"] for r in results), "s", "<= 0.2")
    report("live: reply speech, median", statistics.median(r["duration"] for r in results), "s")

    # ---- 4 sessions at once -------------------------------------------------------------------
    socks = [await websockets.connect(url.format(f"c{i}"), max_size=None) for i in range(4)]
    try:
        for ws in socks:  # wait until each is set up (hello)
            while True:
                m = await ws.recv()
                if isinstance(m, str) and json.loads(m)["type"] == "hello":
                    break
        async with websockets.connect(url.format("fifth"), max_size=None) as ws5:
            busy = json.loads(await ws5.recv())
        print(f"live: 5th session answered {busy['type']!r} ({busy.get('message', '')})")
        worst_late, worst_first = [0.0] * 4, [0.0] * 4
        for k in range(2):
            texts = [MESSAGES[(k * 4 + i) % len(MESSAGES)] for i in range(4)]
            rs = await asyncio.gather(*(turn(ws, t) for ws, t in zip(socks, texts)))
            for i, r in enumerate(rs):
                worst_late[i] = max(worst_late[i], r["late"])
                worst_first[i] = max(worst_first[i], r["first_audio"])
        for i in range(4):
            report(f"live x4: session {i + 1} behind real time (worst of 2 turns)", max(0.0, worst_late[i]), "s", "<= 1")
        report("live x4: message -> first audio chunk, worst", max(worst_first), "s")
    finally:
        for ws in socks:
            await ws.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["DIGIHUMAN_HOME"] = home  # the default persona's memories stay in the temporary home
        srv, th, port = start_server(Path(home))
        try:
            time.sleep(0.5)
            asyncio.run(main_async(port))
        finally:
            srv.should_exit = True
            th.join(10)


if __name__ == "__main__":
    main()
    sys.exit(finish())
