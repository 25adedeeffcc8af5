"""Posit Connect emulator (tests only): ``from emulators.posit_connect import PositConnectEmulator``."""

from .server import PositConnectEmulator  # noqa: F401
