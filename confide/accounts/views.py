"""Account pages allauth does not provide: settings, sign-in history, blocking by staff, the
passkey reset staff perform for someone who lost theirs, and staff recording that an account
belongs to a minor (ACC-8)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from confide.accounts import passkeys, services, signins
from confide.accounts.forms import BlockForm, MinorForm, PasskeyResetForm, PreferencesForm
from confide.accounts.models import Role, User
from confide.privacy.access import public, roles, signed_in


@signed_in
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial = {
        "language": user.language or request.LANGUAGE_CODE,
        "timezone": user.timezone or services.current_preset().default_timezone,
        "nickname": user.nickname,
        "first_name": user.first_name,
        "last_name": user.last_name,
    }
    form = PreferencesForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.update_preferences(
            user, language=data.pop("language"), timezone_name=data.pop("timezone"), **data
        )
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:settings")
    context = {
        "form": form,
        "level": services.security_level(user),
        "passkey_required": services.passkey_required(user),
    }
    return render(request, "accounts/settings.html", context)


@public
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header language switcher. For a signed-in person the saved preference outranks the
    cookie (UserLanguageMiddleware), so it is saved too; Django's view then sets the cookie and
    redirects. Routed before Django's own /i18n/setlang/."""
    if request.user.is_authenticated:
        services.save_language(request.user, request.POST.get("language", ""))
    return django_set_language(request)


@signed_in
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    records = signins.history_for(request.user)
    return render(request, "accounts/history.html", {"records": records})


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def block(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=user_id)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and target.pk != request.user.pk:
        services.block_user(request.user, target, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        messages.success(request, _("The account was blocked and the person was told by email."))
        return redirect("accounts:block", user_id=target.pk)
    return render(request, "accounts/block.html", {"form": form, "target": target})


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def passkey_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(User, pk=user_id)
    allowed = passkeys.may_reset_passkeys(request.user, target)
    form = PasskeyResetForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        passkeys.reset_passkeys_after_verification(request.user, target, **form.cleaned_data)
        messages.success(
            request,
            _("The passkeys were removed and the person was signed out and told by email."),
        )
        return redirect("accounts:passkey_reset", user_id=target.pk)
    context = {"form": form, "target": target, "allowed": allowed}
    return render(request, "accounts/passkey_reset.html", context, status=200 if allowed else 403)


@roles("staff", "admin")
@require_http_methods(["GET", "POST"])
def minor(request: HttpRequest, user_id: int) -> HttpResponse:
    """ACC-8: staff record that a client is under the minimum age, which erases the account."""
    target = get_object_or_404(User, pk=user_id, role=Role.CLIENT)
    form = MinorForm(request.POST or None)
    if target.is_active and request.method == "POST" and form.is_valid():
        services.erase_minor_account(request.user, target, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        messages.success(request, _("The account was erased. Only a hashed-email record is kept."))
        return redirect("accounts:minor", user_id=target.pk)
    context = {"form": form, "target": target, "age": services.current_preset().minimum_age}
    return render(request, "accounts/minor.html", context)
