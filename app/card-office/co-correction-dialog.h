/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"

G_BEGIN_DECLS

#define CO_TYPE_CORRECTION_DIALOG (co_correction_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CoCorrectionDialog, co_correction_dialog, CO, CORRECTION_DIALOG, AdwWindow)

CoCorrectionDialog *co_correction_dialog_new (GtkWindow *parent,
                                              CoClient  *client,
                                              CoStudent *student);

G_END_DECLS
