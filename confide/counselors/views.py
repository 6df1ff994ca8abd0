from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from confide.audit import services as audit
from confide.counselors import services
from confide.counselors.forms import AccountForm, ApplicationForm, ProfileForm
from confide.counselors.models import (
    ApplicationDocument,
    ApplicationStatus,
    CounselorApplication,
    CounselorProfile,
)
from confide.privacy.access import public, roles


@public
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """Anyone may apply; a visitor's counselor account is created with the application."""
    user: Any = request.user if request.user.is_authenticated else None
    if user is not None and user.role not in {"client", "counselor"}:
        raise PermissionDenied
    account = None if user else AccountForm(request.POST or None, prefix="account")
    form = ApplicationForm(
        request.POST or None, request.FILES or None, initial=_previous_answers(user)
    )
    if request.method == "POST" and form.is_valid() and (account is None or account.is_valid()):
        if user is None:
            assert account is not None
            user = _create_account(account.cleaned_data["email"], account.cleaned_data["password"])
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        try:
            services.submit_application(
                user,
                form.application_fields(),
                [services.Document("licence", form.cleaned_data["licence_document"])],
            )
        except ValidationError:
            messages.error(request, _("Your application is already waiting for review."))
        else:
            messages.success(
                request, _("Thank you. We will review your application and email you.")
            )
        return redirect("counselors:status")
    return render(request, "counselors/apply.html", {"form": form, "account": account})


def _previous_answers(user: Any) -> dict[str, Any]:
    """After a request for changes, the form starts from the application (except the
    encrypted identifiers and the document, which are entered again)."""
    if user is None:
        return {}
    previous = CounselorApplication.objects.filter(
        user=user, status=ApplicationStatus.CHANGES_REQUESTED
    ).first()
    if previous is None:
        return {}
    names = [
        "legal_name",
        "phone",
        "licence_type",
        "licence_number",
        "licence_jurisdiction",
        "licence_expiry",
        "npi",
        "caqh_id",
        "gov_id_country",
        "bank_format",
    ]
    return {name: getattr(previous, name) for name in names}


def _create_account(email: str, password: str) -> Any:
    from allauth.account.models import EmailAddress

    from confide.accounts.models import User

    user = User.objects.create_user(email=email, password=password, role="counselor")
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


@roles("counselor")
def status(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    application = CounselorApplication.objects.filter(user=user).order_by("-submitted_at").first()
    profile = CounselorProfile.objects.filter(user=user).first()
    return render(
        request, "counselors/status.html", {"application": application, "profile": profile}
    )


@roles("counselor")
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    profile = CounselorProfile.objects.filter(user=user).first()
    initial = {"display_name": user.real_name, "capacity": 20, "accepting": True}
    if profile is not None:
        initial = {
            "display_name": profile.display_name,
            "gender": profile.gender,
            "capacity": profile.capacity,
            "accepting": profile.accepting,
            **{f"bio_{code}": text for code, text in profile.bio.items()},
            **{
                kind: profile.codes(kind)
                for kind in ("specialty", "approach", "language", "session_type")
            },
        }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user, form.profile_fields(), form.tags())
        messages.success(request, _("Your profile is saved."))
        return redirect("counselors:status")
    return render(request, "counselors/profile_edit.html", {"form": form})


@public
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Public parts only; unverified or expired counselors do not exist to visitors."""
    found = services.listable_profiles().filter(pk=pk).prefetch_related("tags").first()
    if found is None:
        raise Http404
    return render(request, "counselors/profile.html", {"profile": found})


@public
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    found = services.listable_profiles().filter(pk=pk).exclude(photo="").first()
    if found is None:
        raise Http404
    data = found.photo.read()
    content_type = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return HttpResponse(data, content_type=content_type)


@roles("staff", "admin")
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "counselors/queue.html", {"applications": services.review_queue()})


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: str) -> HttpResponse:
    application = get_object_or_404(CounselorApplication, pk=pk)
    if request.method == "POST":
        try:
            services.decide(
                request.user, pk, request.POST.get("decision", ""), request.POST.get("reason", "")
            )
        except ValidationError:
            messages.error(
                request,
                _("Choose a decision; asking for changes or rejecting needs a reason."),
            )
            return redirect("counselors:review", pk=pk)
        messages.success(request, _("Decision saved and the applicant was emailed."))
        return redirect("counselors:queue")
    audit.record(
        "counselor.application.viewed",
        actor=request.user,
        subject_id=application.user_id,
        target=application,
    )
    return render(
        request,
        "counselors/review.html",
        {"application": application, "documents": application.documents.all()},
    )


@roles("staff", "admin")
def document(request: HttpRequest, pk: str) -> HttpResponse:
    found = get_object_or_404(ApplicationDocument.objects.select_related("application"), pk=pk)
    audit.record(
        "counselor.document.viewed",
        actor=request.user,
        subject_id=found.application.user_id,
        target=found,
    )
    response = HttpResponse(found.content, content_type=found.content_type)
    response["Content-Disposition"] = "attachment"
    return response
