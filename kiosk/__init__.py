"""The Waiting Room Kiosk's domain and services: plain Python, never Qt."""

from __future__ import annotations

APP_NAME = "waiting-room-kiosk"
