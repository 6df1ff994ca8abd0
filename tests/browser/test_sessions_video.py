"""Video sessions in real Chromium with fake camera and microphone: two people reach a
peer-to-peer connection with media flowing; a person without camera permission joins with sound
only; session events are recorded (CARE-2)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_messaging_live import signed_in

pytestmark = pytest.mark.browser

# While a reconnect replaces the peer connection there is briefly none: count that as no bytes.
BYTES_RECEIVED = """(room) => !room.confidePeer ? 0 : room.confidePeer.getStats().then((report) => {
  let total = 0;
  report.forEach((s) => { if (s.type === "inbound-rtp") { total += s.bytesReceived || 0; } });
  return total;
})"""


# Test-only: remember the page's sockets so the test can cut them like a network drop would.
TRACK_SOCKETS = """(() => {
  const Native = window.WebSocket;
  window.testSockets = [];
  function Tracked(url, protocols) {
    const socket = new Native(url, protocols);
    window.testSockets.push(socket);
    return socket;
  }
  Tracked.prototype = Native.prototype;
  Tracked.OPEN = Native.OPEN;
  window.WebSocket = Tracked;
})();"""


DENY_CAMERA = """(() => {
  const devices = navigator.mediaDevices;
  const real = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => constraints && constraints.video
    ? Promise.reject(new DOMException("Permission denied", "NotAllowedError"))
    : real(constraints);
})();"""


@pytest.fixture
def live_booking(care: Any, client_user: Any, counselor: Any) -> Any:
    from confide.scheduling.models import Booking

    start = timezone.now() - timedelta(minutes=1)
    return Booking.objects.create(
        client=client_user,
        counselor=counselor,
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
    )


def enter(context: Any, booking: Any, button: str) -> Any:
    page = context.new_page()
    page.goto(reverse("therapy_sessions:room", args=[booking.pk]))
    page.wait_for_selector("#room[data-call-state=ready]")
    page.click(button)
    return page


def wait_for_media(page: Any) -> None:
    room = page.locator("#room")
    expect(room).to_have_attribute("data-call-state", "connected", timeout=20_000)
    for _ in range(40):
        if room.evaluate(BYTES_RECEIVED) > 0:
            return
        page.wait_for_timeout(250)
    raise AssertionError("no inbound RTP bytes")


@pytest.mark.promise("CARE-2")
@pytest.mark.promise("CARE-3")
def test_two_participants_connect_peer_to_peer_with_media(
    new_context: Any, asgi_server: Any, client_user: Any, counselor: Any, live_booking: Any
) -> None:
    from confide.sessions.models import SessionEvent

    media = {"permissions": ["camera", "microphone"]}
    ana = enter(
        signed_in(new_context, asgi_server, client_user, **media), live_booking, "#join-video"
    )
    expect(ana.locator("#call-status")).to_contain_text("Waiting for")
    carmen = enter(
        signed_in(new_context, asgi_server, counselor, **media), live_booking, "#join-video"
    )
    wait_for_media(ana)
    wait_for_media(carmen)
    # Mute and camera off are toggles screen readers can read.
    mute = carmen.get_by_role("button", name="Mute microphone")
    mute.click()
    expect(carmen.locator("#toggle-mic")).to_have_attribute("aria-pressed", "true")
    expect(carmen.locator("#toggle-mic")).to_have_text("Unmute microphone")
    carmen.get_by_role("button", name="Turn camera off").click()
    expect(carmen.locator("#toggle-camera")).to_have_attribute("aria-pressed", "true")
    carmen.get_by_role("button", name="Leave the session").click()
    expect(ana.locator("#call-status")).to_contain_text("left the session")
    ana.get_by_role("button", name="Leave the session").click()
    kinds = []
    for _ in range(40):
        kinds = list(
            SessionEvent.objects.filter(booking=live_booking)
            .order_by("at")
            .values_list("kind", flat=True)
        )
        if "end" in kinds:
            break
        ana.wait_for_timeout(100)
    assert kinds == ["join", "join", "start", "leave", "leave", "end"]


def test_reconnects_after_a_network_drop(
    new_context: Any, asgi_server: Any, client_user: Any, counselor: Any, live_booking: Any
) -> None:
    media = {"permissions": ["camera", "microphone"]}
    ana_context = signed_in(new_context, asgi_server, client_user, **media)
    ana_context.add_init_script(TRACK_SOCKETS)
    ana = enter(ana_context, live_booking, "#join-video")
    carmen = enter(
        signed_in(new_context, asgi_server, counselor, **media), live_booking, "#join-video"
    )
    wait_for_media(carmen)
    first_peer = ana.evaluate(
        "() => document.getElementById('room').confidePeer.localDescription.sdp"
    )
    ana.evaluate("() => window.testSockets.forEach((s) => s.close())")  # the drop
    expect(ana.locator("#call-status")).to_contain_text("Reconnecting")
    wait_for_media(carmen)
    wait_for_media(ana)
    again = ana.evaluate("() => document.getElementById('room').confidePeer.localDescription.sdp")
    assert again != first_peer  # a new peer connection was negotiated


def test_camera_denied_joins_with_sound_only(
    new_context: Any, asgi_server: Any, client_user: Any, counselor: Any, live_booking: Any
) -> None:
    ana_context = signed_in(new_context, asgi_server, client_user, permissions=["microphone"])
    # The harness starts Chromium with --use-fake-ui-for-media-stream, which accepts every device
    # prompt whatever the context's permissions; answer camera requests the way Chromium does
    # when a person blocks the camera (NotAllowedError), so the page's own fallback runs.
    ana_context.add_init_script(DENY_CAMERA)
    ana_page = ana_context.new_page()
    ana_page.goto(reverse("therapy_sessions:room", args=[live_booking.pk]))
    ana_page.wait_for_selector("#room[data-call-state=ready]")
    assert ana_page.locator("#camera-status").inner_text() == "not available"
    assert ana_page.locator("#mic-status").inner_text() == "working"
    expect(ana_page.locator("#join-video")).to_be_hidden()
    expect(ana_page.locator("#device-help")).to_contain_text("join with sound only")
    expect(ana_page.get_by_role("link", name="Use the chat instead")).to_be_visible()
    ana_page.click("#join-audio")
    carmen = enter(
        signed_in(new_context, asgi_server, counselor, permissions=["camera", "microphone"]),
        live_booking,
        "#join-video",
    )
    wait_for_media(ana_page)  # receives the counselor's video and sound
    wait_for_media(carmen)  # receives Ana's sound
    assert ana_page.locator("#room").get_attribute("data-mode") == "audio"
    senders = ana_page.locator("#room").evaluate(
        "(room) => room.confidePeer.getSenders().filter((s) => s.track).map((s) => s.track.kind)"
    )
    assert senders == ["audio"]


# Test-only: count every request for the camera or microphone the page makes.
COUNT_MEDIA_REQUESTS = """(() => {
  window.mediaRequests = 0;
  const devices = navigator.mediaDevices;
  if (!devices) { return; }
  const real = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints) => { window.mediaRequests += 1; return real(constraints); };
})();"""

ALLOWS_MEDIA = """() => ["camera", "microphone"].map(
  (feature) => document.featurePolicy ? document.featurePolicy.allowsFeature(feature) : null)"""


@pytest.mark.promise("CARE-3")
def test_a_room_not_open_yet_asks_for_no_camera_or_microphone(
    new_context: Any, asgi_server: Any, client_user: Any, counselor: Any, care: Any
) -> None:
    from confide.scheduling.models import Booking

    start = timezone.now() + timedelta(hours=3)
    later = Booking.objects.create(
        client=client_user, counselor=counselor, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    context = signed_in(new_context, asgi_server, client_user)
    context.add_init_script(COUNT_MEDIA_REQUESTS)
    page = context.new_page()
    page.goto(reverse("therapy_sessions:room", args=[later.pk]))
    expect(page.get_by_text("The room opens at")).to_be_visible()
    page.wait_for_timeout(500)
    # The page may not even use them: the browser itself would refuse a prompt.
    assert page.evaluate(ALLOWS_MEDIA) == [False, False]
    assert page.evaluate("() => window.mediaRequests") == 0
    # Once the room is open, the same person's page may use them (the proof can fail).
    later.starts_at = timezone.now() - timedelta(minutes=1)
    later.save(update_fields=["starts_at"])
    page.goto(reverse("therapy_sessions:room", args=[later.pk]))
    page.wait_for_selector("#room[data-call-state=ready]")
    assert page.evaluate(ALLOWS_MEDIA) == [True, True]
