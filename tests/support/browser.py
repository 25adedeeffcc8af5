"""Headless Chromium for the tests that look at a page as a person would: the DOM after the
page's scripts ran (``--dump-dom``) and a PNG screenshot, plus a small PNG reader (standard
library only) to check that a screenshot is of the expected size and not blank.

Chromium comes from Debian's ``chromium`` package, installed with apt-get when missing
(:func:`install`); :func:`available` says why it cannot run when it cannot.
"""

import os
import shutil
import struct
import subprocess
import tempfile
import zlib

import server_dir as _shared

CANDIDATES = ('chromium', 'chromium-browser', 'google-chrome')
APT_PACKAGES = ('chromium',)


class BrowserError(Exception):
    pass


def binary():
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def install():
    """The Chromium binary, installed with apt-get when missing; BrowserError when it cannot be."""
    if binary() is None:
        if shutil.which('apt-get') is None:
            raise BrowserError('chromium is missing and apt-get is not available')
        _shared.apt_get_install(APT_PACKAGES, BrowserError, lambda message: None)
    found = binary()
    if found is None:
        raise BrowserError('apt-get installed %s but no chromium binary is on PATH' % ' '.join(APT_PACKAGES))
    return found


def _run(args, timeout=90):
    profile = tempfile.mkdtemp(prefix='iamops-chromium-')
    try:
        command = [install(), '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                   '--no-first-run', '--disable-extensions', '--hide-scrollbars', '--user-data-dir=' + profile] + args
        proc = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if proc.returncode != 0:
        raise BrowserError('chromium exited %d: %s' % (proc.returncode, proc.stderr[-2000:]))
    return proc


def dump_dom(path):
    """The page's DOM after its scripts ran, as HTML text."""
    return _run(['--virtual-time-budget=2000', '--dump-dom', 'file://' + os.path.abspath(path)]).stdout


def screenshot(path, png, width=1280, height=800):
    """Save a PNG screenshot of the page at ``path`` (a window of width x height) to ``png``."""
    _run(['--virtual-time-budget=2000', '--window-size=%d,%d' % (width, height),
          '--screenshot=' + os.path.abspath(png), 'file://' + os.path.abspath(path)])
    if not os.path.exists(png):
        raise BrowserError('chromium wrote no screenshot to %s' % png)
    return png


def read_png(data):
    """``(width, height, rows)``: an 8-bit RGB or RGBA PNG decoded, rows as lists of pixel tuples."""
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise BrowserError('not a PNG file')
    offset, chunks, header = 8, [], None
    while offset < len(data):
        length, kind = struct.unpack('>I4s', data[offset:offset + 8])
        body = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b'IHDR':
            header = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            chunks.append(body)
        elif kind == b'IEND':
            break
    width, height, depth, colour, _c, _f, interlace = header
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise BrowserError('unsupported PNG (depth %d, colour type %d, interlace %d)' % (depth, colour, interlace))
    raw = zlib.decompress(b''.join(chunks))
    stride = width * channels
    rows, previous, position = [], bytearray(stride), 0
    for row in range(height):  # pylint: disable=unused-variable
        kind, line = raw[position], bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, channels)])
        previous = line
    return width, height, rows
