"""LLM dialog engines on the bundled Gemma 3 270M (Q4_K_M), one thread: load time, time to first
token and generation speed (``--threads N`` to compare), for the OpenAI-compatible client against a real llama.cpp server
(child process) and for the in-process xllamacpp engine.

Each turn uses a fresh message and ``cache_prompt: False``, so the whole prompt (~400 tokens:
persona, three passages, memories, history) is read every time: the cold case. A second figure
lets llama.cpp reuse the cached prompt prefix, as it does between turns of one conversation.
Generation runs to exactly 64 tokens (``ignore_eos``, no stop strings) so tokens/s is comparable.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import finish, report  # noqa: E402

from digihuman.dialog.llamacpp import LlamaCppEngine  # noqa: E402
from digihuman.dialog.llm_server import LlamaServer, bundled_test_model  # noqa: E402
from digihuman.dialog.openai_compat import OpenAICompatEngine  # noqa: E402
from digihuman.dialog.prompt import build_messages, estimate_tokens  # noqa: E402
from digihuman.dialog.types import Context, Emotion, Memory, Passage, Personality, Turn  # noqa: E402

N_TOKENS = 64
REPEAT = 3
QUESTIONS = ["When do you open on Sundays?", "Do you bake rye bread?", "Can I order a cake for Friday?",
             "Is the sourdough vegan?", "Where is the bakery?", "Do you deliver?"]


def make_ctx(message: str) -> Context:
    passages = tuple(Passage(i, "faq.md", f"Topic {i}", f"Fact {i}: " + "The Oakwood bakery bakes bread daily. " * 5)
                     for i in range(3))
    memories = tuple(Memory(i, "sam", "partner", f"k{i}", "v", f"(partner) likes item {i}", "t", 1) for i in range(4))
    history = (Turn(1, "sam", "user", "Hi Ava!", "t"), Turn(2, "sam", "persona", "Hello Sam! How are you?", "t"))
    return Context("Ava", Personality(0.8, "A cheerful baker."), "sam", message, Emotion("joy", 0.8), Emotion("joy", 0.8),
                   memories, passages, history)


def measure(engine, message: str) -> tuple[float, float, int]:
    """(seconds to first piece, generated tokens per second after it, pieces) for one streamed turn."""
    t0 = time.perf_counter()
    first = last = None
    n = 0
    for _ in engine.stream(make_ctx(message)):
        last = time.perf_counter()
        first = first or last
        n += 1
    if first is None:
        raise SystemExit("empty reply")
    rate = (n - 1) / (last - first) if n > 1 and last > first else float("nan")
    return first - t0, rate, n


def run(label: str, engine) -> None:
    cold = [measure(engine, f"{QUESTIONS[i % len(QUESTIONS)]} ({i})") for i in range(REPEAT)]
    report(f"{label}: time to first token (cold prompt)", statistics.median(c[0] for c in cold), "s")
    report(f"{label}: generation speed", statistics.median(c[1] for c in cold), "tok/s")
    engine.extra["cache_prompt"] = True
    measure(engine, QUESTIONS[0])  # fill the cache
    warm = [measure(engine, QUESTIONS[0]) for _ in range(REPEAT)]
    report(f"{label}: time to first token (cached prefix)", statistics.median(w[0] for w in warm), "s")


def main() -> None:
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    report("threads", threads, "")
    extra = {"cache_prompt": False, "ignore_eos": True, "stop": [], "seed": 1}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path.home() / ".cache" / "digihuman-test"
        model = bundled_test_model(cache if cache.parent.exists() else tmp)
        prompt_tokens = sum(estimate_tokens(m["content"]) for m in build_messages(make_ctx(QUESTIONS[0])))
        report("prompt size (estimated, 4 chars/token)", prompt_tokens, "tokens")

        t0 = time.perf_counter()
        with LlamaServer(model, threads=threads) as srv:
            report("llama.cpp HTTP server: start (child process, load)", time.perf_counter() - t0, "s")
            run("openai client -> llama.cpp server", OpenAICompatEngine(srv.url, srv.model, max_tokens=N_TOKENS,
                                                                        temperature=0.7, extra=dict(extra)))

        t0 = time.perf_counter()
        engine = LlamaCppEngine(model, threads=threads, max_tokens=N_TOKENS, extra=dict(extra))
        report("in-process xllamacpp: load", time.perf_counter() - t0, "s")
        run("in-process xllamacpp", engine)
        engine.close()


if __name__ == "__main__":
    main()
    sys.exit(finish())
