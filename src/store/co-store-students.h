/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoStoreStudents: the store's GListModel of CoStudent (private). It keeps
 * only the ordered education IDs (9 bytes each) and makes a CoStudent when
 * asked for one; a student still held elsewhere is found again and updated
 * in place.
 */
#pragma once

#include <gio/gio.h>

#include "co-store-private.h"

G_BEGIN_DECLS

#define CO_TYPE_STORE_STUDENTS (co_store_students_get_type ())
G_DECLARE_FINAL_TYPE (CoStoreStudents, co_store_students, CO, STORE_STUDENTS, GObject)

CoStoreStudents *_co_store_students_new     (CoStore         *store);
/* Reloads what @changes touched and emits items-changed. */
void             _co_store_students_apply   (CoStoreStudents *self,
                                             CoStoreChanges  *changes);
/* The one instance for @edu_id (live while somebody holds it), or NULL. */
CoStudent       *_co_store_students_lookup  (CoStoreStudents *self,
                                             const char      *edu_id);
/* Drops the link to the store (it is going away). */
void             _co_store_students_detach  (CoStoreStudents *self);

G_END_DECLS
