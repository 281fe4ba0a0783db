"""Placeholder: each handler is written in its own change."""
from aiohttp import web


async def add_user(request):
    raise web.HTTPNotImplemented()


async def audit_log(request):
    raise web.HTTPNotImplemented()


async def create_entry(request):
    raise web.HTTPNotImplemented()


async def edit_entry(request):
    raise web.HTTPNotImplemented()


async def exchange(request):
    raise web.HTTPNotImplemented()


async def history(request):
    raise web.HTTPNotImplemented()


async def import_entries(request):
    raise web.HTTPNotImplemented()


async def index(request):
    raise web.HTTPNotImplemented()


async def new_entry(request):
    raise web.HTTPNotImplemented()


async def restore(request):
    raise web.HTTPNotImplemented()


async def retire_entry(request):
    raise web.HTTPNotImplemented()


async def save_entry(request):
    raise web.HTTPNotImplemented()


async def set_user_active(request):
    raise web.HTTPNotImplemented()


async def users(request):
    raise web.HTTPNotImplemented()

