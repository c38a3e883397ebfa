/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-model"

#include "config.h"

#include "co-card.h"
#include "co-enum-types.h"
#include "co-model-private.h"

struct _CoCard
{
  GObject parent_instance;

  char        *card_no;
  char        *bjt_no;
  char        *uid;
  CoCardStatus status;
  char        *edu_id;
  char        *issued_on;
};

G_DEFINE_FINAL_TYPE (CoCard, co_card, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CARD_NO,
  PROP_BJT_NO,
  PROP_UID,
  PROP_STATUS,
  PROP_EDU_ID,
  PROP_ISSUED_ON,
  N_PROPS,
};

static GParamSpec *properties [N_PROPS];

static void
co_card_finalize (GObject *object)
{
  CoCard *self = (CoCard *) object;

  g_clear_pointer (&self->card_no, g_free);
  g_clear_pointer (&self->bjt_no, g_free);
  g_clear_pointer (&self->uid, g_free);
  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->issued_on, g_free);

  G_OBJECT_CLASS (co_card_parent_class)->finalize (object);
}

static void
co_card_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CoCard *self = CO_CARD (object);

  switch (prop_id)
    {
    case PROP_CARD_NO:
      g_value_set_string (value, co_card_get_card_no (self));
      break;

    case PROP_BJT_NO:
      g_value_set_string (value, co_card_get_bjt_no (self));
      break;

    case PROP_UID:
      g_value_set_string (value, co_card_get_uid (self));
      break;

    case PROP_STATUS:
      g_value_set_enum (value, co_card_get_status (self));
      break;

    case PROP_EDU_ID:
      g_value_set_string (value, co_card_get_edu_id (self));
      break;

    case PROP_ISSUED_ON:
      g_value_set_string (value, co_card_get_issued_on (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_card_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CoCard *self = CO_CARD (object);

  switch (prop_id)
    {
    case PROP_CARD_NO:
      co_card_set_card_no (self, g_value_get_string (value));
      break;

    case PROP_BJT_NO:
      co_card_set_bjt_no (self, g_value_get_string (value));
      break;

    case PROP_UID:
      co_card_set_uid (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      co_card_set_status (self, g_value_get_enum (value));
      break;

    case PROP_EDU_ID:
      co_card_set_edu_id (self, g_value_get_string (value));
      break;

    case PROP_ISSUED_ON:
      co_card_set_issued_on (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_card_class_init (CoCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_card_finalize;
  object_class->get_property = co_card_get_property;
  object_class->set_property = co_card_set_property;

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

  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       CO_TYPE_CARD_STATUS, CO_CARD_STATUS_NOT_ISSUED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* the holder's 教育ID */
  properties [PROP_EDU_ID] =
    g_param_spec_string ("edu-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* YYYY-MM-DD */
  properties [PROP_ISSUED_ON] =
    g_param_spec_string ("issued-on", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
co_card_init (CoCard *self)
{
  self->status = CO_CARD_STATUS_NOT_ISSUED;
}

/**
 * co_card_new:
 * @card_no: the transit card number (一卡通号)
 *
 * Returns: (transfer full): a new #CoCard, %CO_CARD_STATUS_NOT_ISSUED
 */
CoCard *
co_card_new (const char *card_no)
{
  return g_object_new (CO_TYPE_CARD,
                       "card-no", card_no,
                       NULL);
}

const char *
co_card_get_card_no (CoCard *self)
{
  g_return_val_if_fail (CO_IS_CARD (self), NULL);

  return self->card_no;
}

const char *
co_card_get_bjt_no (CoCard *self)
{
  g_return_val_if_fail (CO_IS_CARD (self), NULL);

  return self->bjt_no;
}

const char *
co_card_get_uid (CoCard *self)
{
  g_return_val_if_fail (CO_IS_CARD (self), NULL);

  return self->uid;
}

CoCardStatus
co_card_get_status (CoCard *self)
{
  g_return_val_if_fail (CO_IS_CARD (self), CO_CARD_STATUS_NOT_ISSUED);

  return self->status;
}

const char *
co_card_get_edu_id (CoCard *self)
{
  g_return_val_if_fail (CO_IS_CARD (self), NULL);

  return self->edu_id;
}

const char *
co_card_get_issued_on (CoCard *self)
{
  g_return_val_if_fail (CO_IS_CARD (self), NULL);

  return self->issued_on;
}

void
co_card_set_card_no (CoCard     *self,
                     const char *card_no)
{
  g_return_if_fail (CO_IS_CARD (self));

  if (_co_set_string (&self->card_no, card_no))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CARD_NO]);
}

void
co_card_set_bjt_no (CoCard     *self,
                    const char *bjt_no)
{
  g_return_if_fail (CO_IS_CARD (self));

  if (_co_set_string (&self->bjt_no, bjt_no))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BJT_NO]);
}

void
co_card_set_uid (CoCard     *self,
                 const char *uid)
{
  g_autofree char *up = NULL;

  g_return_if_fail (CO_IS_CARD (self));

  up = uid != NULL ? g_ascii_strup (uid, -1) : NULL;
  if (_co_set_string (&self->uid, up))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_UID]);
}

void
co_card_set_status (CoCard       *self,
                    CoCardStatus  status)
{
  g_return_if_fail (CO_IS_CARD (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
}

void
co_card_set_edu_id (CoCard     *self,
                    const char *edu_id)
{
  g_return_if_fail (CO_IS_CARD (self));

  if (_co_set_string (&self->edu_id, edu_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDU_ID]);
}

void
co_card_set_issued_on (CoCard     *self,
                       const char *issued_on)
{
  g_return_if_fail (CO_IS_CARD (self));

  if (_co_set_string (&self->issued_on, issued_on))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ISSUED_ON]);
}
