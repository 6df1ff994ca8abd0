"""The library (CARE-8): checked uploads, files only for members, drafts hidden, languages,
recommendations to one's own clients only, progress, export and erasure, and the consent gate
for embedded video."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from confide.audit.models import AuditEvent
from confide.library import services, uploads
from confide.library.models import Item, Module, Progress, Recommendation
from confide.privacy.consent.cookies import BANNER_VERSION, STATE_COOKIE, ConsentState
from tests.factories import make_user
from tests.library.factories import PDF, course, document_with_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.promise("CARE-8")]

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
HTML = b"<!doctype html><script>alert(1)</script>"
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 32
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 16
MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00" + b"\x00" * 16
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def _file(data: bytes, name: str, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- Uploads ------------------------------------------------------------------------------------
def test_the_type_comes_from_the_content() -> None:
    assert uploads.detect(PDF) == "application/pdf"
    assert uploads.detect(MP3) == "audio/mpeg"
    assert uploads.detect(b"\xff\xfb\x90\x00") == "audio/mpeg"
    assert uploads.detect(M4A) == "audio/mp4"
    assert uploads.detect(MP4) == "video/mp4"
    assert uploads.detect(b"\x1a\x45\xdf\xa3\x01") == "video/webm"
    assert uploads.detect(b"OggS\x00\x02") == "audio/ogg"
    assert uploads.detect(EXE) is None and uploads.detect(HTML) is None


@pytest.mark.parametrize("data", [EXE, HTML])
def test_a_renamed_exe_or_html_is_refused_as_pdf(data: bytes) -> None:
    with pytest.raises(uploads.UploadError) as refused:
        uploads.check(_file(data, "guide.pdf", "application/pdf"), {"pdf"})
    assert refused.value.code == "type"


def test_a_real_file_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(uploads.UploadError):
        uploads.check(_file(MP3, "song.pdf", "application/pdf"), {"pdf"})


def test_the_size_limit(settings: Any) -> None:
    settings.LIBRARY_MAX_PDF_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(uploads.UploadError) as refused:
        uploads.check(_file(big, "big.pdf", "application/pdf"), {"pdf"})
    assert refused.value.code == "size" and "1 MB" in str(refused.value.message)
    assert uploads.check(_file(PDF, "ok.pdf", "application/pdf"), {"pdf"}) == "application/pdf"


def test_stored_names_are_random_never_the_uploaders() -> None:
    upload = _file(PDF, "my secret diagnosis.pdf", "application/pdf")
    first = uploads.store(upload, "application/pdf")
    second = uploads.store(upload, "application/pdf")
    assert first != second and "secret" not in first and first.startswith("library/")
    assert first.endswith(".pdf") and default_storage.exists(first)


def test_a_failed_upload_keeps_what_was_typed(client: Any, staff_user: Any) -> None:
    client.force_login(staff_user)
    response = client.post(
        reverse("library:new_item"),
        {
            "kind": "document",
            "language": "sv",
            "title": "Typed title kept",
            "summary": "Typed summary kept",
            "upload": _file(HTML, "evil.pdf", "application/pdf"),
        },
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Item.objects.exists()
    assert "Typed title kept" in page and "Typed summary kept" in page
    assert "Den här filtypen tas inte emot" in page  # the error in the staff member's language


def test_staff_create_upload_and_publish(client: Any, staff_user: Any) -> None:
    client.force_login(staff_user)
    client.post(
        reverse("library:new_item"),
        {
            "kind": "document",
            "language": "en",
            "title": "Guide",
            "summary": "s",
            "upload": _file(PDF, "../../etc/guide.pdf", "text/html"),
        },
    )
    item = Item.objects.get()
    assert item.file_type == "application/pdf" and "etc" not in item.file_name
    assert item.author == staff_user and item.status == Item.Status.DRAFT
    client.post(reverse("library:publish", args=[item.pk]), {"publish": "1"})
    item.refresh_from_db()
    assert item.published


def test_an_empty_course_cannot_be_published(staff_user: Any) -> None:
    item = Item.objects.create(kind="course", language="en", title="Empty")
    with pytest.raises(services.LibraryError):
        services.set_published(staff_user, item, True)


# --- Files and drafts ---------------------------------------------------------------------------
def test_files_are_served_only_to_signed_in_members(client: Any, client_user: Any) -> None:
    doc = document_with_pdf()
    url = reverse("library:file", args=[doc.pk])
    anonymous = client.get(url)
    assert anonymous.status_code in (302, 403) and PDF not in b"".join(
        getattr(anonymous, "streaming_content", [anonymous.content])
    )
    client.force_login(client_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert "guide" not in response["Content-Disposition"]
    assert client.get(url + "?download=1")["Content-Disposition"].startswith("attachment")


def test_no_public_media_url(client: Any) -> None:
    doc = document_with_pdf()
    assert client.get("/media/" + doc.file_name).status_code == 404


def test_a_draft_is_invisible_to_members(client: Any, client_user: Any, staff_user: Any) -> None:
    draft = course(published=False, title="Secret draft")
    doc = document_with_pdf(published=False)
    client.force_login(client_user)
    assert "Secret draft" not in client.get(reverse("library:index")).content.decode()
    assert client.get(reverse("library:item", args=[draft.pk])).status_code == 403
    assert client.get(reverse("library:file", args=[doc.pk])).status_code == 403
    client.force_login(staff_user)
    assert client.get(reverse("library:item", args=[draft.pk])).status_code == 200


def test_members_see_their_language_first_and_the_rest_marked(
    client: Any, client_user: Any
) -> None:
    original = course("en", title="Breathing")
    course("es", title="Respirar", translation_of=original)
    course("en", title="Only in English")
    client_user.language = "es"
    client_user.save()
    client.force_login(client_user)
    page = client.get(reverse("library:index")).content.decode()
    assert "Respirar" in page and "Breathing" not in page  # the translation replaces it
    assert "Only in English" in page and "No está en tu idioma" in page
    filtered = client.get(reverse("library:index") + "?language=en&kind=course")
    assert "Breathing" in filtered.content.decode()


# --- Recommendations ----------------------------------------------------------------------------
def test_a_counselor_recommends_to_their_own_client(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    item = course(title="Zeta course")
    course(title="Alpha course")
    client.force_login(counselor)
    response = client.post(reverse("library:recommend", args=[item.pk]), {"client": client_user.pk})
    assert response.status_code == 302
    assert Recommendation.objects.get().counselor == counselor
    assert AuditEvent.objects.filter(action="library.recommended", subject_id=client_user.pk)
    client.force_login(client_user)
    home = client.get(reverse("care:home")).content.decode()
    assert "Recommended by your counselor" in home and item.title in home
    listing = client.get(reverse("library:index")).content.decode()
    assert "Recommended by your counselor" in listing
    assert listing.index("Zeta course") < listing.index("Alpha course")  # recommended first


def test_recommending_to_someone_elses_client_is_refused_and_audited(
    client: Any, care: Any, client_user: Any, other_counselor: Any, stranger: Any, counselor: Any
) -> None:
    item = course()
    client.force_login(other_counselor)
    response = client.post(reverse("library:recommend", args=[item.pk]), {"client": client_user.pk})
    assert response.status_code == 403
    client.force_login(counselor)
    assert (
        client.post(
            reverse("library:recommend", args=[item.pk]), {"client": stranger.pk}
        ).status_code
        == 403
    )
    assert not Recommendation.objects.exists()
    denied = AuditEvent.objects.filter(action__startswith="access.denied")
    assert {e.subject_id for e in denied} == {client_user.pk, stranger.pk}


def test_a_draft_cannot_be_recommended(care: Any, client_user: Any, counselor: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.recommend(counselor, client_user.pk, course(published=False).pk)


# --- Progress -----------------------------------------------------------------------------------
def test_progress_n_of_m(client: Any, client_user: Any) -> None:
    item = course()
    first = item.modules.order_by("position").first()
    assert first is not None
    client.force_login(client_user)
    assert (
        "0 of 2 modules done"
        in client.get(reverse("library:item", args=[item.pk])).content.decode()
    )
    client.post(reverse("library:done", args=[item.pk, first.pk]), {"done": "1"})
    assert (
        "1 of 2 modules done"
        in client.get(reverse("library:item", args=[item.pk])).content.decode()
    )
    client.post(reverse("library:done", args=[item.pk, first.pk]), {"done": "0"})
    assert services.progress_of(client_user, item) == (0, 2)


def test_markdown_is_rendered_safely(client: Any, client_user: Any) -> None:
    item = course()
    module = Module.objects.create(
        item=item, position=3, kind="text", title="x", body="<script>bad()</script> **ok**"
    )
    client.force_login(client_user)
    page = client.get(reverse("library:module", args=[item.pk, module.pk])).content.decode()
    assert "<strong>ok</strong>" in page and "<script>bad()" not in page


# --- Export and erasure -------------------------------------------------------------------------
def _personal(care: Any, client_user: Any, counselor: Any) -> tuple[Item, Module]:
    item = course()
    module = item.modules.first()
    assert module is not None
    services.mark_done(client_user, item.pk, module.pk)
    services.recommend(counselor, client_user.pk, item.pk)
    return item, module


@pytest.mark.promise("RIGHTS-6")
def test_the_export_holds_progress_and_recommendations(
    care: Any, client_user: Any, counselor: Any
) -> None:
    from confide.privacy.export import collect

    _item, module = _personal(care, client_user, counselor)
    records = collect(client_user.pk)["records"]
    assert (
        records["library.Progress"]["rows"][0]["module"] == str(module.pk)
        or records["library.Progress"]["rows"][0]["module"]
    )
    assert len(records["library.Recommendation"]["rows"]) == 1
    json.dumps(records["library.Progress"]["rows"], default=str)


@pytest.mark.promise("RIGHTS-3")
def test_erased_with_the_account_and_one_by_one(
    care: Any, client_user: Any, counselor: Any, staff_user: Any
) -> None:
    from confide.privacy.erasure import erase_account, erase_item

    item, _module = _personal(care, client_user, counselor)
    progress = Progress.objects.get()
    receipt = erase_item(client_user, "library.Progress", str(progress.pk))
    assert receipt["erased"] and not Progress.objects.exists()
    services.mark_done(client_user, item.pk, item.modules.first().pk)  # type: ignore[union-attr]
    erase_account(client_user)
    assert not Progress.objects.exists() and not Recommendation.objects.exists()
    # Content is not personal data: erasing its author leaves it, without the author.
    item.author = staff_user
    item.save()
    erase_account(staff_user)
    item.refresh_from_db()
    assert item.author_id is None and item.published


# --- Embedded video and consent -----------------------------------------------------------------
def _video_module() -> tuple[Item, Module]:
    item = course()
    module = Module.objects.create(
        item=item, position=3, kind="video", title="Watch", embed_url=YOUTUBE
    )
    return item, module


def _csp(response: Any) -> str:
    return str(response.get("Content-Security-Policy", ""))


def test_no_iframe_and_no_third_party_frame_without_functional_consent(
    client: Any, client_user: Any
) -> None:
    item, module = _video_module()
    client.force_login(client_user)
    url = reverse("library:module", args=[item.pk, module.pk])
    for state in (None, ConsentState(BANNER_VERSION, False, True, True)):
        if state is not None:
            client.cookies[STATE_COOKIE] = state.encode()
        response = client.get(url)
        page = response.content.decode()
        assert "<iframe" not in page and YOUTUBE in page  # a link out, not a player
        assert "youtube" not in _csp(response)


def test_with_functional_consent_the_player_is_allowed_for_that_page_only(
    client: Any, client_user: Any
) -> None:
    item, module = _video_module()
    client.force_login(client_user)
    client.cookies[STATE_COOKIE] = ConsentState(BANNER_VERSION, True).encode()
    response = client.get(reverse("library:module", args=[item.pk, module.pk]))
    page = response.content.decode()
    assert '<iframe class="embed" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "frame-src https://www.youtube-nocookie.com" in _csp(response)
    other = client.get(reverse("library:item", args=[item.pk]))
    assert "youtube" not in _csp(other)


def test_only_youtube_and_vimeo_addresses() -> None:
    assert services.embed_of("https://vimeo.com/123456") == (
        "https://player.vimeo.com/video/123456?dnt=1",
        "https://player.vimeo.com",
    )
    assert services.embed_of("https://evil.example/watch?v=dQw4w9WgXcQ") is None
    assert not services.valid_embed("javascript:alert(1)")


def test_library_pages_are_care_pages() -> None:
    from django.test import RequestFactory

    from confide.privacy.consent.integrations import is_clinical

    assert is_clinical(RequestFactory().get("/library/"))


def test_a_views_frame_src_survives_the_consent_middleware() -> None:
    """ConsentMiddleware adds connect-src for consented integrations next to a view's own
    allowance instead of replacing it."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from confide.privacy.consent.middleware import ConsentMiddleware

    def view(request: Any) -> HttpResponse:
        request.consent_origins = {"https://api-js.mixpanel.com"}
        response = HttpResponse("ok")
        response._csp_update = {"frame-src": [services.YOUTUBE_ORIGIN]}  # type: ignore[attr-defined]
        return response

    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = ConsentMiddleware(view)(request)
    assert response._csp_update == {  # type: ignore[attr-defined]
        "frame-src": [services.YOUTUBE_ORIGIN],
        "connect-src": ["https://api-js.mixpanel.com"],
    }


