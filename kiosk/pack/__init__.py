"""Content packs on the device: loading and verifying a pack folder, the content-addressed
media cache, and installing a pack as the active content.

A pack is a folder with ``manifest.json`` (see `kiosk.domain.content.ContentPack`) and the media
files the manifest lists with their sizes and SHA-256 digests.

Installing (`kiosk.pack.install`) and the item mapping (`kiosk.pack.items`) need the full
store and are imported from their own modules, so reading a pack stays cheap at start-up.
"""

from kiosk.pack.cache import AssetCache
from kiosk.pack.errors import PackError
from kiosk.pack.loader import MANIFEST_NAME, load_pack, read_manifest, validate_manifest

__all__ = [
    "MANIFEST_NAME",
    "AssetCache",
    "PackError",
    "load_pack",
    "read_manifest",
    "validate_manifest",
]
