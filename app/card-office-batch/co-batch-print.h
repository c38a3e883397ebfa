/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * card-office-batch's printing commands: sticker sheets, reissue forms and
 * handout lists from a CSV file, and the printer calibration page.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int co_batch_stickers    (int    argc,
                          char **argv);
int co_batch_forms       (int    argc,
                          char **argv);
int co_batch_calibration (int    argc,
                          char **argv);

G_END_DECLS
