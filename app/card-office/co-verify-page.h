/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-attendance.h"
#include "co-client.h"
#include "co-outbox-watcher.h"
#include "co-store.h"
#include "co-verifier.h"

G_BEGIN_DECLS

#define CO_TYPE_VERIFY_PAGE (co_verify_page_get_type ())
G_DECLARE_FINAL_TYPE (CoVerifyPage, co_verify_page, CO, VERIFY_PAGE, GtkWidget)

/* Inside the window, the page takes the application's store and settings
 * when first shown; elsewhere (tests) give them here. */
void              co_verify_page_set_store    (CoVerifyPage *self,
                                               CoStore      *store,
                                               GSettings    *settings);
/* NULL: no event. A VALID verdict checks the student in to @event. */
void              co_verify_page_set_event    (CoVerifyPage *self,
                                               CoEvent      *event);
void              co_verify_page_set_today    (CoVerifyPage *self,
                                               const GDate  *today);
/* The client 发卡/领卡 uses; by default the application's. */
void              co_verify_page_set_client   (CoVerifyPage *self,
                                               CoClient     *client);
/* 发卡/领卡 mode (the handout toggle), as a batch's 发卡 button asks. */
void              co_verify_page_set_handout_mode (CoVerifyPage *self,
                                                   gboolean      handout);
gboolean          co_verify_page_get_handout_mode (CoVerifyPage *self);
CoEvent          *co_verify_page_get_event    (CoVerifyPage *self);
/* Saves @event in the store and makes it the current one (kept over a
 * restart). Needs the store. */
gboolean          co_verify_page_add_event    (CoVerifyPage  *self,
                                               CoEvent       *event,
                                               GError       **error);
/* Renames the current event (kept in the store); a refusal (an empty
 * name, the store failing) is said on the page and in @error. */
gboolean          co_verify_page_rename_event (CoVerifyPage  *self,
                                               const char    *name,
                                               GError       **error);
/* Deletes the current event after the confirmation; refused, said on the
 * page, while any of its check-ins waits in the outbox. Its check-ins
 * already sent are kept. No event is picked afterwards. */
gboolean          co_verify_page_delete_event (CoVerifyPage  *self,
                                               GError       **error);
/* Who uploads the outbox; the page shows how many items wait. */
void              co_verify_page_set_outbox_watcher (CoVerifyPage    *self,
                                                     CoOutboxWatcher *watcher);
/* 导出考勤: the current event's attendance to @file (CSV, UTF-8 with a
 * BOM, mode 0600); the result (or the failure) is shown on the page. */
gboolean          co_verify_page_export_attendance (CoVerifyPage        *self,
                                                    GFile               *file,
                                                    CoAttendanceCounts  *counts,
                                                    GError             **error);
/* The verdict shown, or NULL. */
const CoVerdict  *co_verify_page_get_verdict  (CoVerifyPage *self);
gboolean          co_verify_page_get_reader_connected (CoVerifyPage *self);

G_END_DECLS
