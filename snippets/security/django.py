from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

# Django templates autoescape; {% csrf_token %} adds the hidden field and sets the cookie.
PAGE = engines["django"].from_string("""<h1>Hello {{ name }}</h1>
<form method="post" action="comment">
  {% csrf_token %}
  <input name="text"><button>Send</button>
</form>""")


@require_GET
@csp_override({"default-src": [CSP.SELF], "frame-ancestors": [CSP.NONE]})
def hello(request):
    return HttpResponse(PAGE.render({"name": request.GET.get("name", "world")}, request))


@require_POST  # CsrfViewMiddleware has checked the token before the view runs
def comment(request):
    return JsonResponse({"received": request.POST.get("text", "")})


@require_GET
def data(request):
    return JsonResponse({"data": [1, 2, 3]})


urlpatterns = [
    path("hello", hello),
    path("comment", comment),
    path("api/data", data),
]


# A body over DATA_UPLOAD_MAX_MEMORY_SIZE raises RequestDataTooBig when something reads it (the
# CSRF check or the view), and Django answers 400; 413 says what is wrong. handler400 is read
# from the root URLconf only: the demo project's urls.py imports this one.
def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse({"detail": "Request body too large"}, status=413)
    return JsonResponse({"detail": "Bad request"}, status=400)


handler400 = bad_request
