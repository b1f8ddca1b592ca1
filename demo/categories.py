"""The demo catalogue's categories (eight, most with subcategories, one three levels deep), their names in Dutch and
German, the attributes each lists, and the demo products' places and attribute values (demo/attributes.csv)."""

from __future__ import annotations

from app.catalogue import categories
from app.core import db
from app.identity.access import SYSTEM
from demo.catalogue import data_rows

# (name, Dutch, German, attributes, products, subcategories)
Tree = list[tuple[str, str, str, list[str], list[str], 'Tree']]

# fmt: off
TREE: Tree = [
    ('Fasteners', 'Bevestigingsmateriaal', 'Befestigungstechnik', ['Material', 'Size'], [], [
        ('Screws', 'Schroeven', 'Schrauben', ['Drive'], [], [
            ('Wood screws', 'Houtschroeven', 'Holzschrauben', [], ['FA-1001', 'FA-1002'], []),
            ('Decking screws', 'Terrasschroeven', 'Terrassenschrauben', [], ['FA-1003'], []),
        ]),
        ('Bolts, nuts and washers', 'Bouten, moeren en ringen', 'Schrauben, Muttern und Scheiben', [],
         ['FA-1004', 'FA-1005', 'FA-1006', 'FA-1009'], []),
        ('Anchors and plugs', 'Ankers en pluggen', 'Anker und Dübel', [], ['FA-1007', 'FA-1010'], []),
        ('Rivets', 'Klinknagels', 'Nieten', [], ['FA-1008'], []),
    ]),
    ('Hand tools', 'Handgereedschap', 'Handwerkzeuge', ['Material', 'Length'], [], [
        ('Striking and cutting', 'Slaan en snijden', 'Schlagen und Schneiden', [], ['HT-1001', 'HT-1005', 'HT-1008'],
         []),
        ('Spanners and pliers', 'Sleutels en tangen', 'Schlüssel und Zangen', [], ['HT-1002', 'HT-1007', 'HT-1009'],
         []),
        ('Measuring', 'Meten', 'Messen', [], ['HT-1004', 'HT-1006'], []),
        ('Screwdrivers', 'Schroevendraaiers', 'Schraubendreher', [], ['HT-1003'], []),
    ]),
    ('Power-tool accessories', 'Accessoires voor elektrisch gereedschap', 'Elektrowerkzeug-Zubehör',
     ['For', 'Diameter'], [], [
        ('Drilling', 'Boren', 'Bohren', [], ['PT-1001', 'PT-1002', 'PT-1007', 'PT-1008'], []),
        ('Cutting and sawing', 'Zagen en slijpen', 'Sägen und Trennen', [], ['PT-1003', 'PT-1004', 'PT-1006',
                                                                              'PT-1009'], []),
        ('Sanding', 'Schuren', 'Schleifen', [], ['PT-1005'], []),
    ]),
    ('Safety gear', 'Veiligheidsuitrusting', 'Arbeitsschutz', ['Size', 'Standard'], [], [
        ('Head, eyes and ears', 'Hoofd, ogen en oren', 'Kopf, Augen und Ohren', [], ['SG-1002', 'SG-1003', 'SG-1005'],
         []),
        ('Hands and body', 'Handen en lichaam', 'Hände und Körper', [], ['SG-1001', 'SG-1004', 'SG-1006'], []),
        ('Feet and knees', 'Voeten en knieën', 'Füße und Knie', [], ['SG-1007', 'SG-1008'], []),
    ]),
    ('Adhesives and sealants', 'Lijmen en kitten', 'Kleb- und Dichtstoffe', ['Contents', 'Colour'], [], [
        ('Sealants', 'Kitten', 'Dichtstoffe', [], ['AD-1002', 'AD-1003', 'AD-1005'], []),
        ('Glues', 'Lijmen', 'Klebstoffe', [], ['AD-1001', 'AD-1004', 'AD-1006', 'AD-1008'], []),
    ]),
    ('Tapes', 'Tape', 'Klebebänder', ['Width', 'Colour'], ['AD-1007', 'PK-1002'], []),
    ('Cleaning supplies', 'Schoonmaakmiddelen', 'Reinigungsmittel', ['Contents'],
     ['CL-1001', 'CL-1002', 'CL-1003', 'CL-1004', 'CL-1005', 'CL-1006', 'CL-1007', 'CL-1008'], []),
    ('Packaging', 'Verpakking', 'Verpackung', ['Material', 'Size'],
     ['PK-1001', 'PK-1002', 'PK-1003', 'PK-1004', 'PK-1005', 'PK-1006', 'PK-1007', 'PK-1008'], []),
]
# fmt: on


def _attribute_values() -> dict[str, dict[str, str]]:
    """code -> attribute -> value from demo/attributes.csv (a row a value: code, attribute, value), in its order."""
    values: dict[str, dict[str, str]] = {}
    for row in data_rows('attributes.csv'):
        values.setdefault(row['code'], {})[row['attribute']] = row['value']
    return values


ATTRIBUTES: dict[str, dict[str, str]] = _attribute_values()


def seed(ids: dict[str, int]) -> None:
    """Make the tree and put the demo products (`ids`: code -> id) in it, with their attribute values."""
    places: dict[str, list[int]] = {}
    with db.write_session() as s:

        def make(nodes: Tree, parent_id: int | None) -> None:
            for name, dutch, german, attributes, codes, below in nodes:
                category = categories.create_category(s, actor=SYSTEM, name=name, parent_id=parent_id)
                categories.set_category_names(
                    s, actor=SYSTEM, category_id=category.id, names={'nl': dutch, 'de': german}
                )
                if attributes:
                    categories.set_category_attributes(s, actor=SYSTEM, category_id=category.id, names=attributes)
                for code in codes:
                    places.setdefault(code, []).append(category.id)
                make(below, category.id)

        make(TREE, None)
        for code, category_ids in places.items():
            categories.set_product_categories(s, actor=SYSTEM, product_id=ids[code], category_ids=category_ids)
        for code, values in ATTRIBUTES.items():
            categories.set_product_attributes(s, actor=SYSTEM, product_id=ids[code], values=values)
