/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Events (核验 at an exam, a trip) kept in the store, so they and the
 * event being checked in survive a restart. An event's check-ins are the
 * store's (co_store_add_check_in ()); loading an event reads its valid
 * check-ins back into it, so a student checked in before a restart is
 * still ALREADY_CHECKED_IN after it.
 *
 * Main thread (the store's).
 */
#pragma once

#include "co-event.h"
#include "co-store.h"

G_BEGIN_DECLS

#define CO_STORE_EVENTS_ERROR (co_store_events_error_quark ())

typedef enum
{
  /* The event has check-ins still waiting in the outbox. */
  CO_STORE_EVENTS_ERROR_PENDING,
} CoStoreEventsError;

GQuark        co_store_events_error_quark     (void);

/* Saves @event (name, date, list), replacing the one with its ID. */
gboolean      co_store_put_event              (CoStore     *self,
                                               CoEvent     *event,
                                               GError     **error);
/* Every saved event, newest date first, with its check-ins. Of CoEvent. */
GPtrArray    *co_store_list_events            (CoStore     *self,
                                               GError     **error);
/* Renames the saved event @event_id (its check-ins stay). */
gboolean      co_store_rename_event           (CoStore     *self,
                                               const char  *event_id,
                                               const char  *name,
                                               GError     **error);
/* Forgets the saved event @event_id (and the pick, if it was picked).
 * Refused with CO_STORE_EVENTS_ERROR_PENDING, deleting nothing, while
 * any of its check-ins is still waiting in the outbox. Its check-ins are
 * kept (they are the record, and the server has them). */
gboolean      co_store_delete_event           (CoStore     *self,
                                               const char  *event_id,
                                               GError     **error);
/* The event being checked in to: NULL for none. */
gboolean      co_store_set_current_event      (CoStore     *self,
                                               const char  *event_id,
                                               GError     **error);
char         *co_store_get_current_event_id   (CoStore     *self);

G_END_DECLS
