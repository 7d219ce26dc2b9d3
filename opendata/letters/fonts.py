"""Whether this machine has fonts to draw letters with.

WeasyPrint lays text out with Pango, which finds fonts through fontconfig; with no font at
all the process crashes (a segfault in the CLI) on the first letter. fontconfig is asked
directly (its C library, through ctypes: no layout is attempted), once per process, and a
letter asked for without fonts is refused with `LettersUnavailable`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

from opendata.errors import DomainError


class LettersUnavailable(DomainError, code="LETTERS_UNAVAILABLE", http_status=503):
    def __init__(self) -> None:
        super().__init__(
            "Surat PDF tidak dapat dibuat: server tidak memiliki fon (pasang fonts-dejavu "
            "atau fon lain).",
            "PDF letters cannot be made: this server has no fonts (install fonts-dejavu or "
            "another font).",
        )


class _FontSet(ctypes.Structure):
    _fields_ = [
        ("nfont", ctypes.c_int),
        ("sfont", ctypes.c_int),
        ("fonts", ctypes.c_void_p),
    ]


@functools.cache
def font_count() -> int:
    """How many fonts fontconfig finds (0 without fontconfig itself)."""
    name = ctypes.util.find_library("fontconfig")
    if name is None:
        return 0
    library = ctypes.CDLL(name)
    library.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    library.FcPatternCreate.restype = ctypes.c_void_p
    library.FcObjectSetBuild.restype = ctypes.c_void_p
    library.FcObjectSetBuild.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    library.FcFontList.restype = ctypes.POINTER(_FontSet)
    library.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    library.FcFontSetDestroy.argtypes = [ctypes.POINTER(_FontSet)]
    for release in ("FcPatternDestroy", "FcObjectSetDestroy", "FcConfigDestroy"):
        getattr(library, release).argtypes = [ctypes.c_void_p]
    config = library.FcInitLoadConfigAndFonts()
    if not config:
        return 0
    pattern = library.FcPatternCreate()
    objects = library.FcObjectSetBuild(b"family", None)
    fonts = library.FcFontList(config, pattern, objects)
    count = fonts.contents.nfont if fonts else 0
    if fonts:
        library.FcFontSetDestroy(fonts)
    library.FcObjectSetDestroy(objects)
    library.FcPatternDestroy(pattern)
    library.FcConfigDestroy(config)
    return int(count)


def require_fonts() -> None:
    """Refuse a letter on a machine without fonts, before WeasyPrint is asked to draw it."""
    if font_count() == 0:
        raise LettersUnavailable()
