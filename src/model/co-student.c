/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-model"

#include "config.h"

#include "co-student.h"
#include "co-enum-types.h"
#include "co-model-private.h"

struct _CoStudent
{
  GObject parent_instance;

  char        *edu_id;
  char        *name;
  CoGender     gender;
  int          grade;
  char        *class_name;
  char        *school;
  CoEntry      entry;
  CoCardStatus card_status;
  char        *card_no;
  char        *bjt_no;
  char        *uid;
  char        *valid_until;
  char        *photo_etag;
};

G_DEFINE_FINAL_TYPE (CoStudent, co_student, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_EDU_ID,
  PROP_NAME,
  PROP_GENDER,
  PROP_GRADE,
  PROP_CLASS_NAME,
  PROP_STAGE,
  PROP_SCHOOL,
  PROP_ENTRY,
  PROP_CARD_STATUS,
  PROP_CARD_NO,
  PROP_BJT_NO,
  PROP_UID,
  PROP_VALID_UNTIL,
  PROP_PHOTO_ETAG,
  N_PROPS,
};

static GParamSpec *properties [N_PROPS];

static void
co_student_finalize (GObject *object)
{
  CoStudent *self = (CoStudent *) object;

  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->class_name, g_free);
  g_clear_pointer (&self->school, g_free);
  g_clear_pointer (&self->card_no, g_free);
  g_clear_pointer (&self->bjt_no, g_free);
  g_clear_pointer (&self->uid, g_free);
  g_clear_pointer (&self->valid_until, g_free);
  g_clear_pointer (&self->photo_etag, g_free);

  G_OBJECT_CLASS (co_student_parent_class)->finalize (object);
}

