"""Demo images, drawn with Pillow in the brand colours (static/css/ikpob-theme.css): nothing
is downloaded and nothing binary is kept in the repository.

Covers are abstract compositions, the same for the same slug on every machine; they add
nothing to the text, so the demo marks them decorative. People get their initials rather than
a made-up likeness (also decorative: the name stands beside them). Only the foundation's own
logo is drawn: a logo for another, real organisation would be an invented fact.
"""

import hashlib
import random
from io import BytesIO

from PIL import Image, ImageDraw, ImageFont

# The brand tokens of static/css/ikpob-theme.css.
BLUE_900 = "#0b2a4d"
BLUE_700 = "#154273"
BLUE_100 = "#e8eef5"
BLUE_50 = "#f3f6fa"
AMBER_100 = "#fff4d6"
AMBER_800 = "#7a5500"
FOCUS = "#ffbf47"
WHITE = "#ffffff"

# Small enough that loaddemo stays quick (every test of it draws them anew): covers get two
# widths (400 and 800; never enlarged to 1200), portraits and the logo two as well.
COVER_SIZE = (800, 450)
PORTRAIT_SIZE = (320, 320)
LOGO_SIZE = (320, 160)

# Background and the colours drawn on it, each pair of enough contrast to read as shapes.
PALETTES = [
    (BLUE_900, [BLUE_700, FOCUS, BLUE_100]),
    (BLUE_700, [BLUE_900, BLUE_100, FOCUS]),
    (BLUE_50, [BLUE_700, BLUE_100, AMBER_800]),
    (AMBER_100, [BLUE_700, FOCUS, BLUE_900]),
]


def _png(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _random_for(slug: str) -> random.Random:
    # The slug decides the picture: the same on every run and every machine.
    return random.Random(hashlib.sha256(slug.encode()).digest())


def cover(slug: str) -> bytes:
    """Overlapping circles and bars on a brand colour, chosen by the slug."""
    chance = _random_for(slug)
    background, colours = PALETTES[chance.randrange(len(PALETTES))]
    width, height = COVER_SIZE
    image = Image.new("RGB", COVER_SIZE, background)
    draw = ImageDraw.Draw(image)
    for _ in range(chance.randint(3, 5)):
        colour = chance.choice(colours)
        if chance.random() < 0.6:
            radius = chance.randint(height // 6, height // 2)
            x, y = chance.randint(0, width), chance.randint(0, height)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        else:
            top = chance.randint(0, height - height // 8)
            draw.rectangle((0, top, width, top + chance.randint(height // 16, height // 5)), colour)
    # A band at the foot in the darkest blue ties every cover to the site's header.
    draw.rectangle((0, height - height // 24, width, height), fill=BLUE_900)
    return _jpeg(image)


def initials(full_name: str) -> str:
    """'Annet Doesburg' → 'AD'; particles ('van der') and lower-case words are left out."""
    words = [word for word in full_name.split() if word[:1].isupper()]
    if not words:
        return full_name[:1].upper()
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def _centred_text(draw: ImageDraw.ImageDraw, size: tuple[int, int], text: str, font, fill) -> None:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (size[0] - (right - left)) / 2 - left
    y = (size[1] - (bottom - top)) / 2 - top
    draw.text((x, y), text, font=font, fill=fill)


def portrait(full_name: str) -> bytes:
    """The person's initials, white on the brand blue (cards crop it to a circle)."""
    image = Image.new("RGB", PORTRAIT_SIZE, BLUE_700)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=PORTRAIT_SIZE[0] // 3)
    _centred_text(draw, PORTRAIT_SIZE, initials(full_name), font, WHITE)
    return _png(image)


def foundation_logo(short_name: str) -> bytes:
    """The word mark of the site's header: the short name, white on the brand blue."""
    image = Image.new("RGB", LOGO_SIZE, BLUE_700)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=LOGO_SIZE[1] // 3)
    _centred_text(draw, LOGO_SIZE, short_name, font, WHITE)
    return _png(image)
