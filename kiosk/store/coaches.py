"""The district's digital coaches kept on the device: who may start a coached session here.

The sync worker fills this from the server: `replace` with each new GET /api/v1/coaches answer
(fetched when the heartbeat's `coaches_version` differs from the version kept here), and
`revoke` with the heartbeat's revoked codes at once, before any fetch. Coach sign-in
(kiosk.ui.coach_session) reads `coaches()`. The content pack's `coaches` are no source of
credentials on a real device; only the demo (`--demo`) falls back to them (`usable_coaches`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert

from contract.content import Coach
from kiosk.store.db import Database
from kiosk.store.models import CoachRow, DeviceSetting

log = logging.getLogger(__name__)

VERSION_KEY = "coaches.version"


class CoachStore:
    """Reads and writes the device's coaches; each call is its own transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def version(self) -> int | None:
        """The version of the coaches kept here; None before the first answer."""
        with self._db.read_session() as session:
            row = session.get(DeviceSetting, VERSION_KEY)
            value = None if row is None else row.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def replace(self, version: int, coaches: Iterable[Coach], revoked: Iterable[str]) -> None:
        """Keep exactly the server's answer (contract.wire.CoachList: `version`, the `coaches`
        who may sign in, the `revoked` codes) in one transaction. A revoked code keeps the PIN
        hash it had here, so its coach is told "revoked" with the right PIN."""
        with self._db.session() as session:
            before = {row.code: row for row in session.scalars(select(CoachRow)).all()}
            known = {code: (row.name, row.pin_hash) for code, row in before.items()}
            session.expunge_all()
            session.execute(delete(CoachRow))
            for c in coaches:
                session.add(CoachRow(code=c.code, name=c.name, pin_hash=c.pin_hash, revoked=False))
            for code in revoked:
                session.add(
                    CoachRow(
                        code=code,
                        name=known.get(code, (code, None))[0],
                        pin_hash=known.get(code, (code, None))[1],
                        revoked=True,
                    )
                )
            stmt = insert(DeviceSetting).values(key=VERSION_KEY, value=version)
            session.execute(
                stmt.on_conflict_do_update(index_elements=["key"], set_={"value": version})
            )

    def revoke(self, codes: Iterable[str]) -> list[str]:
        """Mark `codes` revoked (the heartbeat's word); answers those that were not yet."""
        wanted = set(codes)
        if not wanted:
            return []
        newly: list[str] = []
        with self._db.session() as session:
            rows = {r.code: r for r in session.scalars(select(CoachRow)).all()}
            for code in sorted(wanted):
                row = rows.get(code)
                if row is None:
                    session.add(CoachRow(code=code, name=code, pin_hash=None, revoked=True))
                    newly.append(code)
                elif not row.revoked:
                    row.revoked = True
                    newly.append(code)
        return newly

    def coaches(self) -> list[Coach]:
        """The coaches kept here, revoked ones included (with the PIN hash the device had);
        a code known only as revoked, without a PIN hash, is left out."""
        with self._db.read_session() as session:
            rows = session.scalars(select(CoachRow).order_by(CoachRow.code)).all()
        found: list[Coach] = []
        for row in rows:
            if row.pin_hash is None:
                continue
            try:
                found.append(
                    Coach(code=row.code, name=row.name, pin_hash=row.pin_hash, revoked=row.revoked)
                )
            except ValidationError:
                log.warning("coach_unreadable code=%s", row.code)
        return found

    def revoked_codes(self) -> set[str]:
        with self._db.read_session() as session:
            return set(session.scalars(select(CoachRow.code).where(CoachRow.revoked)).all())


def usable_coaches(stored: list[Coach], pack: Iterable[Coach], demo: bool) -> list[Coach]:
    """The coaches who may sign in: those the server gave (`stored`). Only in demo mode the
    content pack's coaches are added, for codes the server has not named: the embedded demo
    runs with no server, and a demo coach must still sign in there."""
    if not demo:
        return list(stored)
    known = {c.code for c in stored}
    return [*stored, *(c for c in pack if c.code not in known)]
