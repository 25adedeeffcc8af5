"""Posit Connect emulator (tests only): ``from emulators.posit_connect.server import PositConnectEmulator``."""
