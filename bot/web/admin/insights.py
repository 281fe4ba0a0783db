"""The inbox of unanswered questions and the dashboard: pages and API (to be written)."""
from aiohttp import web

OPENAPI_PATHS: dict = {}


async def inbox_page(request):
    raise web.HTTPNotImplemented()


async def mark_handled_page(request):
    raise web.HTTPNotImplemented()


async def dashboard_page(request):
    raise web.HTTPNotImplemented()


async def inbox(request):
    raise web.HTTPNotImplemented()


async def mark_handled(request):
    raise web.HTTPNotImplemented()


async def dashboard(request):
    raise web.HTTPNotImplemented()
