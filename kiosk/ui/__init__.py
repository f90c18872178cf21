"""Widgets and screens. Thin: they call kiosk.domain and kiosk.services, never the store or
the network."""
