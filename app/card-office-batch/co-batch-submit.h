/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch submit: sends a checked 新制卡 or 卡贴 list to the
 * server with a resumable journal (co-batch-job.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int co_batch_submit (int    argc,
                     char **argv);

G_END_DECLS
