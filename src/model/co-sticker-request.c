/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-model"

#include "config.h"

#include "co-sticker-request.h"
#include "co-enum-types.h"
#include "co-model-private.h"
#include "co-rules.h"

struct _CoStickerRequest
{
  GObject parent_instance;

  char    *edu_id;
  char    *name;
  int      grade;
  char    *class_name;
  CoEntry  entry;
  char    *photo_path;
  gboolean reissued_in_stage;
};

G_DEFINE_FINAL_TYPE (CoStickerRequest, co_sticker_request, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_EDU_ID,
  PROP_NAME,
  PROP_GRADE,
  PROP_CLASS_NAME,
  PROP_ENTRY,
  PROP_PHOTO_PATH,
  PROP_REISSUED_IN_STAGE,
  N_PROPS,
};

static GParamSpec *properties [N_PROPS];

static void
co_sticker_request_finalize (GObject *object)
{
  CoStickerRequest *self = (CoStickerRequest *) object;

  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->class_name, g_free);
  g_clear_pointer (&self->photo_path, g_free);

  G_OBJECT_CLASS (co_sticker_request_parent_class)->finalize (object);
}

static void
co_sticker_request_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CoStickerRequest *self = CO_STICKER_REQUEST (object);

  switch (prop_id)
    {
    case PROP_EDU_ID:
      g_value_set_string (value, co_sticker_request_get_edu_id (self));
      break;

    case PROP_NAME:
      g_value_set_string (value, co_sticker_request_get_name (self));
      break;

    case PROP_GRADE:
      g_value_set_int (value, co_sticker_request_get_grade (self));
      break;

    case PROP_CLASS_NAME:
      g_value_set_string (value, co_sticker_request_get_class_name (self));
      break;

    case PROP_ENTRY:
      g_value_set_enum (value, co_sticker_request_get_entry (self));
      break;

    case PROP_PHOTO_PATH:
      g_value_set_string (value, co_sticker_request_get_photo_path (self));
      break;

    case PROP_REISSUED_IN_STAGE:
      g_value_set_boolean (value, co_sticker_request_get_reissued_in_stage (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_sticker_request_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CoStickerRequest *self = CO_STICKER_REQUEST (object);

  switch (prop_id)
    {
    case PROP_EDU_ID:
      co_sticker_request_set_edu_id (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      co_sticker_request_set_name (self, g_value_get_string (value));
      break;

    case PROP_GRADE:
      co_sticker_request_set_grade (self, g_value_get_int (value));
      break;

    case PROP_CLASS_NAME:
      co_sticker_request_set_class_name (self, g_value_get_string (value));
      break;

    case PROP_ENTRY:
      co_sticker_request_set_entry (self, g_value_get_enum (value));
      break;

    case PROP_PHOTO_PATH:
      co_sticker_request_set_photo_path (self, g_value_get_string (value));
      break;

    case PROP_REISSUED_IN_STAGE:
      co_sticker_request_set_reissued_in_stage (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_sticker_request_class_init (CoStickerRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_sticker_request_finalize;
  object_class->get_property = co_sticker_request_get_property;
  object_class->set_property = co_sticker_request_set_property;

  properties [PROP_EDU_ID] =
    g_param_spec_string ("edu-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* any number, so that co_rules can refuse a bad one */
  properties [PROP_GRADE] =
    g_param_spec_int ("grade", NULL, NULL,
                      G_MININT, G_MAXINT, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_CLASS_NAME] =
    g_param_spec_string ("class-name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_ENTRY] =
    g_param_spec_enum ("entry", NULL, NULL,
                       CO_TYPE_ENTRY, CO_ENTRY_NEW_ENTRANT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_PHOTO_PATH] =
    g_param_spec_string ("photo-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* had a reissued card in this stage */
  properties [PROP_REISSUED_IN_STAGE] =
    g_param_spec_boolean ("reissued-in-stage", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
co_sticker_request_init (CoStickerRequest *self)
{
  self->grade = 1;
  self->entry = CO_ENTRY_NEW_ENTRANT;
  self->reissued_in_stage = FALSE;
}

/**
 * co_sticker_request_new:
 * @edu_id: the education ID
 * @name: the student's name
 * @grade: the grade
 * @entry: where the student came from
 *
 * Returns: (transfer full): a new #CoStickerRequest
 */
CoStickerRequest *
co_sticker_request_new (const char *edu_id,
                        const char *name,
                        int         grade,
                        CoEntry     entry)
{
  return g_object_new (CO_TYPE_STICKER_REQUEST,
                       "edu-id", edu_id,
                       "name", name,
                       "grade", grade,
                       "entry", entry,
                       NULL);
}

const char *
co_sticker_request_get_edu_id (CoStickerRequest *self)
{
  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), NULL);

  return self->edu_id;
}

const char *
co_sticker_request_get_name (CoStickerRequest *self)
{
  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), NULL);

  return self->name;
}

int
co_sticker_request_get_grade (CoStickerRequest *self)
{
  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), 0);

  return self->grade;
}

const char *
co_sticker_request_get_class_name (CoStickerRequest *self)
{
  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), NULL);

  return self->class_name;
}

CoEntry
co_sticker_request_get_entry (CoStickerRequest *self)
{
  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), CO_ENTRY_NEW_ENTRANT);

  return self->entry;
}

const char *
co_sticker_request_get_photo_path (CoStickerRequest *self)
{
  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), NULL);

  return self->photo_path;
}

