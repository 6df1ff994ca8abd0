"""Channels' WebsocketCommunicator without daphne: ``channels.testing/__init__`` imports daphne
for its live-server test case only, which this project does not use (our live server is uvicorn,
tests/browser/harness.py). Shared by tests/messaging and tests/sessions."""

from __future__ import annotations

import sys
import types
from pathlib import Path

try:
    from channels.testing import WebsocketCommunicator
except ModuleNotFoundError:
    import channels

    _package = types.ModuleType("channels.testing")
    _package.__path__ = [str(Path(channels.__file__).parent / "testing")]
    sys.modules["channels.testing"] = _package
    from channels.testing.websocket import WebsocketCommunicator

__all__ = ["WebsocketCommunicator"]
