/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_WINDOW (co_window_get_type ())
G_DECLARE_FINAL_TYPE (CoWindow, co_window, CO, WINDOW, AdwApplicationWindow)

CoWindow   *co_window_new           (GtkApplication *application,
                                     GSettings      *settings);
/* The pages, by name: students, reissues, batches, printing, verification, log. */
void        co_window_set_page      (CoWindow       *self,
                                     const char     *name);
const char *co_window_get_page_name (CoWindow       *self);

G_END_DECLS
