/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-client.h"
#include "co-outbox-watcher.h"
#include "co-store.h"

G_BEGIN_DECLS

#define CO_TYPE_APPLICATION (co_application_get_type ())
G_DECLARE_FINAL_TYPE (CoApplication, co_application, CO, APPLICATION, AdwApplication)

CoApplication *co_application_new                 (GApplicationFlags  flags);
GSettings     *co_application_get_settings        (CoApplication     *self);
GtkWindow     *co_application_create_about_window (CoApplication     *self);
CoClient      *co_application_get_client          (CoApplication     *self);
CoStore       *co_application_get_store           (CoApplication     *self,
                                                   GError           **error);
CoOutboxWatcher *co_application_get_outbox_watcher (CoApplication    *self);
gboolean       co_application_clear_local_data    (CoApplication     *self,
                                                   GError           **error);

G_END_DECLS
