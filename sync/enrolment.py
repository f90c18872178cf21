"""The device's pin on its server, and 기기 초기화 (the reset that lets it enrol elsewhere).

The first enrolment records the server's address and its public key (sync.worker keeps them in
DeviceSettings). The device then enrols again only with that same server answering with that
same key: a device moved to another server would hand it every envelope still queued, and the
identities sealed in them (issue 14, finding 2). Moving a device takes a reset, which the
staff PIN guards (the staff page, `python -m sync reset`) and which is refused while any
pending envelope has not been written to a USB bundle (`python -m sync export`): the reset
then retires those envelopes as "exported" (the bundle carries them to the district; no server
is sent them again) and forgets the enrolment. Dead letters, the local one-vote records, the
device's keys and its staff PIN stay.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from kiosk.store.outbox import Outbox
from kiosk.store.quick import DEVICE_ID_KEY
from kiosk.store.settings import DeviceSettings

log = logging.getLogger(__name__)


class ServerPinnedError(Exception):
    """This device is enrolled with another server, or the server answers with another key:
    it enrols there only after a reset (기기 초기화)."""

    def __init__(self, detail: str, *, enrolled_url: str, reason: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.enrolled_url = enrolled_url
        self.reason = reason  # "address" or "key"


class ResetRefusedError(Exception):
    """A reset refused: `unexported` pending envelopes were never written to a USB bundle."""

    def __init__(self, unexported: int) -> None:
        super().__init__(
            f"{unexported} pending envelopes were never written to a USB bundle: export them"
            " first (python -m sync export DIR, or the staff page's USB 내보내기)"
        )
        self.unexported = unexported


def same_address(a: str, b: str) -> bool:
    """Whether two server addresses name the same server (case of scheme and host, a default
    port and a trailing slash aside)."""
    return _normal(a) == _normal(b)


def _normal(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = -1  # an unreadable port matches nothing but itself
    if port == {"http": 80, "https": 443}.get(scheme):
        port = None
    return scheme, (parts.hostname or "").lower(), port, parts.path.rstrip("/")


def pinned_server(settings: DeviceSettings) -> tuple[str, str | None] | None:
    """(address, public key) of the server this device is pinned to; None when it has none."""
    from sync.worker import SERVER_PUBLIC_KEY_KEY, SERVER_URL_KEY

    url = settings.get(SERVER_URL_KEY)
    if not isinstance(url, str):
        return None
    key = settings.get(SERVER_PUBLIC_KEY_KEY)
    return url, key if isinstance(key, str) else None


def check_address(settings: DeviceSettings, url: str) -> None:
    """ServerPinnedError when the device is pinned to a server at another address."""
    pinned = pinned_server(settings)
    if pinned is not None and not same_address(pinned[0], url):
        raise ServerPinnedError(
            f"this device is enrolled with {pinned[0]}; enrolling it with {url} needs"
            " 기기 초기화 (python -m sync reset) first",
            enrolled_url=pinned[0],
            reason="address",
        )


def check_public_key(settings: DeviceSettings, public_key: str) -> None:
    """ServerPinnedError when the pinned server's key differs from what the server answered."""
    pinned = pinned_server(settings)
    if pinned is not None and pinned[1] is not None and pinned[1] != public_key:
        raise ServerPinnedError(
            f"the server at {pinned[0]} answered with another public key than at enrolment:"
            " it is not the server this device was enrolled with; nothing was changed",
            enrolled_url=pinned[0],
            reason="key",
        )


def reset_enrolment(settings: DeviceSettings, outbox: Outbox) -> int:
    """기기 초기화: retire the exported pending envelopes and forget the enrolment.

    The caller has checked the staff PIN. Raises ResetRefusedError, with nothing changed, while
    a pending envelope was never written to a USB bundle. Returns how many were retired.
    """
    from sync.worker import (
        CONTENT_PUBLIC_KEY_KEY,
        DEVICE_KEY_REGISTERED_KEY,
        LAST_ERROR_KEY,
        LAST_SUCCESS_KEY,
        SERVER_PUBLIC_KEY_KEY,
        SERVER_URL_KEY,
        TOKEN_KEY,
    )

    try:
        retired = outbox.retire_exported()
    except ValueError:
        raise ResetRefusedError(outbox.unexported_pending()) from None
    pinned = pinned_server(settings)
    settings.delete(
        SERVER_URL_KEY,
        TOKEN_KEY,
        SERVER_PUBLIC_KEY_KEY,
        CONTENT_PUBLIC_KEY_KEY,
        DEVICE_KEY_REGISTERED_KEY,
        DEVICE_ID_KEY,
        LAST_SUCCESS_KEY,
        LAST_ERROR_KEY,
    )
    log.warning("sync.reset server=%s retired_exported=%d", pinned[0] if pinned else "-", retired)
    return retired
