/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-model"

#include "config.h"

#include "co-reissue.h"
#include "co-enum-types.h"
#include "co-model-private.h"

struct _CoReissue
{
  GObject parent_instance;

  char           *id;
  char           *edu_id;
  CoReissueStatus status;
  CoDelivery      delivery;
  char           *address;
  char           *recipient;
  char           *phone;
  int             fee_fen;
  int             courier_fee_fen;
  char           *courier_no;
  char           *created_at;
  char           *paid_at;
  char           *due_on;
};

G_DEFINE_FINAL_TYPE (CoReissue, co_reissue, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_EDU_ID,
  PROP_STATUS,
  PROP_DELIVERY,
  PROP_ADDRESS,
  PROP_RECIPIENT,
  PROP_PHONE,
  PROP_FEE_FEN,
  PROP_COURIER_FEE_FEN,
  PROP_COURIER_NO,
  PROP_CREATED_AT,
  PROP_PAID_AT,
  PROP_DUE_ON,
  N_PROPS,
};

static GParamSpec *properties [N_PROPS];

static void
co_reissue_finalize (GObject *object)
{
  CoReissue *self = (CoReissue *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->edu_id, g_free);
  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->recipient, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->courier_no, g_free);
  g_clear_pointer (&self->created_at, g_free);
  g_clear_pointer (&self->paid_at, g_free);
  g_clear_pointer (&self->due_on, g_free);

  G_OBJECT_CLASS (co_reissue_parent_class)->finalize (object);
}

static void
co_reissue_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CoReissue *self = CO_REISSUE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, co_reissue_get_id (self));
      break;

    case PROP_EDU_ID:
      g_value_set_string (value, co_reissue_get_edu_id (self));
      break;

    case PROP_STATUS:
      g_value_set_enum (value, co_reissue_get_status (self));
      break;

    case PROP_DELIVERY:
      g_value_set_enum (value, co_reissue_get_delivery (self));
      break;

    case PROP_ADDRESS:
      g_value_set_string (value, co_reissue_get_address (self));
      break;

    case PROP_RECIPIENT:
      g_value_set_string (value, co_reissue_get_recipient (self));
      break;

    case PROP_PHONE:
      g_value_set_string (value, co_reissue_get_phone (self));
      break;

    case PROP_FEE_FEN:
      g_value_set_int (value, co_reissue_get_fee_fen (self));
      break;

    case PROP_COURIER_FEE_FEN:
      g_value_set_int (value, co_reissue_get_courier_fee_fen (self));
      break;

    case PROP_COURIER_NO:
      g_value_set_string (value, co_reissue_get_courier_no (self));
      break;

    case PROP_CREATED_AT:
      g_value_set_string (value, co_reissue_get_created_at (self));
      break;

    case PROP_PAID_AT:
      g_value_set_string (value, co_reissue_get_paid_at (self));
      break;

    case PROP_DUE_ON:
      g_value_set_string (value, co_reissue_get_due_on (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_reissue_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CoReissue *self = CO_REISSUE (object);

  switch (prop_id)
    {
    case PROP_ID:
      co_reissue_set_id (self, g_value_get_string (value));
      break;

    case PROP_EDU_ID:
      co_reissue_set_edu_id (self, g_value_get_string (value));
      break;

    case PROP_STATUS:
      co_reissue_set_status (self, g_value_get_enum (value));
      break;

    case PROP_DELIVERY:
      co_reissue_set_delivery (self, g_value_get_enum (value));
      break;

    case PROP_ADDRESS:
      co_reissue_set_address (self, g_value_get_string (value));
      break;

    case PROP_RECIPIENT:
      co_reissue_set_recipient (self, g_value_get_string (value));
      break;

    case PROP_PHONE:
      co_reissue_set_phone (self, g_value_get_string (value));
      break;

    case PROP_FEE_FEN:
      co_reissue_set_fee_fen (self, g_value_get_int (value));
      break;

    case PROP_COURIER_FEE_FEN:
      co_reissue_set_courier_fee_fen (self, g_value_get_int (value));
      break;

    case PROP_COURIER_NO:
      co_reissue_set_courier_no (self, g_value_get_string (value));
      break;

    case PROP_CREATED_AT:
      co_reissue_set_created_at (self, g_value_get_string (value));
      break;

    case PROP_PAID_AT:
      co_reissue_set_paid_at (self, g_value_get_string (value));
      break;

    case PROP_DUE_ON:
      co_reissue_set_due_on (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
co_reissue_class_init (CoReissueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_reissue_finalize;
  object_class->get_property = co_reissue_get_property;
  object_class->set_property = co_reissue_set_property;

  properties [PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_EDU_ID] =
    g_param_spec_string ("edu-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       CO_TYPE_REISSUE_STATUS, CO_REISSUE_STATUS_PENDING_PAYMENT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_DELIVERY] =
    g_param_spec_enum ("delivery", NULL, NULL,
                       CO_TYPE_DELIVERY, CO_DELIVERY_SCHOOL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* home delivery only */
  properties [PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_RECIPIENT] =
    g_param_spec_string ("recipient", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties [PROP_PHONE] =
    g_param_spec_string ("phone", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* 补卡工本费, fen */
  properties [PROP_FEE_FEN] =
    g_param_spec_int ("fee-fen", NULL, NULL,
                      0, G_MAXINT, CO_REISSUE_FEE_FEN,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* paid to the courier on delivery, fen */
  properties [PROP_COURIER_FEE_FEN] =
    g_param_spec_int ("courier-fee-fen", NULL, NULL,
                      0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* courier tracking number */
  properties [PROP_COURIER_NO] =
    g_param_spec_string ("courier-no", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* RFC 3339 */
  properties [PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* RFC 3339 */
  properties [PROP_PAID_AT] =
    g_param_spec_string ("paid-at", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* YYYY-MM-DD */
  properties [PROP_DUE_ON] =
    g_param_spec_string ("due-on", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
co_reissue_init (CoReissue *self)
{
  self->status = CO_REISSUE_STATUS_PENDING_PAYMENT;
  self->delivery = CO_DELIVERY_SCHOOL;
  self->fee_fen = CO_REISSUE_FEE_FEN;
  self->courier_fee_fen = 0;
}

/**
 * co_reissue_new:
 * @id: the platform's id of the application
 * @edu_id: the student's education ID
 * @delivery: home or school
 *
 * Returns: (transfer full): a new #CoReissue, %CO_REISSUE_STATUS_PENDING_PAYMENT
 */
CoReissue *
co_reissue_new (const char *id,
                const char *edu_id,
                CoDelivery  delivery)
{
  return g_object_new (CO_TYPE_REISSUE,
                       "id", id,
                       "edu-id", edu_id,
                       "delivery", delivery,
                       NULL);
}

const char *
co_reissue_get_id (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->id;
}

const char *
co_reissue_get_edu_id (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->edu_id;
}

CoReissueStatus
co_reissue_get_status (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), CO_REISSUE_STATUS_PENDING_PAYMENT);

  return self->status;
}

CoDelivery
co_reissue_get_delivery (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), CO_DELIVERY_SCHOOL);

  return self->delivery;
}

const char *
co_reissue_get_address (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->address;
}

const char *
co_reissue_get_recipient (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->recipient;
}

const char *
co_reissue_get_phone (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->phone;
}

int
co_reissue_get_fee_fen (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), 0);

  return self->fee_fen;
}

int
co_reissue_get_courier_fee_fen (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), 0);

  return self->courier_fee_fen;
}

const char *
co_reissue_get_courier_no (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->courier_no;
}

const char *
co_reissue_get_created_at (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->created_at;
}

const char *
co_reissue_get_paid_at (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->paid_at;
}

const char *
co_reissue_get_due_on (CoReissue *self)
{
  g_return_val_if_fail (CO_IS_REISSUE (self), NULL);

  return self->due_on;
}

void
co_reissue_set_id (CoReissue  *self,
                   const char *id)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->id, id))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ID]);
}

void
co_reissue_set_edu_id (CoReissue  *self,
                       const char *edu_id)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->edu_id, edu_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EDU_ID]);
}

