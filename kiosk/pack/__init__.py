"""Content packs on the device: loading and verifying a pack folder, the content-addressed
media cache, and installing a pack as the active content.

A pack is a folder with ``manifest.json`` (see `kiosk.domain.content.ContentPack`) and the media
files the manifest lists with their sizes and SHA-256 digests.
"""

from kiosk.pack.cache import AssetCache
from kiosk.pack.errors import PackError
from kiosk.pack.install import active_pack, cached_file, install_pack
from kiosk.pack.items import pack_items
from kiosk.pack.loader import MANIFEST_NAME, load_pack, read_manifest, validate_manifest

__all__ = [
    "MANIFEST_NAME",
    "AssetCache",
    "PackError",
    "active_pack",
    "cached_file",
    "install_pack",
    "load_pack",
    "pack_items",
    "read_manifest",
    "validate_manifest",
]
