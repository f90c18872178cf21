"""The server's last published counts as this kiosk holds them (kept by the sync worker in
kiosk.store.published_counts): what the proposal and ballot screens add this kiosk's own agrees
to.

No Qt and no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contract.wire import Counts, DongResult, ProposalCount


@dataclass(frozen=True)
class PublishedCounts:
    """The server's counts and the device time they cover this kiosk's agrees up to."""

    counts: Counts
    as_of: datetime

    def proposal(self, proposal_id: str) -> ProposalCount | None:
        return next((p for p in self.counts.proposals if p.proposal_id == proposal_id), None)

    def ballot_results(self, vote_id: str) -> list[DongResult]:
        return [r for r in self.counts.ballot_results if r.vote_id == vote_id]