static void
co_student_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CoStudent *self = CO_STUDENT (object);

  switch (prop_id)
    {
    case PROP_EDU_ID:
      g_value_set_string (value, co_student_get_edu_id (self));
      break;

    case PROP_NAME:
      g_value_set_string (value, co_student_get_name (self));
      break;

    case PROP_GENDER:
      g_value_set_enum (value, co_student_get_gender (self));
      break;

    case PROP_GRADE:
      g_value_set_int (value, co_student_get_grade (self));
      break;

    case PROP_CLASS_NAME:
      g_value_set_string (value, co_student_get_class_name (self));
      break;

    case PROP_STAGE:
      g_value_set_enum (value, co_student_get_stage (self));
      break;

    case PROP_SCHOOL:
      g_value_set_string (value, co_student_get_school (self));
      break;

    case PROP_ENTRY:
      g_value_set_enum (value, co_student_get_entry (self));
      break;

    case PROP_CARD_STATUS:
      g_value_set_enum (value, co_student_get_card_status (self));
      break;

    case PROP_CARD_NO:
      g_value_set_string (value, co_student_get_card_no (self));
      break;

    case PROP_BJT_NO:
      g_value_set_string (value, co_student_get_bjt_no (self));
      break;

    case PROP_UID:
      g_value_set_string (value, co_student_get_uid (self));
      break;

    case PROP_VALID_UNTIL:
      g_value_set_string (value, co_student_get_valid_until (self));
      break;

    case PROP_PHOTO_ETAG:
      g_value_set_string (value, co_student_get_photo_etag (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_student_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CoStudent *self = CO_STUDENT (object);

  switch (prop_id)
    {
    case PROP_EDU_ID:
      co_student_set_edu_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      co_student_set_name (self, g_value_get_string (value));
      break;

    case PROP_GENDER:
      co_student_set_gender (self, g_value_get_enum (value));
      break;

    case PROP_GRADE:
      co_student_set_grade (self, g_value_get_int (value));
      break;

    case PROP_CLASS_NAME:
      co_student_set_class_name (self, g_value_get_string (value));
      break;

    case PROP_SCHOOL:
      co_student_set_school (self, g_value_get_string (value));
      break;

    case PROP_ENTRY:
      co_student_set_entry (self, g_value_get_enum (value));
      break;

    case PROP_CARD_STATUS:
      co_student_set_card_status (self, g_value_get_enum (value));
      break;

    case PROP_CARD_NO:
      co_student_set_card_no (self, g_value_get_string (value));
      break;

    case PROP_BJT_NO:
      co_student_set_bjt_no (self, g_value_get_string (value));
      break;

    case PROP_UID:
      co_student_set_uid (self, g_value_get_string (value));
      break;

    case PROP_VALID_UNTIL:
      co_student_set_valid_until (self, g_value_get_string (value));
      break;

    case PROP_PHOTO_ETAG:
      co_student_set_photo_etag (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_student_class_init (CoStudentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_student_finalize;
  object_class->get_property = co_student_get_property;
  object_class->set_property = co_student_set_property;

  /* 教育ID: 8 digits */
  properties [PROP_EDU_ID] =
    g_param_spec_string ("edu-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 姓名 */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_GENDER] =
    g_param_spec_enum ("gender", NULL, NULL,
                       CO_TYPE_GENDER, CO_GENDER_MALE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 1-12 */
  properties [PROP_GRADE] =
    g_param_spec_int ("grade", NULL, NULL,
                      1, 12, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 班级, e.g. "3班" */
  properties [PROP_CLASS_NAME] =
    g_param_spec_string ("class-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 学段, derived from the grade */
  properties [PROP_STAGE] =
    g_param_spec_enum ("stage", NULL, NULL,
                       CO_TYPE_STAGE, CO_STAGE_PRIMARY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 学校名称 */
  properties [PROP_SCHOOL] =
    g_param_spec_string ("school", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_ENTRY] =
    g_param_spec_enum ("entry", NULL, NULL,
                       CO_TYPE_ENTRY, CO_ENTRY_CONTINUING,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* the current card's status */
  properties [PROP_CARD_STATUS] =
    g_param_spec_enum ("card-status", NULL, NULL,
                       CO_TYPE_CARD_STATUS, CO_CARD_STATUS_NOT_ISSUED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 一卡通号 */
  properties [PROP_CARD_NO] =
    g_param_spec_string ("card-no", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 北京通号 */
  properties [PROP_BJT_NO] =
    g_param_spec_string ("bjt-no", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* chip UID, hex, upper case */
  properties [PROP_UID] =
    g_param_spec_string ("uid", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 有效期, YYYY-MM-DD */
  properties [PROP_VALID_UNTIL] =
    g_param_spec_string ("valid-until", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_PHOTO_ETAG] =
    g_param_spec_string ("photo-etag", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
co_student_init (CoStudent *self)
{
  self->gender = CO_GENDER_MALE;
  self->grade = 1;
  self->entry = CO_ENTRY_CONTINUING;
  self->card_status = CO_CARD_STATUS_NOT_ISSUED;
}

/**
 * co_student_new:
 * @edu_id: the education ID (教育ID)
 * @name: (nullable): the student's name
 *
 * Returns: (transfer full): a new #CoStudent
 */
CoStudent *
co_student_new (const char *edu_id,
                const char *name)
{
  return g_object_new (CO_TYPE_STUDENT,
                       "edu-id", edu_id,
                       "name", name,
                       NULL);
}

const char *
co_student_get_edu_id (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->edu_id;
}

const char *
co_student_get_name (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->name;
}

CoGender
co_student_get_gender (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), CO_GENDER_MALE);

  return self->gender;
}

int
co_student_get_grade (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), 0);

  return self->grade;
}

const char *
co_student_get_class_name (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->class_name;
}

CoStage
co_student_get_stage (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), CO_STAGE_PRIMARY);

  return co_stage_for_grade (self->grade);
}

const char *
co_student_get_school (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->school;
}

CoEntry
co_student_get_entry (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), CO_ENTRY_CONTINUING);

  return self->entry;
}

CoCardStatus
co_student_get_card_status (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), CO_CARD_STATUS_NOT_ISSUED);

  return self->card_status;
}

const char *
co_student_get_card_no (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->card_no;
}

const char *
co_student_get_bjt_no (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->bjt_no;
}

const char *
co_student_get_uid (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->uid;
}

const char *
co_student_get_valid_until (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->valid_until;
}

const char *
co_student_get_photo_etag (CoStudent *self)
{
  g_return_val_if_fail (CO_IS_STUDENT (self), NULL);

  return self->photo_etag;
}

void
co_student_set_edu_id (CoStudent  *self,
                       const char *edu_id)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->edu_id, edu_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDU_ID]);
}

void
co_student_set_name (CoStudent  *self,
                     const char *name)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

void
co_student_set_gender (CoStudent *self,
                       CoGender   gender)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (self->gender == gender)
    return;

  self->gender = gender;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_GENDER]);
}

void
co_student_set_grade (CoStudent *self,
                      int        grade)
{
  CoStage stage;

  g_return_if_fail (CO_IS_STUDENT (self));
  g_return_if_fail (grade >= 1 && grade <= 12);

  if (self->grade == grade)
    return;

  stage = co_stage_for_grade (self->grade);
  self->grade = grade;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_GRADE]);
  if (co_stage_for_grade (grade) != stage)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STAGE]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
co_student_set_class_name (CoStudent  *self,
                           const char *class_name)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->class_name, class_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLASS_NAME]);
}

void
co_student_set_school (CoStudent  *self,
                       const char *school)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->school, school))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SCHOOL]);
}

void
co_student_set_entry (CoStudent *self,
                      CoEntry    entry)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (self->entry == entry)
    return;

  self->entry = entry;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENTRY]);
}

void
co_student_set_card_status (CoStudent    *self,
                            CoCardStatus  card_status)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (self->card_status == card_status)
    return;

  self->card_status = card_status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CARD_STATUS]);
}

void
co_student_set_card_no (CoStudent  *self,
                        const char *card_no)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->card_no, card_no))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CARD_NO]);
}

void
co_student_set_bjt_no (CoStudent  *self,
                       const char *bjt_no)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->bjt_no, bjt_no))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BJT_NO]);
}

void
co_student_set_uid (CoStudent  *self,
                    const char *uid)
{
  g_autofree char *up = NULL;

  g_return_if_fail (CO_IS_STUDENT (self));

  up = uid != NULL ? g_ascii_strup (uid, -1) : NULL;
  if (_co_set_string (&self->uid, up))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UID]);
}

void
co_student_set_valid_until (CoStudent  *self,
                            const char *valid_until)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->valid_until, valid_until))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_VALID_UNTIL]);
}

void
co_student_set_photo_etag (CoStudent  *self,
                           const char *photo_etag)
{
  g_return_if_fail (CO_IS_STUDENT (self));

  if (_co_set_string (&self->photo_etag, photo_etag))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PHOTO_ETAG]);
}
