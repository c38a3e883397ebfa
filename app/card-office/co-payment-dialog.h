/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"

G_BEGIN_DECLS

#define CO_TYPE_PAYMENT_DIALOG (co_payment_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CoPaymentDialog, co_payment_dialog, CO, PAYMENT_DIALOG, AdwWindow)

CoPaymentDialog *co_payment_dialog_new            (GtkWindow       *parent,
                                                   CoClient        *client,
                                                   CoReissue       *reissue);
/* The payment order shown (NULL until the server answered). */
const char      *co_payment_dialog_get_code_url   (CoPaymentDialog *self);
CoReissueStatus  co_payment_dialog_get_status     (CoPaymentDialog *self);
/* Seconds between two looks at the payment's status. */
void             co_payment_dialog_set_poll_interval (CoPaymentDialog *self,
                                                      guint            seconds);

G_END_DECLS
