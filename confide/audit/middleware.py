from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from confide.audit.context import AuditContext, reset_context, set_context


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        token = set_context(AuditContext(user=user))
        try:
            return self.get_response(request)
        finally:
            reset_context(token)
