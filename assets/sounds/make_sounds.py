"""Writes the kiosk's short sounds (tap, success, error, chime) as small 16-bit mono WAV files.

Run from the repository: python assets/sounds/make_sounds.py. The sounds are plain sine tones
with soft edges (no clicks), made here so that no third-party recording needs a licence.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050

# name -> notes as (frequency Hz, seconds); 0 Hz is a pause.
SOUNDS: dict[str, list[tuple[float, float]]] = {
    "tap": [(1200.0, 0.04)],
    "success": [(660.0, 0.12), (880.0, 0.12), (1320.0, 0.22)],
    "error": [(330.0, 0.18), (0.0, 0.05), (262.0, 0.28)],
    "chime": [(784.0, 0.35), (659.0, 0.35), (523.0, 0.6)],
}


def _note(freq: float, seconds: float, volume: float = 0.5) -> list[int]:
    n = int(RATE * seconds)
    edge = max(1, int(RATE * 0.01))
    samples = []
    for i in range(n):
        envelope = min(1.0, i / edge, (n - i) / edge)
        if freq > 0 and seconds >= 0.2:
            envelope *= math.exp(-2.5 * i / n)  # a bell-like fade for the longer notes
        value = math.sin(2 * math.pi * freq * i / RATE) if freq > 0 else 0.0
        samples.append(int(32767 * volume * envelope * value))
    return samples


def write(path: Path, notes: list[tuple[float, float]]) -> None:
    samples = [s for freq, seconds in notes for s in _note(freq, seconds)]
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for name, notes in SOUNDS.items():
        write(here / f"{name}.wav", notes)
