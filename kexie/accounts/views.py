from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, credentials=None, *args, **kwargs):
    """A locked-out login sees the same generic message as any other failure."""
    from .forms import LoginForm

    form = LoginForm(request)
    form.add_error(None, _("Incorrect username or password, or the account is locked. Try again later."))
    return render(request, "accounts/login.html", {"form": form}, status=403)
