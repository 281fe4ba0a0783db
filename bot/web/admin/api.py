"""Placeholder: each handler is written in its own change."""
from aiohttp import web


async def add_user(request):
    raise web.HTTPNotImplemented()


async def audit_log(request):
    raise web.HTTPNotImplemented()


async def create_entry(request):
    raise web.HTTPNotImplemented()


async def entry_history(request):
    raise web.HTTPNotImplemented()


async def export_entries(request):
    raise web.HTTPNotImplemented()


async def get_entry(request):
    raise web.HTTPNotImplemented()


async def import_entries(request):
    raise web.HTTPNotImplemented()


async def json(request):
    raise web.HTTPNotImplemented()


async def list_entries(request):
    raise web.HTTPNotImplemented()


async def list_users(request):
    raise web.HTTPNotImplemented()


async def openapi_document(request):
    raise web.HTTPNotImplemented()


async def preview(request):
    raise web.HTTPNotImplemented()


async def restore_entry(request):
    raise web.HTTPNotImplemented()


async def retire_entry(request):
    raise web.HTTPNotImplemented()


async def set_user_active(request):
    raise web.HTTPNotImplemented()


async def update_entry(request):
    raise web.HTTPNotImplemented()