def test_the_demo_has_a_course_and_a_document_in_every_language() -> None:
    import io

    from confide.library import demo

    demo.seed(io.StringIO())
    demo.seed(io.StringIO())  # safe to run again
    for kind in ("course", "document"):
        rows = Item.objects.filter(kind=kind, status="published")
        assert sorted(rows.values_list("language", flat=True)) == ["en", "es", "sq", "sv"]
    assert Module.objects.count() == 12


def test_navigation_links(client: Any, client_user: Any, staff_user: Any) -> None:
    client.force_login(client_user)
    assert reverse("library:index") in client.get(reverse("care:home")).content.decode()
    client.force_login(staff_user)
    page = client.get(reverse("library:manage")).content.decode()
    assert "Manage library" in page


def test_the_client_file_lists_what_the_counselor_recommended(
    client: Any, care: Any, client_user: Any, counselor: Any
) -> None:
    item = course(title="Recommended breathing")
    services.recommend(counselor, client_user.pk, item.pk)
    client.force_login(counselor)
    page = client.get(reverse("care:client_file", args=[client_user.pk])).content.decode()
    assert "Recommended breathing" in page and "You recommended" in page


def test_staff_add_modules_with_checked_files(client: Any, staff_user: Any) -> None:
    item = course(published=False)
    client.force_login(staff_user)
    url = reverse("library:new_module", args=[item.pk])
    refused = client.post(
        url,
        {
            "kind": "audio",
            "title": "Listen",
            "position": 0,
            "upload": _file(PDF, "a.mp3", "audio/mpeg"),
        },
    )
    assert refused.status_code == 200 and 'value="Listen"' in refused.content.decode()
    client.post(
        url,
        {
            "kind": "audio",
            "title": "Listen",
            "position": 0,
            "upload": _file(MP3, "a.mp3", "audio/mpeg"),
        },
    )
    module = item.modules.get(title="Listen")
    assert module.position == 3 and module.file_type == "audio/mpeg"
    assert module.file_name.endswith(".mp3") and default_storage.exists(module.file_name)
    bad_embed = client.post(
        url,
        {
            "kind": "video",
            "title": "Elsewhere",
            "position": 0,
            "embed_url": "https://evil.example/v",
        },
    )
    assert bad_embed.status_code == 200 and not item.modules.filter(title="Elsewhere").exists()
    client.post(reverse("library:publish", args=[item.pk]), {"publish": "1"})
    item.refresh_from_db()
    assert item.published
    from django.test import Client

    member = Client()
    member.force_login(make_user("client", email="mia.member@example.test"))
    served = member.get(reverse("library:module_file", args=[item.pk, module.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "audio/mpeg"
    assert Client().get(reverse("library:module_file", args=[item.pk, module.pk])).status_code in (
        302,
        403,
    )


@pytest.mark.parametrize("language", ["es", "sv", "sq"])
def test_every_library_label_is_translated(language: str) -> None:
    from django.apps import apps
    from django.utils import translation
    from django.utils.functional import Promise

    same = {"sv": {"text", "status"}}.get(language, set())  # Swedish words too
    english = []
    for model in apps.get_app_config("library").get_models():
        names = [model._meta.verbose_name, model._meta.verbose_name_plural]
        names += [
            getattr(f, "verbose_name", None) for f in model._meta.get_fields() if not f.auto_created
        ]
        for label in names:
            assert isinstance(label, Promise), (model, label)
            with translation.override("en"):
                source = str(label)
            with translation.override(language):
                if str(label) == source and source not in same:
                    english.append(source)
    assert not english


def test_a_translation_is_in_another_language(client: Any, staff_user: Any) -> None:
    original = course("en")
    client.force_login(staff_user)
    base = {"kind": "course", "title": "T", "summary": "s", "translation_of": original.pk}
    same = client.post(reverse("library:new_item"), {**base, "language": "en"})
    assert same.status_code == 200 and Item.objects.count() == 1
    client.post(reverse("library:new_item"), {**base, "language": "sq"})
    assert Item.objects.get(language="sq").translation_of == original


def test_the_form_names_the_limits_as_set(settings: Any) -> None:
    from confide.library.forms import ItemForm

    settings.LIBRARY_MAX_PDF_MB, settings.LIBRARY_MAX_MEDIA_MB = 5, 80
    help_text = str(ItemForm().fields["upload"].help_text)
    assert "PDF up to 5 MB" in help_text and "80 MB" in help_text


def test_every_page_renders_for_its_people(
    client: Any, care: Any, client_user: Any, counselor: Any, staff_user: Any
) -> None:
    item = course()
    module = item.modules.first()
    assert module is not None
    doc = document_with_pdf()
    services.recommend(counselor, client_user.pk, item.pk)
    member_pages = [
        reverse("library:index"),
        reverse("library:index") + "?kind=document&language=sv",
        reverse("library:item", args=[item.pk]),
        reverse("library:item", args=[doc.pk]),
        reverse("library:module", args=[item.pk, module.pk]),
    ]
    staff_pages = [
        reverse("library:manage"),
        reverse("library:new_item"),
        reverse("library:edit_item", args=[item.pk]),
        reverse("library:new_module", args=[item.pk]),
        reverse("library:edit_module", args=[item.pk, module.pk]),
    ]
    for person, pages in ((client_user, member_pages), (counselor, member_pages)):
        client.force_login(person)
        for url in pages:
            assert client.get(url).status_code == 200, url
        for url in staff_pages:
            assert client.get(url).status_code == 403, url
    client.force_login(staff_user)
    for url in staff_pages + member_pages:
        assert client.get(url).status_code == 200, url
    client.force_login(counselor)
    page = client.get(reverse("library:item", args=[item.pk])).content.decode()
    assert f'<option value="{client_user.pk}">' in page  # recommend to own clients only


def test_media_can_be_fetched_by_range(client: Any, client_user: Any) -> None:
    doc = document_with_pdf()
    client.force_login(client_user)
    url = reverse("library:file", args=[doc.pk])
    part = client.get(url, HTTP_RANGE="bytes=0-3")
    assert part.status_code == 206 and part.content == PDF[:4]
    assert part["Content-Range"] == f"bytes 0-3/{len(PDF)}"
    assert part["X-Content-Type-Options"] == "nosniff"
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert tail.content == PDF[-5:]
    past_the_end = client.get(url, HTTP_RANGE="bytes=99999-")
    assert (
        past_the_end.status_code == 416 and past_the_end["Content-Range"] == f"bytes */{len(PDF)}"
    )
    assert client.get(url, HTTP_RANGE="items=0-3").status_code == 200  # not bytes: the whole file


@pytest.mark.promise("CARE-8")
def test_staff_delete_an_item_with_its_files_once_confirmed(
    client: Any,
    staff_user: Any,
    client_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    doc = document_with_pdf()
    name = doc.file_name
    url = reverse("library:delete_item", args=[doc.pk])
    client.force_login(client_user)
    assert client.post(url, {"confirm": "1"}).status_code == 403
    client.force_login(staff_user)
    client.post(url)  # not confirmed
    assert Item.objects.filter(pk=doc.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"confirm": "1"})["Location"] == reverse("library:manage")
    assert not Item.objects.filter(pk=doc.pk).exists() and not default_storage.exists(name)
    assert AuditEvent.objects.filter(action="library.item_deleted").exists()


def test_a_published_course_keeps_its_last_module(client: Any, staff_user: Any) -> None:
    item = course()
    first, second = item.modules.order_by("position")
    client.force_login(staff_user)
    client.post(reverse("library:delete_module", args=[item.pk, first.pk]), {"confirm": "1"})
    client.post(reverse("library:delete_module", args=[item.pk, second.pk]), {"confirm": "1"})
    assert list(item.modules.all()) == [second]
