"""The staff console at /staff/: server-rendered pages (Jinja2) for district and dong-centre
staff, progressively enhanced by htmx served from here (no CDN).

Every view asks `server.staff.allowed(staff, action, resource)` through `page` (GET) or
`action` (POST); a POST must carry the session's CSRF token. Sessions live in the database
(server.staff); the cookie holds only a random id. `install(app)` mounts it all.
"""

from __future__ import annotations

from server.console.content import IMPORT_PATH
from server.console.media_form import MEDIA_PATH
from server.console.views import install

__all__ = ["IMPORT_PATH", "MEDIA_PATH", "install"]
