"""Pages of staff sign-in (ADR 0011): the code after the password, setting up an authenticator app,
backup codes, Your account and its password change, a reset link's new password, and the managers'
Staff sign-in pages (reset someone's two-factor sign-in, give them a reset link)."""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from cases.models import User
from core.views import service_errors

from . import passwords, twofactor
from .forms import CodeForm, GovPasswordChangeForm, GovSetPasswordForm, ResetLinkForm

NEW_CODES_SESSION_KEY = "accounts_new_backup_codes"
TOO_MANY = "You have entered too many wrong codes: wait a few seconds, then try again (each wrong code makes the wait longer)"


def _next_url(request: HttpRequest) -> str:
    """Where to go once the code is given: a safe `next` on this site, otherwise the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def verify(request):
    """After the password: the code from the authenticator app, or a backup code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not twofactor.is_enrolled(user):
        return redirect(f"{reverse('two_factor_enrol')}?{request.GET.urlencode()}")
    form = CodeForm(request.POST or None, backup_allowed=True)
    if request.method == "POST" and form.is_valid():
        outcome = twofactor.verify(request, form.cleaned_data["code"])
        if outcome.ok:
            if outcome.backup_code_used:
                left = twofactor.backup_codes_left(user)
                messages.info(
                    request,
                    f"You used a backup code. You have {left} left: make new ones from Your account"
                    if left
                    else "You used your last backup code: make new ones from Your account",
                )
            return redirect(_next_url(request))
        form.add_error(
            "code",
            TOO_MANY
            if outcome.throttled
            else "The code is not right: enter the 6 numbers your app shows now, or a backup code",
        )
    return render(request, "accounts/verify.html", {"form": form, "next": _next_url(request)})


def enrol(request):
    """First sign-in: scan the QR code (or type the key) into an authenticator app and give a code."""
    user = request.user
    if twofactor.is_enrolled(user):
        return redirect(f"{reverse('two_factor_verify')}?{request.GET.urlencode()}")
    device = twofactor.enrolment_device(user)
    form = CodeForm(request.POST or None, backup_allowed=False)
    if request.method == "POST" and form.is_valid():
        outcome = twofactor.enrol_confirm(request, device=device, code=form.cleaned_data["code"])
        if outcome.ok:
            request.session[NEW_CODES_SESSION_KEY] = outcome.backup_codes
            return redirect(f"{reverse('backup_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error(
            "code",
            TOO_MANY
            if outcome.throttled
            else "The code is not right: enter the 6 numbers your app shows now",
        )
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "enrolment": twofactor.enrolment_for(device), "next": _next_url(request)},
    )


def backup_codes(request):
    """The backup codes just made, shown once (GET); or (POST) make a new set from Your account."""
    user = request.user
    if request.method == "POST":
        if not twofactor.is_enrolled(user):
            raise Http404("Not found")
        request.session[NEW_CODES_SESSION_KEY] = twofactor.backup_codes_replace(user)
        return redirect("backup_codes")
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("account")
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _next_url(request)})


def account(request):
    """Your account: your password and your two-factor sign-in."""
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "required": settings.TWO_FACTOR_REQUIRED,
            "app_device": twofactor.app_device(user),
            "backup_codes_left": twofactor.backup_codes_left(user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change your own password (the current one, then the new one twice), audited."""

    form_class = GovPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_changed_audit(user=form.user, through_link=False, path=self.request.path)
        messages.success(self.request, "Your password has been changed")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A manager's one-time link: set a new password. The link stops working once it is used."""

    form_class = GovSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.password_changed_audit(user=form.user, through_link=True, path=self.request.path)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _manager(request) -> None:
    """Only a service manager or an administrator manages another person's sign-in; others get 404."""
    if not rules.has_perm("accounts.manage_staff_sign_in", request.user):
        raise Http404("Not found")


def _staff_member(request, pk) -> User:
    """Another member of staff (never yourself: your own account is Your account)."""
    _manager(request)
    member = get_object_or_404(User, pk=pk)
    if member.pk == request.user.pk:
        raise Http404("Not found")
    return member


def staff_sign_in_list(request):
    """Staff sign-in: everyone's two-factor set-up and last sign-in, to find the person to help."""
    _manager(request)
    query = (request.GET.get("q") or "").strip()[:100]
    staff = User.objects.filter(is_active=True).select_related("team").order_by("last_name", "first_name")
    if query:
        staff = staff.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    enrolled = twofactor.enrolled_user_ids()
    rows = [(member, member.pk in enrolled) for member in staff]
    return render(request, "accounts/staff_sign_in_list.html", {"rows": rows, "query": query})


def staff_sign_in(request, pk):
    """One member of staff's sign-in: reset their two-factor sign-in, or give them a reset link."""
    member = _staff_member(request, pk)
    return render(
        request,
        "accounts/staff_sign_in.html",
        {
            "member": member,
            "app_device": twofactor.app_device(member),
            "backup_codes_left": twofactor.backup_codes_left(member),
        },
    )


def staff_two_factor_reset(request, pk):
    """Confirm, then remove the person's authenticator app and backup codes (audited)."""
    member = _staff_member(request, pk)
    if request.method == "POST":
        twofactor.two_factor_reset(user=member, by=request.user, path=request.path)
        messages.success(
            request, f"{member}'s two-factor sign-in is reset: they set it up again when they next sign in"
        )
        return redirect("staff_sign_in", pk=member.pk)
    return render(request, "accounts/staff_two_factor_reset.html", {"member": member})


def staff_password_link(request, pk):
    """Make a one-time password reset link for the person: emailed to them, or shown here once."""
    member = _staff_member(request, pk)
    form = ResetLinkForm(request.POST or None, email=member.email)
    if request.method == "POST" and form.is_valid():
        delivery = form.cleaned_data["delivery"]
        try:
            link = passwords.reset_link_create(
                user=member, by=request.user, delivery=delivery, path=request.path
            )
        except ValidationError as exc:
            service_errors(form, exc)
        else:
            if delivery == passwords.EMAIL:
                messages.success(request, f"A password reset link is on its way to {member.email}")
                return redirect("staff_sign_in", pk=member.pk)
            return render(
                request,
                "accounts/staff_password_link_shown.html",
                {
                    "member": member,
                    "link": request.build_absolute_uri(link),
                    "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
                },
            )
    return render(request, "accounts/staff_password_link.html", {"form": form, "member": member})


urlpatterns = [
    path("account/", account, name="account"),
    path("account/password/", PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/", verify, name="two_factor_verify"),
    path("account/two-factor/set-up/", enrol, name="two_factor_enrol"),
    path("account/two-factor/backup-codes/", backup_codes, name="backup_codes"),
    path("account/reset/done/", PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "account/reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("staff/sign-in/", staff_sign_in_list, name="staff_sign_in_list"),
    path("staff/<int:pk>/sign-in/", staff_sign_in, name="staff_sign_in"),
    path("staff/<int:pk>/sign-in/reset-two-factor/", staff_two_factor_reset, name="staff_two_factor_reset"),
    path("staff/<int:pk>/sign-in/password-link/", staff_password_link, name="staff_password_link"),
]
