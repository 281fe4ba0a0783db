"""Every URL of the staff admin, in one place: HTML pages and the JSON API."""
from pathlib import Path

from aiohttp import web

from bot.web.admin import (
    api, auth, callbacks, fixed_texts, insights, live, live_events, live_pages, openapi, pages, review_dates,
    translations,
)

STATIC = Path(__file__).resolve().parent.parent / "static"


def setup_admin_routes(app: web.Application) -> None:
    r = app.router
    # Pages (server-rendered; forms post back to them)
    r.add_get("/admin/login", auth.login_page, name="admin_login")
    r.add_post("/admin/login", auth.login)
    r.add_post("/admin/logout", auth.logout, name="admin_logout")
    r.add_get("/admin", pages.index, name="admin_index")
    r.add_get("/admin/entries/new", pages.new_entry, name="admin_new_entry")
    r.add_post("/admin/entries/new", pages.create_entry)
    r.add_get("/admin/entries/{id}", pages.edit_entry, name="admin_entry")
    r.add_post("/admin/entries/{id}", pages.save_entry)
    r.add_post("/admin/entries/{id}/retire", pages.retire_entry, name="admin_retire")
    r.add_get("/admin/entries/{id}/history", pages.history, name="admin_history")
    r.add_post("/admin/entries/{id}/restore", pages.restore, name="admin_restore")
    r.add_post("/admin/entries/{id}/checked", pages.mark_checked, name="admin_checked")
    r.add_get("/admin/entries/{id}/translations/{language}", translations.translation_page, name="admin_translation")
    r.add_post("/admin/entries/{id}/translations/{language}", translations.save_translation_page)
    r.add_post("/admin/entries/{id}/translations/{language}/confirm", translations.confirm_translation_page,
               name="admin_translation_confirm")
    r.add_post("/admin/entries/{id}/translations/{language}/delete", translations.delete_translation_page,
               name="admin_translation_delete")
    r.add_get("/admin/fixed-translations", fixed_texts.fixed_page, name="admin_fixed_translations")
    r.add_post("/admin/fixed-translations/{language}", fixed_texts.record_page, name="admin_fixed_review")
    r.add_get("/admin/exchange", pages.exchange, name="admin_exchange")
    r.add_get("/admin/export.yml", api.export_entries, name="admin_export")
    r.add_post("/admin/import", pages.import_entries, name="admin_import")
    r.add_get("/admin/users", pages.users, name="admin_users")
    r.add_post("/admin/users", pages.add_user)
    r.add_post("/admin/users/{name}/active", pages.set_user_active, name="admin_user_active")
    r.add_get("/admin/audit", pages.audit_log, name="admin_audit")
    r.add_get("/admin/callbacks", callbacks.callbacks_page, name="admin_callbacks")
    r.add_post("/admin/callbacks/{id}/status", callbacks.set_status_page, name="admin_callback_status")
    r.add_get("/admin/inbox", insights.inbox_page, name="admin_inbox")
    r.add_post("/admin/inbox/handled", insights.mark_handled_page, name="admin_inbox_handled")
    r.add_get("/admin/dashboard", insights.dashboard_page, name="admin_dashboard")
    r.add_get("/admin/live", live_pages.live_page, name="admin_live")
    r.add_get("/admin/live/events", live_events.queue_events, name="admin_live_events")  # before /{id}
    r.add_post("/admin/live/closed-today", live_pages.close_today_page, name="admin_live_closed_today")
    r.add_post("/admin/live/{id}/take", live_pages.take_page, name="admin_live_take")
    r.add_get("/admin/live/{id}", live_pages.chat_page, name="admin_live_chat")
    r.add_get("/admin/live/{id}/events", live_events.chat_events, name="admin_live_chat_events")
    r.add_post("/admin/live/{id}/send", live_pages.send_page, name="admin_live_send")
    r.add_post("/admin/live/{id}/end", live_pages.end_page, name="admin_live_end")
    r.add_get("/admin/static/admin.css", lambda request: web.FileResponse(STATIC / "admin.css"))
    r.add_get("/admin/static/admin-lix.js", lambda request: web.FileResponse(STATIC / "admin-lix.js"))
    r.add_get("/admin/static/admin-live.js", lambda request: web.FileResponse(STATIC / "admin-live.js"))
    # JSON API, described by /admin/api/openapi.json
    r.add_get("/admin/api/openapi.json", openapi.openapi_document, name="admin_openapi")
    r.add_get("/admin/api/entries", api.list_entries)
    r.add_post("/admin/api/entries", api.create_entry)
    r.add_get("/admin/api/entries/{id}", api.get_entry)
    r.add_put("/admin/api/entries/{id}", api.update_entry)
    r.add_post("/admin/api/entries/{id}/retire", api.retire_entry)
    r.add_get("/admin/api/entries/{id}/history", api.entry_history)
    r.add_post("/admin/api/entries/{id}/restore", api.restore_entry)
    r.add_get("/admin/api/entries/{id}/translations", translations.list_translations)
    r.add_put("/admin/api/entries/{id}/translations/{language}", translations.put_translation)
    r.add_delete("/admin/api/entries/{id}/translations/{language}", translations.delete_translation)
    r.add_post("/admin/api/entries/{id}/translations/{language}/confirm", translations.confirm_translation)
    r.add_post("/admin/api/preview", api.preview)
    r.add_get("/admin/api/export", api.export_entries)
    r.add_post("/admin/api/import", api.import_entries)
    r.add_get("/admin/api/users", api.list_users)
    r.add_post("/admin/api/users", api.add_user)
    r.add_post("/admin/api/users/{name}/active", api.set_user_active)
    r.add_get("/admin/api/audit", api.audit_log)
    r.add_get("/admin/api/callbacks", callbacks.list_callbacks)
    r.add_post("/admin/api/callbacks/{id}/status", callbacks.set_status)
    r.add_get("/admin/api/inbox", insights.inbox)
    r.add_post("/admin/api/inbox/handled", insights.mark_handled)
    r.add_get("/admin/api/dashboard", insights.dashboard)
    r.add_get("/admin/api/reviews", review_dates.list_due)
    r.add_post("/admin/api/reviews/{id}/checked", review_dates.mark_checked)
    r.add_get("/admin/api/fixed-translations", fixed_texts.list_fixed)
    r.add_post("/admin/api/fixed-translations/{language}/reviews", fixed_texts.record_reviews)
    r.add_get("/admin/api/live", live.list_live)
    r.add_post("/admin/api/live/closed-days", live.close_day)
    r.add_get("/admin/api/live/{id}", live.get_chat)
    r.add_post("/admin/api/live/{id}/take", live.take)
    r.add_post("/admin/api/live/{id}/send", live.send)
    r.add_post("/admin/api/live/{id}/typing", live.typing)
    r.add_post("/admin/api/live/{id}/seen", live.seen)
    r.add_post("/admin/api/live/{id}/end", live.end)
    # The live pages' streams, and their end when the app shuts down.
    live_events.setup_live_streams(app)
