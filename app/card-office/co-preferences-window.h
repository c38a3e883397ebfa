/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_PREFERENCES_WINDOW (co_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (CoPreferencesWindow, co_preferences_window, CO, PREFERENCES_WINDOW, AdwPreferencesWindow)

CoPreferencesWindow *co_preferences_window_new          (GSettings           *settings);
GSettings           *co_preferences_window_get_settings (CoPreferencesWindow *self);

G_END_DECLS
