"""Widgets and screens. Thin: they call kiosk.domain and kiosk.store, never the network."""
