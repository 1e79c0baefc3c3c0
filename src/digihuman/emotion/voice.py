"""The user's emotional arousal from their voice: prosody, normalised to the speaker's own session.

No emotional-speech model ships in any package we can install, so this is measurement, not a
trained classifier. Per utterance (16 kHz mono) it measures, in 10 ms frames:

* pitch level: median F0 in semitones (WORLD dio + stonemask), and pitch range: the 10-90th
  percentile span of F0, semitones;
* loudness: mean level of the speech frames, dB;
* rate: syllable nuclei per second of speech (peaks of the smoothed voiced energy);
* voice quality: spectral tilt, the 1-4 kHz vs 0-1 kHz energy ratio in dB (pressed, tense voices
  have flatter spectra).

Each is turned into a z-score against the speaker's earlier utterances in the session
(:class:`VoiceEmotionTracker`; until it has heard :data:`MIN_BASELINE` utterances, against broad
population spreads), then arousal = a weighted sum of the z-scores (higher, wider, louder,
faster, flatter = more aroused), squashed to 0..1.

What it can tell: whether this utterance is calmer or more aroused than the speaker's own usual
voice, and low-arousal low-pitch speech that fits sadness or tiredness. What it cannot: valence
(joy and anger, or fear and excitement, sound alike in these cues), anything on a first
utterance beyond broad deviations, recordings whose level the microphone changed, and acted or
culture-specific styles. Categories are therefore spread: an aroused voice puts its weight on
joy, anger, fear and surprise equally and leaves the choice to the text and the face (fusion).
Silence and clipped recordings give "unknown" with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..types import Audio

RATE = 16000  # Hz: analysis rate
HOP_S = 0.01  # s: frame hop
MIN_SPEECH_S = 0.6  # s of voiced speech needed to say anything
SILENCE_DB = -50.0  # dBFS: an utterance whose speech frames are quieter is silence
CLIP_LEVEL = 0.99  # |sample| at or above this counts as clipped ...
CLIP_SHARE = 0.005  # ... and more than this share of such samples makes the recording unusable
MIN_BASELINE = 1  # utterances of the speaker before their own norms replace the population's
FEATURES = ("pitch", "range", "loudness", "rate", "tilt")
# population spreads (one standard deviation across utterances of one speaker, typical read and
# conversational speech): used before the session has its own
POP_STD = {"pitch": 1.5, "range": 1.5, "loudness": 3.0, "rate": 0.6, "tilt": 2.5}
# arousal weights per z-score (sum 1): pitch level and loudness carry most (Juslin & Laukka 2003)
WEIGHTS = {"pitch": 0.3, "range": 0.2, "loudness": 0.25, "rate": 0.15, "tilt": 0.1}
AROUSED, CALM = 0.62, 0.38  # arousal above / below which the voice counts as aroused / calm
AROUSED_NEW = 0.75  # the same before the speaker has a baseline (population norms are broad)


@dataclass(frozen=True)
class VoiceEmotion:
    """What one utterance's voice tells."""

    label: str
    """"aroused", "calm", "neutral" (as usual for this speaker) or "unknown"."""
    arousal: float = 0.5
    """0 (much calmer than usual) .. 0.5 (usual) .. 1 (much more aroused)."""
    confidence: float = 0.0
    """0..1: how far from the decision boundary, lowered while the speaker is new."""
    probs: dict[str, float] = field(default_factory=dict)
    """A spread over digihuman.dialog.types.EMOTIONS (see the module doc), empty when unknown."""
    features: dict[str, float] = field(default_factory=dict)
    reason: str = ""


