"""The demo catalogue of a hardware and workshop supplies wholesaler, and pictures drawn for it.

`PRODUCTS` holds plain dicts: code, name, description, barcode (EAN-13), unit, price_cents, stock (the
units on hand at the start) and category. `render_product_image` draws a product's picture as PNG:
the same picture for the same product every time.
"""

from __future__ import annotations

import functools
import math
import random
from io import BytesIO

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

# (code, name, unit, price in cents, stock, description)
# fmt: off
_ROWS: list[tuple[str, str, str, int, int, str]] = [
    # Fasteners
    ('FA-1001', 'Wood screws 4.0 x 40 mm, zinc plated', 'box of 200', 895, 340,
     'Countersunk Pozidriv PZ2 chipboard screws with a partial thread and cutting tip. Zinc plated steel '
     'for indoor use. Self-drilling in softwood, no pilot hole needed.'),
    ('FA-1002', 'Wood screws 5.0 x 60 mm, zinc plated', 'box of 200', 1495, 212,
     'Countersunk Pozidriv PZ2 screws for framing, shelving and decking substructures. Partial thread pulls '
     'joints tight. Zinc plated steel.'),
    ('FA-1003', 'Stainless decking screws A2 4.5 x 50 mm', 'box of 250', 2875, 0,
     'A2 stainless steel decking screws with Torx TX20 drive and a reduced head. Rust-free in hardwood '
     'and treated timber. Bit included in every box.'),
    ('FA-1004', 'Hex bolts M8 x 60 mm, grade 8.8', 'box of 50', 1240, 96,
     'DIN 933 fully threaded hex bolts, strength class 8.8, zinc plated. 13 mm spanner size. Suitable '
     'for steel construction and machinery.'),
    ('FA-1005', 'Hex nuts M8, grade 8', 'box of 100', 595, 450,
     'DIN 934 hex nuts, strength class 8, zinc plated. Match the M8 hex bolts and threaded rod. 13 mm '
     'spanner size.'),
    ('FA-1006', 'Flat washers M8, DIN 125', 'box of 200', 445, 380,
     'DIN 125-A flat washers, 8.4 mm inside and 16 mm outside diameter, 1.6 mm thick. Zinc plated steel. '
     'Spread the load under bolt heads and nuts.'),
    ('FA-1007', 'Nylon wall plugs 8 x 40 mm', 'box of 100', 675, 3,
     'Universal expansion plugs for concrete, solid brick and hollow block. Anti-rotation wings and a '
     'collar for a flush finish. Use with 4.5–6 mm screws and an 8 mm drill.'),
    ('FA-1008', 'Blind rivets aluminium 4.0 x 10 mm', 'box of 500', 1150, 140,
     'Domed-head aluminium rivets with a steel mandrel. Grip range 4.5–6.5 mm. For sheet metal, '
     'ventilation ducts and trailer panels.'),
    ('FA-1009', 'Threaded rod M10 x 1000 mm, zinc plated', 'piece', 385, 0,
     'DIN 976 threaded rod, strength class 4.8, one metre long. Cut to length for suspensions, anchoring '
     'and clamping. Zinc plated steel.'),
    ('FA-1010', 'Concrete anchor bolts M10 x 95 mm', 'box of 25', 2190, 58,
     'Through-bolt anchors with a steel expansion clip, approved for non-cracked concrete. Drill 10 mm, '
     'minimum embedment 60 mm. Washer and nut fitted.'),
    # Hand tools
    ('HT-1001', 'Claw hammer 500 g, fibreglass handle', 'piece', 1895, 64,
     'Forged and hardened steel head with a polished face and curved claw. Shock-absorbing fibreglass '
     'handle with a non-slip rubber grip. Overall length 33 cm.'),
    ('HT-1002', 'Combination spanner set 8–19 mm, 12 pieces', 'set', 4950, 22,
     'Chrome vanadium spanners with a 15° offset ring end and open end. Satin finish, sizes 8, 9, 10, 11, '
     '12, 13, 14, 15, 16, 17, 18 and 19 mm. Supplied in a roll-up pouch.'),
    ('HT-1003', 'Screwdriver set, 6 pieces, slotted and PZ', 'set', 2495, 2,
     'Three slotted and three Pozidriv screwdrivers with magnetic tips and two-component grips. S2 tool '
     'steel blades, hardened and tempered.'),
    ('HT-1004', 'Tape measure 8 m x 25 mm', 'piece', 1275, 155,
     'Class II tape with a nylon-coated steel blade and a double-sided scale. Standout up to 3 m, '
     'true-zero end hook and belt clip. Rubber-armoured case.'),
    ('HT-1005', 'Utility knife with 10 spare blades', 'piece', 895, 0,
     'Aluminium utility knife with a retractable 18 mm snap-off blade and a quick-change mechanism. '
     'Comes with ten spare blades in a dispenser.'),
    ('HT-1006', 'Spirit level 600 mm, aluminium', 'piece', 2250, 38,
     'Box-section aluminium level with three shock-proof vials. Accuracy 0.5 mm/m. Milled measuring face '
     'and rubber end caps.'),
    ('HT-1007', 'Water pump pliers 250 mm', 'piece', 1650, 47,
     'Slip-joint pliers with nine settings and a push-button adjustment. Induction-hardened teeth grip '
     'pipes up to 46 mm. Chrome vanadium steel.'),
    ('HT-1008', 'Hacksaw frame 300 mm with blade', 'piece', 1395, 4,
     'Rigid tubular frame with a blade tension lever and soft grip. Takes 300 mm blades at 0° or 45°. '
     'Supplied with a 24 TPI bi-metal blade.'),
    ('HT-1009', 'Hex key set 1.5–10 mm, ball end', 'set', 1590, 120,
     'Nine long-arm hex keys with a ball end for working at up to 25° off axis. Chrome vanadium steel in '
     'a colour-coded holder.'),
    # Power-tool accessories
    ('PT-1001', 'HSS metal drill bits 1–10 mm, 19 pieces', 'set', 2995, 75,
     'Ground HSS-G twist drills with a 135° split point, DIN 338. Sizes 1 to 10 mm in 0.5 mm steps. For '
     'steel, cast iron and non-ferrous metals, in a metal case.'),
    ('PT-1002', 'SDS-plus masonry bit 8 x 160 mm', 'piece', 495, 260,
     'Four-cutter carbide tip for fast, round holes in concrete and reinforced masonry. Double-spiral flute '
     'clears dust quickly. SDS-plus shank.'),
    ('PT-1003', 'Circular saw blade 190 mm, 48 teeth', 'piece', 3450, 0,
     'Carbide-tipped blade for fine cross-cuts in hardwood, softwood and laminated board. Bore 30 mm with '
     'a 20 mm reduction ring. Kerf 2.4 mm.'),
    ('PT-1004', 'Jigsaw blades wood T101B', 'pack of 5', 745, 180,
     'Clean-cutting HCS blades for softwood, plywood and chipboard up to 30 mm. Ground, set teeth. '
     'Universal T-shank.'),
    ('PT-1005', 'Sanding discs 125 mm, grit 120', 'pack of 50', 1995, 96,
     'Hook-and-loop aluminium oxide discs with 8 dust holes. For random orbit sanders. Anti-clog coating '
     'for paint, filler and wood.'),
    ('PT-1006', 'Cutting discs 125 x 1.0 mm, inox', 'pack of 10', 1350, 1,
     'Thin cutting discs for angle grinders, iron and sulphur free for stainless steel. Fast, cool cuts '
     'with a minimal burr. Maximum 12,200 rpm.'),
    ('PT-1007', 'Screwdriver bit set 32 pieces', 'set', 1750, 68,
     'Impact-rated 25 mm bits: PH, PZ, Torx, hex and slotted, with a magnetic bit holder. S2 steel with '
     'a torsion zone. Compact storage box with belt clip.'),
    ('PT-1008', 'Hole saw set for wood 6 pieces', 'set', 2650, 0,
     'Bi-metal hole saws of 22, 29, 35, 44, 51 and 64 mm with a mandrel and pilot drill. For wood, '
     'plasterboard and plastics.'),
    ('PT-1009', 'Diamond blade 230 mm, segmented', 'piece', 4295, 27,
     'Laser-welded segments for dry cutting concrete, brick and paving. Bore 22.23 mm. For angle grinders '
     'up to 6,600 rpm.'),
    # Safety gear
    ('SG-1001', 'Nitrile-coated work gloves, size 9', 'pack of 12', 2395, 145,
     'Seamless knitted nylon gloves with a nitrile foam palm. Excellent grip on dry and oily parts. '
     'EN 388 4121, touchscreen friendly.'),
    ('SG-1002', 'Safety glasses, clear, anti-fog', 'pack of 10', 2850, 0,
     'Wrap-around polycarbonate safety glasses with anti-scratch and anti-fog coating. EN 166 1F. '
     'Soft nose pads and adjustable temples.'),
    ('SG-1003', 'Ear defenders SNR 30 dB', 'piece', 1895, 54,
     'Lightweight earmuffs with an adjustable padded headband and soft foam cushions. SNR 30 dB, EN 352-1. '
     'Folds flat for storage.'),
    ('SG-1004', 'FFP2 dust masks with valve', 'box of 20', 3490, 2,
     'Folding respirators with an exhalation valve for less heat and moisture. EN 149 FFP2 NR. For fine '
     'dust when sanding, drilling and sweeping.'),
    ('SG-1005', 'Safety helmet, white, ratchet', 'piece', 1450, 88,
     'ABS hard hat with a six-point textile harness and ratchet adjustment from 53 to 63 cm. EN 397 with '
     'lateral deformation and -30 °C rating.'),
    ('SG-1006', 'High-visibility vest, yellow, XL', 'pack of 10', 2990, 36,
     'EN ISO 20471 class 2 vest with two 50 mm reflective bands and a hook-and-loop front closure. '
     'Polyester, washable at 40 °C.'),
    ('SG-1007', 'Safety boots S3, size 43', 'pair', 7995, 9,
     'Leather ankle boots with a composite toe cap and anti-perforation midsole. S3 SRC, water repellent, '
     'slip resistant outsole. Metal free.'),
    ('SG-1008', 'Knee pads with gel cushion', 'pair', 2250, 0,
     'Hard shell knee pads with gel inserts for long work on tiled and rough floors. Two adjustable elastic '
     'straps with buckles.'),
    # Adhesives & sealants
    ('AD-1001', 'Construction adhesive, 290 ml cartridge', 'piece', 695, 230,
     'Solvent-free MS polymer adhesive for wood, stone, metal and most plastics. High initial grab, '
     'bonds on damp surfaces. Paintable once cured.'),
    ('AD-1002', 'Sanitary silicone, white, 300 ml', 'piece', 645, 310,
     'Acetic-cure silicone for joints in bathrooms and kitchens. Mould resistant, stays flexible. Cures '
     'at about 2 mm per day.'),
    ('AD-1003', 'Acrylic sealant, paintable, 310 ml', 'piece', 395, 0,
     'Water-based acrylic for cracks and joints around frames, skirting and plaster. Paintable after '
     'one hour, cleans up with water.'),
    ('AD-1004', 'Two-component epoxy, 25 ml syringe', 'piece', 875, 42,
     'Five-minute epoxy in a double syringe for metal, ceramics, glass and hard plastics. Cures clear, '
     'fills gaps. Full strength after 24 hours.'),
    ('AD-1005', 'Polyurethane expanding foam, 750 ml', 'piece', 925, 3,
     'Gun-grade PU foam for filling cavities and fixing door and window frames. Yields up to 45 litres. '
     'Cuttable after 30 minutes.'),
    ('AD-1006', 'Wood glue D3, 750 g', 'piece', 1095, 66,
     'Water-resistant PVAc wood glue, class D3 to EN 204. Dries transparent. Open time about 10 minutes, '
     'clamping time 15 minutes.'),
    ('AD-1007', 'Duct tape, silver, 50 mm x 50 m', 'roll', 845, 190,
     'Cloth-reinforced tape with a strong rubber adhesive. Tears by hand, weather resistant. For repairs, '
     'bundling and masking.'),
    ('AD-1008', 'Thread locker medium strength, 50 ml', 'piece', 1595, 0,
     'Anaerobic thread locker for bolts and nuts up to M36. Removable with hand tools. Prevents loosening '
     'from vibration.'),
    # Cleaning supplies
    ('CL-1001', 'Industrial hand cleaner, 4.5 litres', 'piece', 1895, 52,
     'Heavy-duty hand cleaner with natural scrubbing grains for oil, grease, paint and ink. With lanolin '
     'to protect the skin. Pump bottle.'),
    ('CL-1002', 'Degreaser concentrate, 5 litres', 'piece', 2450, 4,
     'Alkaline water-based degreaser for floors, machines and engines. Dilute 1:10 to 1:50 as needed. '
     'Biodegradable surfactants.'),
    ('CL-1003', 'Blue paper wipe roll, 2-ply, 300 m', 'roll', 1750, 0,
     'Industrial paper roll of 1,000 sheets, 2-ply, 37 x 36 cm. Absorbent and lint-low, for workshops '
     'and production lines.'),
    ('CL-1004', 'Microfibre cloths 40 x 40 cm', 'pack of 10', 1295, 115,
     'Lint-free microfibre cloths in four colours for a colour-coded cleaning routine. Washable at 90 °C.'),
    ('CL-1005', 'Heavy-duty refuse sacks 120 litres', 'roll', 995, 260,
     'Extra-strong polyethylene sacks, 70 µm, 25 per roll. For building waste, offcuts and general '
     'workshop rubbish.'),
    ('CL-1006', 'Push broom 60 cm, stiff bristles', 'piece', 2295, 18,
     'Hardwood broom head with stiff PVC bristles for rough concrete and outdoor areas. 150 cm steel '
     'handle included.'),
    ('CL-1007', 'Absorbent granules, 20 litres', 'piece', 1595, 0,
     'Mineral granules that soak up oil, coolant and paint spills. Non-slip afterwards. Bag of 20 litres, '
     'about 10 kg.'),
    ('CL-1008', 'Glass and surface cleaner, 1 litre', 'litre', 395, 1,
     'Streak-free spray for glass, screens, plastics and painted surfaces. Fast-drying, with trigger '
     'sprayer.'),
    # Packaging
    ('PK-1001', 'Cardboard boxes 400 x 300 x 300 mm', 'pack of 25', 2375, 96,
     'Single-wall corrugated shipping boxes, brown, with a flat-packed folding design. Holds up to 15 kg.'),
    ('PK-1002', 'Packing tape, brown, 48 mm x 66 m', 'pack of 6', 1095, 240,
     'Polypropylene tape with a low-noise acrylic adhesive. Strong hold on recycled cardboard. Fits all '
     'standard tape dispensers.'),
    ('PK-1003', 'Stretch film 500 mm x 300 m, 23 micron', 'roll', 1650, 72,
     'Cast hand-stretch film for securing pallets. Clear, cling on one side, 150% stretch. Core 50 mm.'),
    ('PK-1004', 'Bubble wrap 1000 mm x 100 m', 'roll', 3495, 0,
     'Air-bubble film with 10 mm bubbles for protecting fragile goods. Perforated every 50 cm for clean '
     'tearing.'),
    ('PK-1005', 'Pallet strapping kit, PP 12 mm', 'set', 8950, 2,
     'Polypropylene strapping of 1,000 m with 1,000 metal seals and a dispenser trolley. Break strength '
     '150 kg.'),
    ('PK-1006', 'Grip seal bags 150 x 200 mm', 'box of 1000', 1395, 420,
     'Resealable LDPE bags, 50 µm, with a white writing panel. Food safe. For small parts, samples and '
     'spares.'),
    ('PK-1007', 'Void fill paper, 70 g/m², 450 m', 'roll', 4295, 14,
     'Recycled kraft paper on a fan-folded roll for filling and wrapping. Fully recyclable and '
     'compostable.'),
    ('PK-1008', 'Packing list envelopes C6', 'box of 1000', 2195, 35,
     'Self-adhesive document enclosed wallets with the print “Packing list enclosed”. Window 165 x 120 mm.'),
]
# fmt: on


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
