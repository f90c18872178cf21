"""Pure rules of the kiosk: no Qt, no I/O. Most tests live here."""
