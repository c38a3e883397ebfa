/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Where Card Office's data files are found. A user's own copy overrides the
 * shipped one, so an office can replace the holiday calendar or add a sheet
 * template without rebuilding.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first existing file among:
 *   $XDG_CONFIG_HOME/card-office/NAME   (the user's replacement)
 *   $CARD_OFFICE_DATADIR/NAME           (a source tree, for tests and the demo)
 *   PKGDATADIR/NAME                     (installed)
 * or NULL when none exists. Free with g_free(). */
char *co_data_find_file (const char *name);

G_END_DECLS
