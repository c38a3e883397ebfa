/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-event.h"

G_BEGIN_DECLS

typedef enum
{
  CO_EVENT_LIST_EVERYBODY,
  CO_EVENT_LIST_GRADES,
  CO_EVENT_LIST_CLASSES,
  CO_EVENT_LIST_IMPORTED,
} CoEventListKind;

#define CO_TYPE_EVENT_DIALOG (co_event_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CoEventDialog, co_event_dialog, CO, EVENT_DIALOG, AdwWindow)

/* "event-created" (CoEvent *) when 创建 succeeds; the dialog then closes. */
CoEventDialog *co_event_dialog_new            (GtkWindow     *parent,
                                               const char    *today);

/* Reads a list of education IDs (CSV/TSV; a column named edu_id or 教育ID,
 * else the first); what it read replaces the dialog's imported list.
 * FALSE with a translated message. */
gboolean       co_event_dialog_import_file    (CoEventDialog *self,
                                               GFile         *file,
                                               GError       **error);
/* The event the fields describe, or NULL with a translated message (the
 * fields stay as typed). */
CoEvent       *co_event_dialog_build_event    (CoEventDialog *self,
                                               GError       **error);

/* Pure parsing, for tests: "7, 8" → grades; "7/1班, 8/2班" → classes.
 * FALSE with a translated message naming the bad part. */
gboolean       co_event_parse_grades          (const char    *text,
                                               CoEvent       *event,
                                               GError       **error);
gboolean       co_event_parse_classes         (const char    *text,
                                               CoEvent       *event,
                                               GError       **error);

G_END_DECLS
