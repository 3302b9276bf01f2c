from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from snippets.auth.django_limit import limit_failed_logins


@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
@limit_failed_logins  # 429 with Retry-After after 5 failures within a minute
def login_view(request):
    if request.method == "GET":  # a client fetches the CSRF token first
        return JsonResponse({"csrfToken": get_token(request)})
    form = AuthenticationForm(request, data=request.POST)
    if not form.is_valid():
        return JsonResponse({"detail": "Incorrect username or password"}, status=401)
    login(request, form.get_user())  # rotates the session key
    return JsonResponse({"username": form.get_user().username})


@require_POST
def logout_view(request):
    logout(request)
    return HttpResponse(status=204)


@require_GET
@login_required(login_url="auth-login")
def me(request):
    return JsonResponse({"username": request.user.username})


urlpatterns = [
    path("login", login_view, name="auth-login"),
    path("logout", logout_view),
    path("me", me, name="auth-me"),
    # django-allauth's sign-up, log-in and log-out pages (settings in django_settings.py)
    path("accounts/", include("allauth.urls")),
]
