/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The words a desk action (挂失, 申请补卡, 信息更正...) shows when the central
 * API refused it: the refused field of a 422 and the missing student or
 * reissue of a 404 in the desk's terms, everything else as co_error_to_text ().
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Free with g_free (). */
char *co_desk_error_to_text (const GError *error);

G_END_DECLS
