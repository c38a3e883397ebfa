/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * `card-office-batch reader`: watch a card reader and print one line per
 * event, until interrupted.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int co_batch_reader (int    argc,
                     char **argv);

G_END_DECLS
