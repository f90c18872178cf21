"""`python -m kiosk`: start the kiosk or the media board."""

import sys

from kiosk.app import main

sys.exit(main())
