/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Internal to src/store (and its tests): what the sync and the list model
 * use of the store.
 */
#pragma once

#include <sqlite3.h>

#include "co-store.h"
#include "co-json.h"

G_BEGIN_DECLS

/* Education IDs are 8 digits: the list model keeps them inline. */
typedef struct
{
  char id[9];
} CoEduId;

/* What a write changed, for the list model. */
typedef struct
{
  GPtrArray *changed;            /* of char *: added or updated students */
  guint      n_removed;
  gboolean   membership_changed; /* a student came or left */
} CoStoreChanges;

CoStoreChanges *_co_store_changes_new        (void);
void            _co_store_changes_free       (CoStoreChanges *changes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoStoreChanges, _co_store_changes_free)

/* Any thread. Applies @page and saves its cursor (and @scope) in one
 * transaction; @reset forgets the old snapshot first, in the same
 * transaction. Adds what changed to @changes. */
gboolean        _co_store_apply_roster_page  (CoStore            *self,
                                              const CoRosterDelta *page,
                                              gboolean            reset,
                                              const char         *scope,
                                              CoStoreChanges     *changes,
                                              GError            **error);

/* Main thread: one sync at a time per store (FALSE: one is running). */
gboolean        _co_store_begin_sync         (CoStore            *self);
void            _co_store_end_sync           (CoStore            *self);

/* Main thread: tell the list model and "changed" listeners; coalesced
 * over a short delay unless flushed. Takes @changes. */
void            _co_store_queue_changes      (CoStore            *self,
                                              CoStoreChanges     *changes);
void            _co_store_flush_changes      (CoStore            *self);

/* Main thread: for CoStoreStudents. */
GArray         *_co_store_load_edu_ids       (CoStore            *self);
gboolean        _co_store_read_student       (CoStore            *self,
                                              const char         *edu_id,
                                              CoStudent          *update,
                                              CoStudent         **out);

/* For co-store-events.c: the write connection, locked until unlocked
 * (any thread); the owning thread's read connection. */
sqlite3        *_co_store_lock_write         (CoStore            *self);
void            _co_store_unlock_write       (CoStore            *self);
sqlite3        *_co_store_get_read_db        (CoStore            *self);

G_END_DECLS
