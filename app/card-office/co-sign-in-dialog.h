/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"

G_BEGIN_DECLS

#define CO_TYPE_SIGN_IN_DIALOG (co_sign_in_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CoSignInDialog, co_sign_in_dialog, CO, SIGN_IN_DIALOG, AdwWindow)

CoSignInDialog *co_sign_in_dialog_new             (GtkWindow      *parent,
                                                   CoClient       *client,
                                                   GSettings      *settings,
                                                   gboolean        expired);
/* Words for a failed sign-in (translated), from the client's error code. */
char           *co_sign_in_dialog_describe_error  (const GError   *error);

G_END_DECLS
