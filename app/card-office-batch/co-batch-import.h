/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch check-import: checks a 新制卡 or 卡贴 batch list (CSV or
 * TSV) and its photos, one line per row, without submitting anything.
 */
#pragma once

#include <glib.h>

#include "co-import.h"

G_BEGIN_DECLS

int      co_batch_check_import (int           argc,
                                char        **argv);
/* The value of --kind (new-card or sticker); FALSE, with the reason
 * printed, for anything else. Also for card-office-batch submit. */
gboolean co_batch_parse_kind   (const char   *text,
                                CoImportKind *kind);

G_END_DECLS
