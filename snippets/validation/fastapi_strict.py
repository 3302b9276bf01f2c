import json
from typing import Any

import pydantic_core
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

# FastAPI reads a body of any size unless told: past this, 413 before anything is read.
MAX_JSON_BYTES = 1024 * 1024


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                # Unlike json.loads: no NaN/Infinity, no lone surrogates, about 200 levels at most.
                self._json = pydantic_core.from_json(body, allow_inf_nan=False)
            except ValueError as exc:  # FastAPI answers a JSONDecodeError with its usual 422
                raise json.JSONDecodeError(str(exc), body.decode(errors="replace"), 0) from None
        return self._json


class StrictJSONRoute(APIRoute):
    def get_route_handler(self):
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    # FastAPI's default 422 echoes each rejected "input": a password, or a value
    # (Infinity, a lone surrogate) that JSON cannot carry, which turns the 422 into a 500.
    detail = [{key: error[key] for key in ("type", "loc", "msg")} for error in exc.errors()]
    return JSONResponse({"detail": detail}, status_code=422)


def strict_json(app: FastAPI) -> FastAPI:
    """Call before declaring routes: every route added afterwards parses strictly, and the
    app gets a body limit unless it set its own max_body_size. Declare routers as
    APIRouter(route_class=StrictJSONRoute): an included route keeps its router's class, so
    include_router refuses a router whose routes would parse loosely."""
    app.router.route_class = StrictJSONRoute
    include = app.include_router

    def include_router(router: APIRouter, *args: Any, **kwargs: Any) -> None:
        routes = [r for r in router.routes if isinstance(r, APIRoute)]
        loose = [r.path for r in routes if not isinstance(r, StrictJSONRoute)]
        if loose:
            raise TypeError(f"{loose}: use APIRouter(route_class=StrictJSONRoute)")
        include(router, *args, **kwargs)

    app.include_router = include_router
    app.add_exception_handler(RequestValidationError, validation_error)
    if app.max_body_size is None:
        app.max_body_size = MAX_JSON_BYTES
    return app