gboolean
co_sticker_request_get_reissued_in_stage (CoStickerRequest *self)
{
  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), FALSE);

  return self->reissued_in_stage;
}

void
co_sticker_request_set_edu_id (CoStickerRequest *self,
                               const char       *edu_id)
{
  g_return_if_fail (CO_IS_STICKER_REQUEST (self));

  if (_co_set_string (&self->edu_id, edu_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDU_ID]);
}

void
co_sticker_request_set_name (CoStickerRequest *self,
                             const char       *name)
{
  g_return_if_fail (CO_IS_STICKER_REQUEST (self));

  if (_co_set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

void
co_sticker_request_set_grade (CoStickerRequest *self,
                              int               grade)
{
  g_return_if_fail (CO_IS_STICKER_REQUEST (self));

  if (self->grade == grade)
    return;

  self->grade = grade;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_GRADE]);
}

void
co_sticker_request_set_class_name (CoStickerRequest *self,
                                   const char       *class_name)
{
  g_return_if_fail (CO_IS_STICKER_REQUEST (self));

  if (_co_set_string (&self->class_name, class_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CLASS_NAME]);
}

void
co_sticker_request_set_entry (CoStickerRequest *self,
                              CoEntry           entry)
{
  g_return_if_fail (CO_IS_STICKER_REQUEST (self));

  if (self->entry == entry)
    return;

  self->entry = entry;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ENTRY]);
}

void
co_sticker_request_set_photo_path (CoStickerRequest *self,
                                   const char       *photo_path)
{
  g_return_if_fail (CO_IS_STICKER_REQUEST (self));

  if (_co_set_string (&self->photo_path, photo_path))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PHOTO_PATH]);
}

void
co_sticker_request_set_reissued_in_stage (CoStickerRequest *self,
                                          gboolean          reissued_in_stage)
{
  g_return_if_fail (CO_IS_STICKER_REQUEST (self));

  reissued_in_stage = !!reissued_in_stage;

  if (self->reissued_in_stage == reissued_in_stage)
    return;

  self->reissued_in_stage = reissued_in_stage;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REISSUED_IN_STAGE]);
}

/**
 * co_sticker_request_check:
 * @self: a #CoStickerRequest
 *
 * The education ID, then the eligibility (co_rules_check_sticker()).
 *
 * Returns: %CO_REASON_NONE when the row may be reported
 */
CoReason
co_sticker_request_check (CoStickerRequest *self)
{
  CoReason reason;

  g_return_val_if_fail (CO_IS_STICKER_REQUEST (self), CO_REASON_EDU_ID_INVALID);

  if ((reason = co_rules_check_edu_id (self->edu_id)) != CO_REASON_NONE)
    return reason;

  return co_rules_check_sticker (self->grade, self->entry, self->reissued_in_stage);
}

