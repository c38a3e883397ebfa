/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Helpers shared by the model objects' setters.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Replaces *@field by a copy of @value; TRUE when it changed (then notify). */
static inline gboolean
_co_set_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

G_END_DECLS
