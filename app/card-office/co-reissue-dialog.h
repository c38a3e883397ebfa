/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"

G_BEGIN_DECLS

#define CO_TYPE_REISSUE_DIALOG (co_reissue_dialog_get_type ())

G_DECLARE_FINAL_TYPE (CoReissueDialog, co_reissue_dialog, CO, REISSUE_DIALOG, AdwWindow)

CoReissueDialog *co_reissue_dialog_new (GtkWindow  *parent,
                                        CoClient   *client,
                                        const char *edu_id);

G_END_DECLS
