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
