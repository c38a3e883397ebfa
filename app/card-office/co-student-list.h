/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <gio/gio.h>

#include "co-store.h"

G_BEGIN_DECLS

#define CO_TYPE_STUDENT_LIST (co_student_list_get_type ())
G_DECLARE_FINAL_TYPE (CoStudentList, co_student_list, CO, STUDENT_LIST, GObject)

/* One education ID (8 digits and a NUL). */
typedef struct
{
  char id[9];
} CoStudentListId;

CoStudentList *co_student_list_new       (void);
void           co_student_list_set_store (CoStudentList         *self,
                                          CoStore               *store);
/* Shows @ids (copied) in that order. @reset: every row changed (the
 * students may have changed); else only the rows that differ from the
 * ones shown are announced. */
void           co_student_list_set_ids   (CoStudentList         *self,
                                          const CoStudentListId *ids,
                                          guint                  n_ids,
                                          gboolean               reset);

G_END_DECLS
