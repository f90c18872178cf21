"""Type sizes of the board's signage slides (the 긴급 sign, notices), as Hangul glyph height on
the panel: read from 3–5 m by passers-by, whatever the panel's size or resolution.

Signage's rule of thumb (1 inch of letter per 10 feet) gives 42 mm for 5 m and 25 mm for 3 m.
A long text shrinks toward its minimum, never below it: the end of a very long text may be cut
instead (staff see the slide in the console's 미리보기 before it is published).
"""

from __future__ import annotations

# The sign's or notice's main words: 42 mm (5 m), no less than 25 mm (3 m).
SIGN_TEXT_MM = 42.0
SIGN_TEXT_MIN_MM = 25.0
# A notice's body under its title: 30 mm, no less than 20 mm (2.5 m: read as one steps closer).
NOTICE_BODY_MM = 30.0
NOTICE_BODY_MIN_MM = 20.0
# The band across a slide (the sign's ⚠ and level, the notice's 온통중구) and its small words
# (the time posted, the district).
SIGN_HEADING_MM = 30.0
SIGN_TIME_MM = 16.0
