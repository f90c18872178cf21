"""What the kiosk, the sync engine and the server share, so both sides agree by construction.

The wire format (`wire`), the content pack's schema with its validation messages (`content`)
and reading a pack folder (`pack`), the durable SQLite settings of both databases (`sqlite`),
and the rules the server applies exactly as the kiosk does: points (`points`), PIN hashes
(`pin`), a resident's identity and its seal (`identity`), the civic refusals (`civic`), the
ballot's published ranking (`ballot`) and what a lesson step may name (`lessons`).

No Qt, and nothing from kiosk, sync or server (import-linter's contracts in pyproject.toml);
only `sqlite` touches a database library.
"""
