"""The words a file's cells may write for yes and no, the portal's default, VAT classes and languages."""

from app.models import VatClass

YES = {'1', 'yes', 'y', 'true', 'x', 'ja', 'j', 'waar', 'wahr', 'active', 'actief', 'aktiv'}
NO = {'0', 'no', 'n', 'false', 'nee', 'nein', 'onwaar', 'falsch', 'inactive', 'inactief', 'inaktiv'}
PORTAL = {'portal', 'portaal', 'default', 'standaard', 'standard', 'auto'}  # a backorders override: none
VAT_CLASS_NAMES = {
    'standard': VatClass.STANDARD, 'high': VatClass.STANDARD, 'standaard': VatClass.STANDARD, 'hoog': VatClass.STANDARD,
    'normal': VatClass.STANDARD, 'regelsatz': VatClass.STANDARD, 'reduced': VatClass.REDUCED, 'low': VatClass.REDUCED,
    'verlaagd': VatClass.REDUCED, 'laag': VatClass.REDUCED, 'ermäßigt': VatClass.REDUCED, 'ermässigt': VatClass.REDUCED,
    'zero': VatClass.ZERO, 'nul': VatClass.ZERO, 'null': VatClass.ZERO, '0': VatClass.ZERO,
}  # fmt: skip
LANGUAGE_NAMES = {
    'english': 'en', 'engels': 'en', 'englisch': 'en', 'dutch': 'nl', 'nederlands': 'nl', 'niederländisch': 'nl',
    'german': 'de', 'duits': 'de', 'deutsch': 'de',
}  # fmt: skip
