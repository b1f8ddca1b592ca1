"""The demo catalogue of a hardware and workshop supplies wholesaler, and pictures drawn for it.

`PRODUCTS` holds plain dicts: code, name, description, barcode (EAN-13), unit, price_cents, stock (the
units on hand at the start) and category; the rows come from demo/products.csv, read once at import.
`render_product_image` draws a product's picture as PNG: the same picture for the same product every time.
"""

from __future__ import annotations

import csv
import functools
import math
import random
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

# prefix -> (category name, light colour, deep colour)
CATEGORIES: dict[str, tuple[str, tuple[int, int, int], tuple[int, int, int]]] = {
    'FA': ('Fasteners', (214, 226, 240), (58, 96, 140)),
    'HT': ('Hand tools', (250, 222, 200), (196, 84, 36)),
    'PT': ('Power-tool accessories', (255, 236, 179), (201, 133, 0)),
    'SG': ('Safety gear', (208, 240, 214), (38, 128, 72)),
    'AD': ('Adhesives & sealants', (236, 220, 246), (118, 66, 160)),
    'CL': ('Cleaning supplies', (204, 240, 246), (0, 131, 155)),
    'PK': ('Packaging', (238, 226, 208), (135, 98, 58)),
}


def data_rows(filename: str) -> list[dict[str, str]]:
    """The rows of a CSV file next to this module (UTF-8, a header line naming the columns), as plain strings."""
    with (Path(__file__).parent / filename).open(encoding='utf-8', newline='') as f:
        return list(csv.DictReader(f))


# (code, name, unit, price in cents, stock, description): demo/products.csv, in the catalogue's order
_ROWS: list[tuple[str, str, str, int, int, str]] = [
    (r['code'], r['name'], r['unit'], int(r['price_cents']), int(r['stock']), r['description'])
    for r in data_rows('products.csv')
]


