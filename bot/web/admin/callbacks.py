"""Callback requests from residents: pages and API (to be written)."""
from aiohttp import web

OPENAPI_PATHS: dict = {}


async def callbacks_page(request):
    raise web.HTTPNotImplemented()


async def set_status_page(request):
    raise web.HTTPNotImplemented()


async def list_callbacks(request):
    raise web.HTTPNotImplemented()


async def set_status(request):
    raise web.HTTPNotImplemented()
