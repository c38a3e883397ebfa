/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The words a page shows when a call to the central API failed: by the
 * error's code, never the (English, technical) message; also the local
 * store's errors (disk full...).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Free with g_free (). */
char *co_error_to_text       (const GError *error);
/* CO_STORE_ERROR only; co_error_to_text () also takes those. */
char *co_store_error_to_text (const GError *error);

G_END_DECLS
