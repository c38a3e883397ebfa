/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-transit-item"

#include "config.h"

#include "co-transit-item.h"

struct _CoTransitItem
{
  GObject            parent_instance;

  CoStudent         *student;
  CoTransitValidity *validity;
  char              *note;
  char              *error;
  gboolean           busy;
};

G_DEFINE_FINAL_TYPE (CoTransitItem, co_transit_item, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals [N_SIGNALS];

static void
co_transit_item_finalize (GObject *object)
{
  CoTransitItem *self = (CoTransitItem *) object;

  g_clear_object (&self->student);
  g_clear_pointer (&self->validity, co_transit_validity_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (co_transit_item_parent_class)->finalize (object);
}

static void
co_transit_item_class_init (CoTransitItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = co_transit_item_finalize;

  /* Emitted when the validity, the busy state or the error changes. */
  signals [CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
co_transit_item_init (CoTransitItem *self)
{
}

CoTransitItem *
co_transit_item_new (CoStudent               *student,
                     const CoTransitValidity *validity)
{
  CoTransitItem *self;

  g_return_val_if_fail (CO_IS_STUDENT (student), NULL);
  g_return_val_if_fail (validity != NULL, NULL);

  self = g_object_new (CO_TYPE_TRANSIT_ITEM, NULL);
  self->student = g_object_ref (student);
  self->validity = co_transit_validity_copy (validity);
  return self;
}

CoStudent *
co_transit_item_get_student (CoTransitItem *self)
{
  g_return_val_if_fail (CO_IS_TRANSIT_ITEM (self), NULL);
  return self->student;
}

const CoTransitValidity *
co_transit_item_get_validity (CoTransitItem *self)
{
  g_return_val_if_fail (CO_IS_TRANSIT_ITEM (self), NULL);
  return self->validity;
}

void
co_transit_item_set_validity (CoTransitItem           *self,
                              const CoTransitValidity *validity)
{
  g_return_if_fail (CO_IS_TRANSIT_ITEM (self));
  g_return_if_fail (validity != NULL);

  g_clear_pointer (&self->validity, co_transit_validity_free);
  self->validity = co_transit_validity_copy (validity);
  g_signal_emit (self, signals [CHANGED], 0);
}

const char *
co_transit_item_get_note (CoTransitItem *self)
{
  g_return_val_if_fail (CO_IS_TRANSIT_ITEM (self), NULL);
  return self->note;
}

void
co_transit_item_set_note (CoTransitItem *self,
                          const char    *note)
{
  g_return_if_fail (CO_IS_TRANSIT_ITEM (self));

  if (g_strcmp0 (self->note, note) == 0)
    return;
  g_free (self->note);
  self->note = g_strdup (note);
}

gboolean
co_transit_item_get_busy (CoTransitItem *self)
{
  g_return_val_if_fail (CO_IS_TRANSIT_ITEM (self), FALSE);
  return self->busy;
}

void
co_transit_item_set_busy (CoTransitItem *self,
                          gboolean       busy)
{
  g_return_if_fail (CO_IS_TRANSIT_ITEM (self));

  if (self->busy == !!busy)
    return;
  self->busy = !!busy;
  g_signal_emit (self, signals [CHANGED], 0);
}

const char *
co_transit_item_get_error (CoTransitItem *self)
{
  g_return_val_if_fail (CO_IS_TRANSIT_ITEM (self), NULL);
  return self->error;
}

void
co_transit_item_set_error (CoTransitItem *self,
                           const char    *error)
{
  g_return_if_fail (CO_IS_TRANSIT_ITEM (self));

  g_free (self->error);
  self->error = g_strdup (error);
  g_signal_emit (self, signals [CHANGED], 0);
}
