"""Content packs on the device: the content-addressed media cache, and installing a pack as the
active content.

Reading and verifying a pack folder is shared with the server (contract.pack). Installing
(`kiosk.pack.install`) and the item mapping (`kiosk.pack.items`) need the full store and are
imported from their own modules, so the cache stays cheap to import at start-up.
"""

from kiosk.pack.cache import AssetCache

__all__ = ["AssetCache"]