def prosody_features(audio: Audio) -> dict[str, float] | str:
    """The five measures of one utterance, or the reason it cannot be read ("silence", "clipping")."""
    import pyworld as pw

    from ..audio.io import resample

    a = resample(audio, RATE) if audio.sample_rate != RATE else audio
    x = np.asarray(a.samples, dtype=np.float64)
    if len(x) < int(0.3 * RATE):
        return "silence"
    if np.mean(np.abs(x) >= CLIP_LEVEL) > CLIP_SHARE:
        return "clipping"
    hop = int(HOP_S * RATE)
    n = len(x) // hop
    frames = x[: n * hop].reshape(n, hop)
    db = 10 * np.log10((frames ** 2).mean(axis=1) + 1e-12)
    speech = db > max(db.max() - 35.0, SILENCE_DB)
    if speech.sum() * HOP_S < MIN_SPEECH_S or db[speech].mean() < SILENCE_DB:
        return "silence"
    f0, t = pw.dio(x, RATE, f0_floor=60.0, f0_ceil=500.0, frame_period=HOP_S * 1000)
    f0 = pw.stonemask(x, f0, t, RATE)[:n]
    voiced = (f0 > 0) & speech[: len(f0)]
    if voiced.sum() * HOP_S < 0.3:
        return "silence"
    st = 12 * np.log2(f0[voiced] / 100.0)
    # syllable nuclei: peaks of the voiced energy, smoothed over 50 ms, at least 100 ms apart
    env = np.where(np.pad(voiced, (0, n - len(voiced))), db, db.min())
    k = np.hanning(5)
    env = np.convolve(env, k / k.sum(), mode="same")
    peaks = [i for i in range(1, n - 1) if env[i] >= env[i - 1] and env[i] > env[i + 1] and env[i] > db.max() - 25]
    kept: list[int] = []
    for i in peaks:
        if not kept or i - kept[-1] >= 10:
            kept.append(i)
        elif env[i] > env[kept[-1]]:
            kept[-1] = i
    spec = np.abs(np.fft.rfft(frames[speech] * np.hanning(hop), axis=1)) ** 2
    freqs = np.fft.rfftfreq(hop, 1 / RATE)
    lo = spec[:, (freqs > 50) & (freqs <= 1000)].sum()
    hi = spec[:, (freqs > 1000) & (freqs <= 4000)].sum()
    return {"pitch": float(np.median(st)),
            "range": float(np.percentile(st, 90) - np.percentile(st, 10)),
            "loudness": float(db[speech].mean()),
            "rate": len(kept) / (speech.sum() * HOP_S),
            "tilt": float(10 * np.log10((hi + 1e-12) / (lo + 1e-12)))}


def _spread(arousal: float, pitch_z: float) -> dict[str, float]:
    """Emotion probabilities from arousal alone (valence unknown: aroused emotions share)."""
    from ..dialog.types import EMOTIONS

    p = dict.fromkeys(EMOTIONS, 0.0)
    hi = float(np.clip((arousal - 0.5) / 0.3, 0.0, 1.0))
    lo = float(np.clip((0.5 - arousal) / 0.3, 0.0, 1.0))
    for e in ("joy", "anger", "fear", "surprise"):
        p[e] = 0.25 * hi
    p["sadness"] = lo * (0.7 if pitch_z < 0 else 0.4)
    p["neutral"] = 1.0 - sum(p.values())
    return p


class VoiceEmotionTracker:
    """One speaker's session: each utterance is judged against the ones before it."""

    def __init__(self) -> None:
        self._history: list[dict[str, float]] = []

    def update(self, audio: Audio, *, learn: bool = True) -> VoiceEmotion:
        """Judge one utterance; with ``learn`` it then joins the speaker's baseline."""
        feats = prosody_features(audio)
        if isinstance(feats, str):
            return VoiceEmotion("unknown", reason=feats)
        z = self._z(feats)
        arousal = float(1.0 / (1.0 + np.exp(-1.2 * sum(WEIGHTS[k] * z[k] for k in FEATURES))))
        new = len(self._history) < MIN_BASELINE
        if learn:
            self._history.append(feats)
        hi, lo = (AROUSED_NEW, 1 - AROUSED_NEW) if new else (AROUSED, CALM)  # a new speaker: only clear cases
        label = "aroused" if arousal >= hi else "calm" if arousal <= lo else "neutral"
        margin = abs(arousal - 0.5) / 0.5
        conf = float(np.clip(margin if label != "neutral" else 1 - margin / 0.24, 0, 1)) * (0.5 if new else 1.0)
        return VoiceEmotion(label, round(arousal, 4), round(conf, 4), _spread(arousal, z["pitch"]),
                            {k: round(v, 3) for k, v in feats.items()})

    def _z(self, f: dict[str, float]) -> dict[str, float]:
        if len(self._history) < MIN_BASELINE:
            # first utterance: only broad deviations from typical speech can show
            ref = {"pitch": f["pitch"], "range": 5.0, "loudness": f["loudness"], "rate": 4.0, "tilt": f["tilt"]}
            return {k: (f[k] - ref[k]) / (2 * POP_STD[k]) for k in FEATURES}
        h = {k: np.array([u[k] for u in self._history]) for k in FEATURES}
        # a speaker's own spread needs several utterances; until then the population's keeps z sane
        w = min(1.0, (len(self._history) - 1) / 5.0)
        return {k: (f[k] - h[k].mean()) / max(w * h[k].std() + (1 - w) * POP_STD[k], 0.5 * POP_STD[k])
                for k in FEATURES}
