"""What images cost (issue 15): making renditions when an editor saves, and rendering a list of
cards that show them, against the same list without images.

    DJANGO_DEBUG=1 .venv/bin/python bench/images.py

Runs in-process on a throwaway SQLite database and media folder (both deleted afterwards), with
the page cache off so every request renders. Renditions are made on save, so a page has no
"cold" rendition path; the "first render" row is the first request after the rows were made
(template and URL caches cold), the "warm" rows the median of the next ones.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="ikpob-images-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ikpob_portal.settings")
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'db.sqlite3'}"
os.environ["DJANGO_MEDIA_ROOT"] = str(WORK / "media")
os.environ["DJANGO_PAGE_CACHE"] = "0"
os.environ["DJANGO_QUERY_CACHE"] = "0"

CARDS = 20  # settings.PAGE_SIZE: one full list page
RUNS = 15


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


def jpeg(size=(1600, 900)) -> bytes:
    from PIL import Image

    buffer = BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def timed_gets(client, url: str) -> tuple[float, float]:
    """(first request, median of the next RUNS) in milliseconds."""
    started = time.perf_counter()
    status = client.get(url).status_code
    assert status == 200, f"{url}: {status}"
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return first, statistics.median(times)


def main() -> None:
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from publications.models import Publication

    call_command("migrate", verbosity=0)
    client = Client(HTTP_HOST="localhost")  # a host DEBUG allows
    photo = jpeg()

    def publication(number: int, with_image: bool) -> None:
        extra = {"image": ContentFile(photo, name="foto.jpg"), "image_alt": "Foto"}
        Publication.objects.create(
            title=f"Publicatie {number}",
            slug=f"publicatie-{number}",
            summary="Een samenvatting van een paar woorden.",
            status=Publication.Status.PUBLISHED,
            published_at=timezone.now(),
            **(extra if with_image else {}),
        )

    for number in range(CARDS):
        publication(number, with_image=False)
    bare_first, bare_warm = timed_gets(client, "/publicaties/")

    Publication.objects.all().delete()
    saves = []
    for number in range(CARDS):
        started = time.perf_counter()
        publication(number, with_image=True)
        saves.append((time.perf_counter() - started) * 1000)
    images_first, images_warm = timed_gets(client, "/publicaties/")

    rendition = next((WORK / "media" / "renditions").rglob("800w-*.webp"))
    url = "/afbeeldingen/" + str(rendition.relative_to(WORK / "media" / "renditions"))
    _, served = timed_gets(client, url)

    say(f"{CARDS} cards on /publicaties/, page cache off, median of {RUNS} (ms):")
    say(f"  without images: first {bare_first:.1f}, warm {bare_warm:.1f}")
    say(f"  with images:    first {images_first:.1f}, warm {images_warm:.1f}")
    say(f"saving a publication with a 1600×900 JPEG ({len(photo) // 1024} KB), 6 renditions:")
    say(f"  median {statistics.median(saves):.0f} ms, max {max(saves):.0f} ms")
    say(f"serving one 800 px WebP rendition from the filesystem: median {served:.1f} ms")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