def ean13(first12: str) -> str:
    """The 13-digit EAN with its check digit appended."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


def _product(index: int, row: tuple[str, str, str, int, int, str]) -> dict:
    code, name, unit, price_cents, stock, description = row
    prefix = code.split('-')[0]
    return {
        'code': code,
        'name': name,
        'description': description,
        'barcode': ean13(f'8712345{index:05d}'),
        'unit': unit,
        'price_cents': price_cents,
        'stock': stock,
        'category': CATEGORIES[prefix][0],
    }


PRODUCTS: list[dict] = [_product(i + 1, row) for i, row in enumerate(_ROWS)]

# Names and descriptions of some products in Dutch and German, as a supplier translates its best sellers first:
# code -> language -> (name, description). The others show their English texts in every language.
# fmt: off
TRANSLATIONS: dict[str, dict[str, tuple[str, str]]] = {
    'HT-1001': {
        'nl': ('Klauwhamer 500 g, glasvezel steel',
               'Gesmede en geharde stalen kop met een gepolijst slagvlak en gebogen klauw. Schokdempende glasvezel '
               'steel met antislip rubberen greep. Totale lengte 33 cm.'),
        'de': ('Klauenhammer 500 g, Fiberglasstiel',
               'Geschmiedeter und gehärteter Stahlkopf mit polierter Bahn und gebogener Klaue. Stoßdämpfender '
               'Fiberglasstiel mit rutschfestem Gummigriff. Gesamtlänge 33 cm.'),
    },
    'HT-1004': {
        'nl': ('Rolmaat 8 m x 25 mm',
               'Rolmaat klasse II met nylon gecoat stalen lint en dubbelzijdige schaalverdeling. Tot 3 m vrij uit te '
               'schuiven, eindhaak met nulpuntcorrectie en riemclip. Rubberen behuizing.'),
        'de': ('Bandmaß 8 m x 25 mm',
               'Bandmaß der Genauigkeitsklasse II mit nylonbeschichtetem Stahlband und beidseitiger Skala. Bis 3 m '
               'freitragend, Endhaken mit Nullpunktkorrektur und Gürtelclip. Gummiertes Gehäuse.'),
    },
    'HT-1006': {
        'nl': ('Waterpas 600 mm, aluminium',
               'Aluminium kokerwaterpas met drie schokbestendige libellen. Nauwkeurigheid 0,5 mm/m. Gefreesd meetvlak '
               'en rubberen eindkappen.'),
        'de': ('Wasserwaage 600 mm, Aluminium',
               'Aluminium-Wasserwaage im Rechteckprofil mit drei stoßfesten Libellen. Genauigkeit 0,5 mm/m. Gefräste '
               'Messfläche und Gummi-Endkappen.'),
    },
    'HT-1007': {
        'nl': ('Waterpomptang 250 mm',
               'Waterpomptang met negen standen en drukknopverstelling. Inductiegeharde tanden pakken buizen tot '
               '46 mm. Chroom-vanadiumstaal.'),
        'de': ('Wasserpumpenzange 250 mm',
               'Wasserpumpenzange mit neun Stellungen und Druckknopfverstellung. Induktionsgehärtete Zähne greifen '
               'Rohre bis 46 mm. Chrom-Vanadium-Stahl.'),
    },
    'PT-1002': {
        'nl': ('SDS-plus steenboor 8 x 160 mm',
               'Viersnijdende hardmetalen punt voor snelle, ronde gaten in beton en gewapend metselwerk. De dubbele '
               'spiraal voert boorstof snel af. SDS-plus-schacht.'),
        'de': ('SDS-plus Hammerbohrer 8 x 160 mm',
               'Vierschneidige Hartmetallspitze für schnelle, runde Bohrlöcher in Beton und bewehrtem Mauerwerk. Die '
               'Doppelwendel fördert Bohrmehl schnell ab. SDS-plus-Schaft.'),
    },
    'PT-1005': {
        'nl': ('Schuurschijven 125 mm, korrel 120',
               'Klittenband-schuurschijven van aluminiumoxide met 8 stofgaten. Voor excenterschuurmachines. '
               'Antiverstoppingslaag voor verf, plamuur en hout.'),
        'de': ('Schleifscheiben 125 mm, Körnung 120',
               'Kletthaftende Schleifscheiben aus Aluminiumoxid mit 8 Absauglöchern. Für Exzenterschleifer. '
               'Zusetzungshemmende Beschichtung für Lack, Spachtel und Holz.'),
    },
    'AD-1002': {
        'nl': ('Sanitairsiliconen, wit, 300 ml',
               'Azijnzuurhardende siliconenkit voor voegen in badkamers en keukens. Schimmelwerend en blijvend '
               'elastisch. Hardt uit met ongeveer 2 mm per dag.'),
        'de': ('Sanitärsilikon, weiß, 300 ml',
               'Essigvernetzendes Silikon für Fugen in Bad und Küche. Schimmelbeständig, bleibt elastisch. Härtet '
               'etwa 2 mm pro Tag aus.'),
    },
    'AD-1006': {
        'nl': ('Houtlijm D3, 750 g',
               'Waterbestendige PVAc-houtlijm, klasse D3 volgens EN 204. Droogt transparant op. Open tijd ongeveer '
               '10 minuten, klemtijd 15 minuten.'),
        'de': ('Holzleim D3, 750 g',
               'Wasserfester PVAc-Holzleim, Beanspruchungsgruppe D3 nach EN 204. Trocknet transparent auf. Offene '
               'Zeit etwa 10 Minuten, Presszeit 15 Minuten.'),
    },
    'CL-1004': {
        'nl': ('Microvezeldoeken 40 x 40 cm',
               'Pluisvrije microvezeldoeken in vier kleuren voor schoonmaken met een kleurcode. Wasbaar op 90 °C.'),
        'de': ('Mikrofasertücher 40 x 40 cm',
               'Fusselfreie Mikrofasertücher in vier Farben für die Reinigung nach Farbcode. Waschbar bei 90 °C.'),
    },
    'PK-1002': {
        'nl': ('Verpakkingstape, bruin, 48 mm x 66 m',
               'Polypropyleen tape met geluidsarme acryllijm. Hecht sterk op gerecycled karton. Past in alle '
               'standaard tapedispensers.'),
        'de': ('Packband, braun, 48 mm x 66 m',
               'Polypropylen-Klebeband mit geräuscharmem Acrylkleber. Hält fest auf Recyclingkarton. Passt in alle '
               'üblichen Handabroller.'),
    },
}
# fmt: on


# --- pictures -------------------------------------------------------------------------------------

_GLYPH_STAND_INS = str.maketrans({'–': '-', '—': '-', '²': '2'})  # missing from Pillow's built-in font
_SUPERSAMPLE = 2  # shapes are drawn twice as large and scaled down: smooth edges without much cost


@functools.lru_cache(maxsize=16)
def _gradient(size: int, light: tuple[int, int, int], deep: tuple[int, int, int]) -> Image.Image:
    down = Image.linear_gradient('L')
    mask = ImageChops.add(
        down, down.transpose(Image.Transpose.ROTATE_90).transpose(Image.Transpose.FLIP_LEFT_RIGHT), scale=2
    ).resize((size, size), Image.Resampling.BILINEAR)
    mid = tuple((a * 3 + b) // 4 for a, b in zip(light, deep, strict=True))
    return Image.composite(Image.new('RGBA', (size, size), mid), Image.new('RGBA', (size, size), light), mask)


def _icon(prefix: str, draw: ImageDraw.ImageDraw, box: int, colour: tuple[int, int, int], rng: random.Random) -> None:
    """The category's shape in a `box` x `box` square, in white with `colour` details."""
    c, r = box / 2, box * 0.42
    white = (255, 255, 255, 255)
    accent = (*colour, 255)
    w = max(2, round(box * 0.035))
    if prefix == 'FA':  # a hex nut
        turn = rng.uniform(0, math.pi / 3)
        corners = [turn + k * math.pi / 3 for k in range(6)]
        hexagon = [(c + r * math.cos(a), c + r * math.sin(a)) for a in corners]
        draw.polygon(hexagon, fill=white, outline=accent, width=w)
        draw.ellipse((c - r * 0.45, c - r * 0.45, c + r * 0.45, c + r * 0.45), fill=accent)
        draw.ellipse((c - r * 0.3, c - r * 0.3, c + r * 0.3, c + r * 0.3), fill=white)
    elif prefix == 'HT':  # a claw hammer
        draw.rounded_rectangle((c - r * 0.13, c - r * 0.6, c + r * 0.13, c + r), radius=r * 0.12, fill=accent)
        head = [
            (c - r * 0.9, c - r * 0.95),
            (c - r * 0.5, c - r * 0.95),
            (c - r * 0.5, c - r * 0.85),
            (c + r * 0.25, c - r * 0.85),
            (c + r * 0.95, c - r * 0.45),
            (c + r * 0.85, c - r * 0.3),
            (c + r * 0.25, c - r * 0.5),
            (c - r * 0.5, c - r * 0.5),
            (c - r * 0.5, c - r * 0.4),
            (c - r * 0.9, c - r * 0.4),
        ]
        draw.polygon(head, fill=white, outline=accent, width=w)
    elif prefix == 'PT':  # a saw blade
        teeth = 18
        points = []
        for k in range(teeth * 2):
            angle = k * math.pi / teeth
            radius = r if k % 2 == 0 else r * 0.82
            points.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
        draw.polygon(points, fill=white, outline=accent, width=w)
        draw.ellipse((c - r * 0.55, c - r * 0.55, c + r * 0.55, c + r * 0.55), outline=accent, width=w)
        draw.ellipse((c - r * 0.16, c - r * 0.16, c + r * 0.16, c + r * 0.16), fill=accent)
    elif prefix == 'SG':  # a shield with a check mark
        shield = [
            (c, c - r),
            (c + r * 0.8, c - r * 0.7),
            (c + r * 0.75, c + r * 0.15),
            (c, c + r),
            (c - r * 0.75, c + r * 0.15),
            (c - r * 0.8, c - r * 0.7),
        ]
        draw.polygon(shield, fill=white, outline=accent, width=w)
        draw.line(
            [(c - r * 0.38, c), (c - r * 0.08, c + r * 0.3), (c + r * 0.42, c - r * 0.3)],
            fill=accent,
            width=w * 3,
            joint='curve',
        )
    elif prefix == 'AD':  # a drop of glue
        draw.ellipse((c - r * 0.7, c - r * 0.2, c + r * 0.7, c + r * 1.0), fill=white, outline=accent, width=w)
        draw.polygon([(c, c - r), (c + r * 0.62, c + r * 0.2), (c - r * 0.62, c + r * 0.2)], fill=white)
        draw.line([(c, c - r), (c + r * 0.64, c + r * 0.2)], fill=accent, width=w)
        draw.line([(c, c - r), (c - r * 0.64, c + r * 0.2)], fill=accent, width=w)
        draw.ellipse((c - r * 0.4, c + r * 0.3, c - r * 0.15, c + r * 0.55), fill=accent)
    elif prefix == 'CL':  # bubbles
        for _ in range(5):
            br = r * rng.uniform(0.2, 0.45)
            x, y = c + rng.uniform(-0.55, 0.55) * r, c + rng.uniform(-0.55, 0.55) * r
            draw.ellipse((x - br, y - br, x + br, y + br), fill=(255, 255, 255, 220), outline=accent, width=w)
    else:  # a box
        top = [(c, c - r * 0.9), (c + r * 0.9, c - r * 0.45), (c, c), (c - r * 0.9, c - r * 0.45)]
        left = [(c - r * 0.9, c - r * 0.45), (c, c), (c, c + r), (c - r * 0.9, c + r * 0.5)]
        right = [(c + r * 0.9, c - r * 0.45), (c, c), (c, c + r), (c + r * 0.9, c + r * 0.5)]
        draw.polygon(top, fill=white, outline=accent, width=w)
        draw.polygon(left, fill=(235, 235, 235, 255), outline=accent, width=w)
        draw.polygon(right, fill=(215, 215, 215, 255), outline=accent, width=w)
        draw.line([(c - r * 0.45, c - r * 0.675), (c + r * 0.45, c - r * 0.225)], fill=accent, width=w * 2)


