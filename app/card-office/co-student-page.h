/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"
#include "co-store.h"

G_BEGIN_DECLS

#define CO_TYPE_STUDENT_PAGE (co_student_page_get_type ())

G_DECLARE_FINAL_TYPE (CoStudentPage, co_student_page, CO, STUDENT_PAGE, GtkWidget)

/* Shows the student @edu_id: what the store knows at once, then the
 * server's answer. */
void         co_student_page_show          (CoStudentPage *self,
                                            CoClient      *client,
                                            CoStore       *store,
                                            const char    *edu_id);
const char  *co_student_page_get_edu_id    (CoStudentPage *self);
CoStudent   *co_student_page_get_student   (CoStudentPage *self);
CoReissue   *co_student_page_get_reissue   (CoStudentPage *self);
/* No request under way. */
gboolean     co_student_page_get_idle      (CoStudentPage *self);
/* Runs @action whether or not the rules allow it here (the server then
 * refuses it, in words); the enabled buttons call it too. */
void         co_student_page_perform       (CoStudentPage *self,
                                            CoAction       action);
/* The error the page shows (in words), or NULL. */
const char  *co_student_page_get_error     (CoStudentPage *self);

G_END_DECLS
