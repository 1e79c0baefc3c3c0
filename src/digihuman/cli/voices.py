"""`voices`: list the voices a persona can speak with, and hear one."""

from __future__ import annotations

import argparse
import json

EPILOG = """examples:
  digihuman voices                          # every voice: name, language, accent, gender, description
  digihuman voices --lang en --gender female
  digihuman voices af_heart --play          # hear a sample through the speakers
  digihuman voices bm_george --out george.wav
  digihuman voices ef_dora --out dora.wav --text "Hola, ¿qué tal?"
  digihuman persona create bob --photo bob.jpg --voice-name am_michael

Kokoro voices (neural, 24 kHz) speak English (US, GB), Spanish, French, Italian, Brazilian
Portuguese and Hindi; 'piper' is the fastest English voice; espeak:LANG speaks every language
(Korean, German, ...). Kokoro's Japanese and Chinese voices are listed but need a front end that
is not installed: eSpeak speaks those languages.
"""

SAMPLES = {
    "en": "Hello! I'm a digital human, and this is how my voice sounds.",
    "es": "¡Hola! Soy un humano digital, y así suena mi voz.",
    "fr": "Bonjour ! Je suis un humain numérique, et voici ma voix.",
    "it": "Ciao! Sono un essere umano digitale, e questa è la mia voce.",
    "pt-br": "Olá! Eu sou um humano digital, e esta é a minha voz.",
    "hi": "नमस्ते! मैं एक डिजिटल इंसान हूँ।",
    "de": "Hallo! Ich bin ein digitaler Mensch, und so klingt meine Stimme.",
    "ko": "안녕하세요! 저는 디지털 휴먼이에요.",
}


def register(sub, common: argparse.ArgumentParser) -> None:
    v = sub.add_parser("voices", help="list the voices (Kokoro, piper, eSpeak) and hear a sample", epilog=EPILOG,
                       formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common])
    v.add_argument("name", nargs="?", help="one voice (e.g. af_heart, piper, espeak:de)")
    v.add_argument("--lang", metavar="CODE", help="only voices of this language")
    v.add_argument("--gender", choices=("female", "male"), help="only female or male voices")
    v.add_argument("--play", action="store_true", help="play a sample of NAME through the speakers")
    v.add_argument("--out", metavar="FILE.wav", help="write a sample of NAME to a WAV file")
    v.add_argument("--text", help="what the sample says (default: a greeting in the voice's language)")
    v.add_argument("--json", action="store_true", help="machine-readable list")
    v.set_defaults(func=cmd_voices)


def cmd_voices(args: argparse.Namespace) -> int:
    from ..errors import InputError
    from ..speech.voices import all_voices, resolve_voice

    if (args.play or args.out or args.text) and not args.name:
        raise InputError("--play/--out need a voice name", "e.g. digihuman voices af_heart --out sample.wav")
    if args.name:
        voice = resolve_voice(args.name)
        if args.play or args.out:
            return _sample(voice, args)
        voices = [voice]
    else:
        voices = [v for v in all_voices() if v.usable or not args.lang]
    if args.lang:
        from ..speech.languages import resolve_language

        code = resolve_language(args.lang).code
        voices = [v for v in voices if v.lang == code]
    if args.gender:
        voices = [v for v in voices if v.gender == args.gender]
    if args.json:
        print(json.dumps([{"id": v.id, "name": v.name, "lang": v.lang, "language": v.language_name, "accent": v.accent,
                           "gender": v.gender, "description": v.description, "usable": v.usable} for v in voices],
                         ensure_ascii=False, indent=1))
        return 0
    print(f"{'name':<22} {'language':<28} {'gender':<7} description")
    for v in voices:
        name = v.name if v.backend == "kokoro" else v.id
        desc = v.description if v.usable else "not usable yet: " + v.description + "(see --help)"
        print(f"{name:<22} {v.language_name:<28} {v.gender or '-':<7} {desc}".rstrip())
    if not args.quiet and not args.name:
        print("\nchoose one: digihuman persona create NAME --photo P.jpg --voice-name af_heart  "
              "(hear it: digihuman voices af_heart --play)")
    return 0


def _sample(voice, args: argparse.Namespace) -> int:
    from .._fs import check_writable
    from ..audio import write_wav
    from ..speech.voices import tts_for_voice

    out = check_writable(args.out, suffixes=(".wav",)) if args.out else None
    text = args.text or SAMPLES.get(voice.lang, SAMPLES["en"] if voice.lang == "en" else "1 2 3")
    tts, note = tts_for_voice(voice.id, voice.lang)
    if note:
        import sys

        print(f"note: {note}", file=sys.stderr)
    speech = tts.synthesize(text)
    if out is not None:
        write_wav(out, speech.audio)
        if not args.quiet:
            print(f"wrote {out} ({speech.audio.duration:.2f} s, {voice.id})")
    if args.play:
        from ..audio.play import play

        play(speech.audio)
    return 0
