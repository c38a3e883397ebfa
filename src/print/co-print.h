/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The print core: sticker sheets, reissue forms, handout lists and the
 * calibration page, each rendered to a PDF file page by page. These calls
 * block (a batch of thousands takes seconds): the app runs them in a
 * g_task_run_in_thread() worker and cancels through @cancellable; progress
 * is reported from that thread after each page.
 */
#pragma once

#include <gio/gio.h>

#include "co-print-types.h"
#include "co-template.h"

G_BEGIN_DECLS

gboolean co_print_stickers          (CoTemplate             *template_,
                                     GPtrArray              *stickers,
                                     const CoPrintOptions   *options,
                                     const CoPrintCaptions  *captions,
                                     const char             *output_path,
                                     CoPrintProgressFunc     progress,
                                     gpointer                progress_data,
                                     GCancellable           *cancellable,
                                     CoPrintStats           *stats,
                                     GPtrArray             **warnings,
                                     GError                **error);

gboolean co_print_forms             (GPtrArray              *forms,
                                     const CoPrintOptions   *options,
                                     const CoPrintCaptions  *captions,
                                     const char             *output_path,
                                     CoPrintProgressFunc     progress,
                                     gpointer                progress_data,
                                     GCancellable           *cancellable,
                                     CoPrintStats           *stats,
                                     GError                **error);

gboolean co_print_handout_list      (GPtrArray              *students,
                                     const CoPrintOptions   *options,
                                     const CoPrintCaptions  *captions,
                                     const char             *output_path,
                                     CoPrintProgressFunc     progress,
                                     gpointer                progress_data,
                                     GCancellable           *cancellable,
                                     CoPrintStats           *stats,
                                     GError                **error);

gboolean co_print_calibration_page  (CoTemplate             *template_,
                                     const CoPrintOptions   *options,
                                     const CoPrintCaptions  *captions,
                                     const char             *output_path,
                                     GError                **error);

G_END_DECLS
