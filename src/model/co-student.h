/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoStudent: one student of the school's roster and the status of the
 * student's current card.
 */
#pragma once

#include <glib-object.h>

#include "co-types.h"

G_BEGIN_DECLS

#define CO_TYPE_STUDENT (co_student_get_type ())
G_DECLARE_FINAL_TYPE (CoStudent, co_student, CO, STUDENT, GObject)

CoStudent    *co_student_new             (const char *edu_id,
                                          const char *name);

const char   *co_student_get_edu_id      (CoStudent *self);
const char   *co_student_get_name        (CoStudent *self);
CoGender      co_student_get_gender      (CoStudent *self);
int           co_student_get_grade       (CoStudent *self);
const char   *co_student_get_class_name  (CoStudent *self);
CoStage       co_student_get_stage       (CoStudent *self);
const char   *co_student_get_school      (CoStudent *self);
CoEntry       co_student_get_entry       (CoStudent *self);
CoCardStatus  co_student_get_card_status (CoStudent *self);
const char   *co_student_get_card_no     (CoStudent *self);
const char   *co_student_get_bjt_no      (CoStudent *self);
const char   *co_student_get_uid         (CoStudent *self);
const char   *co_student_get_valid_until (CoStudent *self);
const char   *co_student_get_photo_etag  (CoStudent *self);

void          co_student_set_edu_id      (CoStudent  *self,
                                          const char *edu_id);
void          co_student_set_name        (CoStudent  *self,
                                          const char *name);
void          co_student_set_gender      (CoStudent *self,
                                          CoGender   gender);
void          co_student_set_grade       (CoStudent *self,
                                          int        grade);
void          co_student_set_class_name  (CoStudent  *self,
                                          const char *class_name);
void          co_student_set_school      (CoStudent  *self,
                                          const char *school);
void          co_student_set_entry       (CoStudent *self,
                                          CoEntry    entry);
void          co_student_set_card_status (CoStudent    *self,
                                          CoCardStatus  card_status);
void          co_student_set_card_no     (CoStudent  *self,
                                          const char *card_no);
void          co_student_set_bjt_no      (CoStudent  *self,
                                          const char *bjt_no);
void          co_student_set_uid         (CoStudent  *self,
                                          const char *uid);
void          co_student_set_valid_until (CoStudent  *self,
                                          const char *valid_until);
void          co_student_set_photo_etag  (CoStudent  *self,
                                          const char *photo_etag);

G_END_DECLS