void
co_reissue_set_status (CoReissue       *self,
                       CoReissueStatus  status)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (self->status == status)
    return;

  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
}

void
co_reissue_set_delivery (CoReissue  *self,
                         CoDelivery  delivery)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (self->delivery == delivery)
    return;

  self->delivery = delivery;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DELIVERY]);
}

void
co_reissue_set_address (CoReissue  *self,
                        const char *address)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->address, address))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ADDRESS]);
}

void
co_reissue_set_recipient (CoReissue  *self,
                          const char *recipient)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->recipient, recipient))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RECIPIENT]);
}

void
co_reissue_set_phone (CoReissue  *self,
                      const char *phone)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->phone, phone))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PHONE]);
}

void
co_reissue_set_fee_fen (CoReissue *self,
                        int        fee_fen)
{
  g_return_if_fail (CO_IS_REISSUE (self));
  g_return_if_fail (fee_fen >= 0);

  if (self->fee_fen == fee_fen)
    return;

  self->fee_fen = fee_fen;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FEE_FEN]);
}

void
co_reissue_set_courier_fee_fen (CoReissue *self,
                                int        courier_fee_fen)
{
  g_return_if_fail (CO_IS_REISSUE (self));
  g_return_if_fail (courier_fee_fen >= 0);

  if (self->courier_fee_fen == courier_fee_fen)
    return;

  self->courier_fee_fen = courier_fee_fen;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COURIER_FEE_FEN]);
}

void
co_reissue_set_courier_no (CoReissue  *self,
                           const char *courier_no)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->courier_no, courier_no))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COURIER_NO]);
}

void
co_reissue_set_created_at (CoReissue  *self,
                           const char *created_at)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->created_at, created_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CREATED_AT]);
}

void
co_reissue_set_paid_at (CoReissue  *self,
                        const char *paid_at)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->paid_at, paid_at))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAID_AT]);
}

void
co_reissue_set_due_on (CoReissue  *self,
                       const char *due_on)
{
  g_return_if_fail (CO_IS_REISSUE (self));

  if (_co_set_string (&self->due_on, due_on))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DUE_ON]);
}

/**
 * co_reissue_get_case:
 * @self: a #CoReissue
 * @card: the status of the card the reissue replaces
 * @out: (out caller-allocates): the case to ask co_rules_check() about
 */
void
co_reissue_get_case (CoReissue    *self,
                     CoCardStatus  card,
                     CoCase       *out)
{
  g_return_if_fail (CO_IS_REISSUE (self));
  g_return_if_fail (out != NULL);

  out->card = card;
  out->reissue = self->status;
  out->delivery = self->delivery;
}

