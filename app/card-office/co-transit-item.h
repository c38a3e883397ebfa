/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoTransitItem: an invalid card (无效卡) of the transit check, its student,
 * what the transit company says, and the card office's review.
 */
#pragma once

#include "co-client.h"
#include "co-student.h"

G_BEGIN_DECLS

#define CO_TYPE_TRANSIT_ITEM (co_transit_item_get_type ())
G_DECLARE_FINAL_TYPE (CoTransitItem, co_transit_item, CO, TRANSIT_ITEM, GObject)

CoTransitItem           *co_transit_item_new          (CoStudent               *student,
                                                       const CoTransitValidity *validity);
CoStudent               *co_transit_item_get_student  (CoTransitItem           *self);
const CoTransitValidity *co_transit_item_get_validity (CoTransitItem           *self);
void                     co_transit_item_set_validity (CoTransitItem           *self,
                                                       const CoTransitValidity *validity);
/* The note typed for the review, kept while the list lives. */
const char              *co_transit_item_get_note     (CoTransitItem           *self);
void                     co_transit_item_set_note     (CoTransitItem           *self,
                                                       const char              *note);
gboolean                 co_transit_item_get_busy     (CoTransitItem           *self);
void                     co_transit_item_set_busy     (CoTransitItem           *self,
                                                       gboolean                 busy);
/* Why the last review failed (translated), or NULL. */
const char              *co_transit_item_get_error    (CoTransitItem           *self);
void                     co_transit_item_set_error    (CoTransitItem           *self,
                                                       const char              *error);

G_END_DECLS
