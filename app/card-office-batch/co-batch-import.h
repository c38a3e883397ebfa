/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch check-import: checks a 新制卡 or 卡贴 batch list (CSV or
 * TSV) and its photos, one line per row, without submitting anything.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int co_batch_check_import (int    argc,
                           char **argv);

G_END_DECLS
