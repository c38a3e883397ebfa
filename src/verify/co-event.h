/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoEvent: an event students check in to (an exam, a trip): its name and
 * date, who may come (nobody listed: everybody; otherwise the students,
 * grades and classes allowed) and who has checked in, when.
 */
#pragma once

#include <gio/gio.h>

#include "co-model.h"

G_BEGIN_DECLS

#define CO_TYPE_EVENT (co_event_get_type ())
G_DECLARE_FINAL_TYPE (CoEvent, co_event, CO, EVENT, GObject)

/* @date: YYYY-MM-DD. The event gets a new random ID. */
CoEvent      *co_event_new             (const char *name,
                                        const char *date);
/* An event saved before (co-store-events.h), under its own @id. */
CoEvent      *co_event_new_with_id     (const char *id,
                                        const char *name,
                                        const char *date);
/* What its check-ins are filed under (co_store_add_check_in ()). */
const char   *co_event_get_id          (CoEvent    *self);
const char   *co_event_get_name        (CoEvent    *self);
const char   *co_event_get_date        (CoEvent    *self);

/* The list of allowed students. Each call widens it. */
void          co_event_allow_student   (CoEvent    *self,
                                        const char *edu_id);
void          co_event_allow_grade     (CoEvent    *self,
                                        int         grade);
void          co_event_allow_class     (CoEvent    *self,
                                        int         grade,
                                        const char *class_name);
/* FALSE: no list, every student of the school may come. */
gboolean      co_event_has_list        (CoEvent    *self);
/* How many education IDs, grades and classes the list names. */
guint         co_event_get_n_allowed_students (CoEvent *self);
guint         co_event_get_n_allowed_grades   (CoEvent *self);
guint         co_event_get_n_allowed_classes  (CoEvent *self);
/* The list as JSON, {"grades":[7],"classes":[[7,"1班"]],"students":[...]},
 * sorted (stable for a given list); NULL when there is no list. */
char         *co_event_list_to_json    (CoEvent    *self);
/* Widens the list by what @json names (co_event_list_to_json ()). */
gboolean      co_event_list_from_json  (CoEvent    *self,
                                        const char *json,
                                        GError    **error);
gboolean      co_event_allows          (CoEvent    *self,
                                        CoStudent  *student);

/* Records the first check-in of @edu_id (a later one is ignored: FALSE). */
gboolean      co_event_check_in        (CoEvent    *self,
                                        const char *edu_id,
                                        GDateTime  *at);
/* When @edu_id checked in, or NULL. */
GDateTime    *co_event_get_check_in    (CoEvent    *self,
                                        const char *edu_id);
guint         co_event_get_n_check_ins (CoEvent    *self);

G_END_DECLS