def _wrapped(text: str, font: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f'{lines[-1]} {word}') <= width:
            lines[-1] = f'{lines[-1]} {word}'
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], ' '.join(lines[max_lines - 1 :])]
        while font.getlength(lines[-1] + '…') > width and ' ' in lines[-1]:
            lines[-1] = lines[-1].rsplit(' ', 1)[0]
        lines[-1] += '…'
    return lines


def render_product_image(product: dict, size: int = 800) -> bytes:
    """A square PNG picture of a demo product: category colours and shape, name and code."""
    prefix = product['code'].split('-')[0]
    category, light, deep = CATEGORIES[prefix]
    rng = random.Random(product['code'])
    image = _gradient(size, light, deep).copy()

    decoration = Image.new('RGBA', (size, size))
    draw = ImageDraw.Draw(decoration)
    for _ in range(4):
        radius = size * rng.uniform(0.1, 0.3)
        x, y = rng.uniform(0, size), rng.uniform(0, size * 0.6)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, rng.randint(28, 60)))
    image.alpha_composite(decoration)

    box = round(size * 0.5)
    big = box * _SUPERSAMPLE
    icon = Image.new('RGBA', (big, big))
    _icon(prefix, ImageDraw.Draw(icon), big, deep, rng)
    icon = icon.reduce(_SUPERSAMPLE)
    left, top = (size - box) // 2, round(size * 0.07)
    shadow = Image.new('RGBA', (box, box), (*deep, 0))
    shadow.putalpha(icon.getchannel('A').point(lambda a: a * 2 // 5).filter(ImageFilter.BoxBlur(size / 80)))
    offset = round(size * 0.015)
    image.alpha_composite(shadow, (left + offset, top + offset * 2))
    image.alpha_composite(icon, (left, top))

    draw = ImageDraw.Draw(image)
    margin = round(size * 0.06)
    panel_top = round(size * 0.63)
    draw.rounded_rectangle(
        (margin, panel_top, size - margin, size - margin), radius=size * 0.035, fill=(255, 255, 255, 235)
    )
    pad = round(size * 0.04)
    label_font = ImageFont.load_default(size=max(8, round(size * 0.032)))
    name_font = ImageFont.load_default(size=max(10, round(size * 0.05)))
    code_font = ImageFont.load_default(size=max(9, round(size * 0.042)))
    x, y = margin + pad, panel_top + pad * 0.8
    draw.text((x, y), category.upper(), font=label_font, fill=deep)
    y += size * 0.05
    for line in _wrapped(product['name'].translate(_GLYPH_STAND_INS), name_font, size - 2 * (margin + pad), 2):
        draw.text((x, y), line, font=name_font, fill=(33, 37, 41), stroke_width=size // 600, stroke_fill=(33, 37, 41))
        y += size * 0.062
    code_y = size - margin - pad - size * 0.045
    draw.text((x, code_y), product['code'], font=code_font, fill=deep)
    if product.get('unit'):
        draw.text((size - margin - pad, code_y), product['unit'], font=code_font, fill=(108, 117, 125), anchor='ra')

    out = BytesIO()
    image.convert('RGB').save(out, 'PNG', compress_level=1)
    return out.getvalue()


# Data sheets (issue 15): code -> (the uploaded file's name, the sheet's heading, its lines); written as PDFs by
# demo/pdf.py when the demo is seeded.
# fmt: off
DOCUMENTS: dict[str, list[tuple[str, str, list[str]]]] = {
    'HT-1001': [('Data sheet HT-1001 claw hammer.pdf', 'Claw hammer 500 g - data sheet', [
        'Product code: HT-1001', 'Head: 500 g drop-forged carbon steel, hardened and tempered face',
        'Handle: fibreglass core with anti-slip rubber grip, 330 mm', 'Claw: curved, for pulling nails up to 5 mm',
        'Standard: DIN 7239', '', 'Northwind Workshop Supply - technical data subject to change.',
    ])],
    'AD-1002': [('Safety data sheet AD-1002 sanitary silicone.pdf', 'Sanitary silicone - safety data sheet', [
        'Product code: AD-1002 (Regulation (EC) No 1907/2006, Annex II)', '',
        '1. Identification: acetoxy-curing silicone sealant, white, 300 ml cartridge',
        '2. Hazards: not classified. Releases acetic acid while curing; ventilate the room.',
        '4. First aid: eyes - rinse with water for 15 minutes; skin - wash off with soap and water.',
        '7. Handling and storage: store dry at +5 to +25 C, in the closed cartridge.',
        '13. Disposal: cured material as household waste; cartridges as local rules require.',
    ])],
}

# Related products: (product, related, kind). Alternatives are read both ways; the out-of-stock ones here have an
# alternative in stock, which their page and their current-order line suggest.
RELATED: list[tuple[str, str, str]] = [
    ('FA-1003', 'FA-1002', 'alternative'),  # decking screws (none in stock) -> wood screws 5.0 x 60
    ('AD-1003', 'AD-1002', 'alternative'),  # acrylic sealant (none) -> sanitary silicone
    ('CL-1003', 'CL-1004', 'alternative'),  # paper wipe roll (none) -> microfibre cloths
    ('HT-1005', 'HT-1008', 'alternative'),  # utility knife (none) -> hacksaw (a few)
    ('HT-1001', 'SG-1001', 'accessory'),  # with the hammer: gloves and glasses (safety gear: not for Other Wholesale)
    ('HT-1001', 'SG-1002', 'accessory'),
    ('FA-1004', 'FA-1005', 'accessory'),  # hex bolts: their nuts and washers
    ('FA-1004', 'FA-1006', 'accessory'),
]
# fmt: on
