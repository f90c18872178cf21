"""Ontong kiosk: the offline-capable kiosk and media-board app for 온통중구."""

__version__ = "0.1.0"
