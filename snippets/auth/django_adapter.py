from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.db import IntegrityError, transaction
from django.http import HttpResponse


class AccountAdapter(DefaultAccountAdapter):
    """allauth's sign-up, made safe for two requests for one username at once."""

    def save_user(self, request, user, form, commit=True):
        # Both requests pass the form's "is the name taken?" check before either saves, and
        # the second save breaks the table's unique constraint: without this, a 500.
        try:
            with transaction.atomic():  # a savepoint, so the request's transaction survives
                return super().save_user(request, user, form, commit)
        except IntegrityError:
            name = {user.USERNAME_FIELD: user.get_username()}
            if not type(user)._default_manager.filter(**name).exists():
                raise  # another constraint broke: a bug to see in the log, not "name taken"
            # allauth's middleware sends this response in place of the view's.
            taken = HttpResponse("That username was taken a moment ago.", status=409)
            raise ImmediateHttpResponse(taken) from None
