/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Internal to src/api (and its tests).
 */
#pragma once

#include <glib.h>

#include "co-client-error.h"

G_BEGIN_DECLS

GError   *_co_client_error_new_full     (CoClientError  code,
                                         guint          http_status,
                                         const char    *wire_code,
                                         const char    *field,
                                         CoReason       reason,
                                         guint          retry_after,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (7, 8);

gboolean  _co_json_date_is_valid        (const char *s);
gboolean  _co_json_date_is_valid_prefix (const char *s);
gboolean  _co_json_datetime_is_valid    (const char *s);

G_END_DECLS
