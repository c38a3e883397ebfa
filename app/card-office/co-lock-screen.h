/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CO_TYPE_LOCK_SCREEN (co_lock_screen_get_type ())
G_DECLARE_FINAL_TYPE (CoLockScreen, co_lock_screen, CO, LOCK_SCREEN, AdwBin)

/* Watches @window's input and locks it after the idle-lock-seconds
 * preference (0: never). The lock screen lives as long as the window. */
CoLockScreen *co_lock_screen_install        (AdwApplicationWindow *window,
                                             GSettings            *settings);
/* The lock screen of @window, or NULL. */
CoLockScreen *co_lock_screen_get_for_window (GtkWindow            *window);
/* Hides the window's content and its dialogs at once. */
void          co_lock_screen_lock           (CoLockScreen         *self);
gboolean      co_lock_screen_get_locked     (CoLockScreen         *self);

G_END_DECLS
