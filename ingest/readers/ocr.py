"""Text from page images with the Tesseract command-line program.

The CLI is called directly (no pytesseract): an image goes in on stdin, text comes out
on stdout. Tesseract is optional; `tesseract_path()` says whether it is installed.
"""

import os
import shutil
import subprocess

from ingest.model import UnreadableDocument

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-nld"
# A scanned A4 page at 300 dpi takes a few seconds; a minute means something is wrong.
OCR_TIMEOUT_SECONDS = 60.0
_FALLBACK_LANGUAGE = "eng"


class OcrFailed(Exception):
    """Tesseract ran but could not read an image; the message says why."""


def tesseract_path() -> str | None:
    """Path of the tesseract program, or None when it is not installed."""
    return shutil.which("tesseract")


def choose_language(tesseract: str, requested: str) -> tuple[str, str | None]:
    """The language to run OCR in, and a warning when it is not the requested one.

    `requested` is a Tesseract language ("nld", or "nld+eng"). When a language pack is
    missing, OCR falls back to English, which still reads most Dutch words but misreads
    letters such as "ë" and "ij"; the warning says which package to install.
    """
    installed = _installed_languages(tesseract)
    missing = [lang for lang in requested.split("+") if lang not in installed]
    if not missing:
        return requested, None
    fallback = _FALLBACK_LANGUAGE if _FALLBACK_LANGUAGE in installed else None
    if fallback is None:
        raise UnreadableDocument(
            f"needs OCR but tesseract has no '{requested}' or '{_FALLBACK_LANGUAGE}' "
            f"language data ({INSTALL_HINT})"
        )
    packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
    return fallback, (
        f"tesseract has no '{'+'.join(missing)}' language data (apt-get install {packages}); "
        f"scanned pages were read as '{fallback}' and may contain misread words"
    )


def image_text(tesseract: str, image: bytes, language: str) -> str:
    """The text Tesseract reads in one image (PNG, JPEG or TIFF bytes)."""
    try:
        result = subprocess.run(
            [tesseract, "stdin", "stdout", "-l", language],
            input=image,
            capture_output=True,
            timeout=OCR_TIMEOUT_SECONDS,
            check=False,
            # Tesseract's own OpenMP threads make one page about 2.5 times slower on a
            # 2-core machine; pages are run in parallel by the caller instead.
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrFailed(f"OCR took longer than {OCR_TIMEOUT_SECONDS:.0f} s") from exc
    except OSError as exc:
        raise OcrFailed(f"tesseract could not be started ({exc.strerror or exc})") from exc
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrFailed(f"tesseract failed: {reason[-1] if reason else result.returncode}")
    return result.stdout.decode("utf-8", "replace")


def _installed_languages(tesseract: str) -> set[str]:
    """Language packs Tesseract reports with --list-langs (the first line is a header)."""
    try:
        result = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    output = (result.stdout or result.stderr).decode("utf-8", "replace").splitlines()
    return {line.strip() for line in output[1:] if line.strip()}
