"""What a provenance mark carries, and the error-correcting code that protects it.

The payload is 64 bits: tool id (8), tool version (8), persona hash (24), UTC minutes since
2025-01-01 (24 bits: good until 2056). A CRC-16 is appended (80 bits) so a decoder can tell a
real mark from noise, and a rate-1/2 convolutional code (constraint length 7, the 171/133 octal
code of CCSDS/802.11, 6 tail bits) turns it into 172 coded bits that a soft Viterbi decoder
recovers through heavy bit errors.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass

import numpy as np

TOOL_ID = 0x44  # 'D': digihuman
EPOCH = _dt.datetime(2025, 1, 1, tzinfo=_dt.timezone.utc)
PAYLOAD_BITS = 64
CRC_BITS = 16
MESSAGE_BITS = PAYLOAD_BITS + CRC_BITS  # 80
K = 7  # constraint length
POLYS = (0o171, 0o133)
CODED_BITS = (MESSAGE_BITS + K - 1) * len(POLYS)  # 172


@dataclass(frozen=True)
class Payload:
    """The facts a mark carries."""

    tool: int = TOOL_ID
    """Tool id (0x44 = digihuman)."""
    version: int = 0
    """Tool version, major * 32 + minor (8 bits)."""
    persona: int = 0
    """24-bit persona hash (photo + voice + consent statement; see :func:`persona_hash`)."""
    minutes: int = 0
    """UTC minutes since 2025-01-01."""

    @property
    def time(self) -> _dt.datetime:
        return EPOCH + _dt.timedelta(minutes=self.minutes)

    @property
    def tool_name(self) -> str:
        return "digihuman" if self.tool == TOOL_ID else f"unknown tool 0x{self.tool:02x}"

    @property
    def version_text(self) -> str:
        return f"{self.version // 32}.{self.version % 32}"

    def describe(self) -> dict:
        """JSON-ready form (what ``digihuman verify`` prints)."""
        return {"tool": self.tool_name, "version": self.version_text, "persona_hash": f"{self.persona:06x}",
                "time_utc": self.time.strftime("%Y-%m-%dT%H:%MZ")}

    def to_bits(self) -> np.ndarray:
        """The 64 payload bits, most significant first (uint8 0/1)."""
        value = (self.tool << 56) | (self.version << 48) | (self.persona << 24) | self.minutes
        return np.array([(value >> (63 - i)) & 1 for i in range(PAYLOAD_BITS)], dtype=np.uint8)

    @staticmethod
    def from_bits(bits: np.ndarray) -> "Payload":
        value = 0
        for b in bits[:PAYLOAD_BITS]:
            value = (value << 1) | int(b)
        return Payload(tool=value >> 56, version=(value >> 48) & 0xFF, persona=(value >> 24) & 0xFFFFFF,
                       minutes=value & 0xFFFFFF)


def make_payload(persona_id: int, when: _dt.datetime | None = None) -> Payload:
    """The payload for a video made now (or at ``when``) by this digihuman from ``persona_id``."""
    from .. import __version__

    major, minor = (int(x) for x in __version__.split(".")[:2])
    when = when or _dt.datetime.now(_dt.timezone.utc)
    minutes = int((when - EPOCH).total_seconds() // 60)
    return Payload(TOOL_ID, (major % 8) * 32 + minor % 32, persona_id & 0xFFFFFF, max(0, min(minutes, 2**24 - 1)))


def persona_hash(photo: np.ndarray, voice: bytes = b"", consent: str = "") -> int:
    """24-bit hash of what makes a persona: photo pixels, voice profile bytes, consent statement."""
    h = hashlib.sha256()
    for part in (np.ascontiguousarray(photo).tobytes(), voice, consent.encode("utf-8")):
        h.update(hashlib.sha256(part).digest())
    return int.from_bytes(h.digest()[:3], "big")


def crc16(bits: np.ndarray) -> np.ndarray:
    """CRC-16-CCITT (poly 0x1021, init 0xFFFF) of a bit array, as 16 bits."""
    reg = 0xFFFF
    for b in bits:
        top = ((reg >> 15) & 1) ^ int(b)
        reg = ((reg << 1) & 0xFFFF) ^ (0x1021 if top else 0)
    return np.array([(reg >> (15 - i)) & 1 for i in range(CRC_BITS)], dtype=np.uint8)


def _outputs(state: int, bit: int) -> tuple[int, ...]:
    reg = (bit << (K - 1)) | state  # newest bit on top, then the K-1 previous bits
    return tuple(bin(reg & p).count("1") & 1 for p in POLYS)


_N_STATES = 1 << (K - 1)
# For each (state, input bit): next state and the coded output as +-1 (for soft correlation).
_NEXT = np.array([[((b << (K - 1)) | s) >> 1 for b in (0, 1)] for s in range(_N_STATES)])
_OUT = np.array([[[1 - 2 * o for o in _outputs(s, b)] for b in (0, 1)] for s in range(_N_STATES)], dtype=np.float64)


def encode(payload: Payload) -> np.ndarray:
    """Payload -> 172 coded bits (0/1): payload + CRC-16, convolutionally coded, with tail."""
    bits = payload.to_bits()
    msg = np.concatenate([bits, crc16(bits), np.zeros(K - 1, np.uint8)])
    out, state = [], 0
    for b in msg:
        out.extend(_outputs(state, int(b)))
        state = int(_NEXT[state, b])
    return np.array(out, dtype=np.uint8)


def decode(soft: np.ndarray) -> tuple[Payload | None, np.ndarray]:
    """Soft values (positive = bit 0) -> (payload if the CRC holds, else None; the 80 decided bits).

    Soft-decision Viterbi over the 64-state trellis, starting and ending in state 0.
    """
    soft = np.asarray(soft, dtype=np.float64).reshape(-1, len(POLYS))
    metric = np.full(_N_STATES, -np.inf)
    metric[0] = 0.0
    back = np.zeros((len(soft), _N_STATES), dtype=np.int32)  # previous state * 2 + bit
    nxt = np.arange(_N_STATES)
    bit = nxt >> (K - 2)  # the input bit that leads into each next state
    prev = ((nxt << 1) & (_N_STATES - 1))[:, None] | np.array([0, 1])  # its two predecessors
    for t, sym in enumerate(soft):
        gain = _OUT @ sym  # (state, bit): correlation of each branch's output with the received symbol
        cand = metric[prev] + gain[prev, bit[:, None]]
        pick = np.argmax(cand, axis=1)
        metric = cand[nxt, pick]
        back[t] = prev[nxt, pick] * 2 + bit
    state, bits = 0, []
    for t in range(len(soft) - 1, -1, -1):
        code = back[t, state]
        bits.append(code & 1)
        state = code >> 1
    bits = np.array(bits[::-1][:MESSAGE_BITS], dtype=np.uint8)
    ok = np.array_equal(crc16(bits[:PAYLOAD_BITS]), bits[PAYLOAD_BITS:])
    return (Payload.from_bits(bits) if ok else None), bits
