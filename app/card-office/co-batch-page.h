/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#pragma once

#include <adwaita.h>

#include "co-batch-job.h"
#include "co-import.h"

G_BEGIN_DECLS

#define CO_TYPE_BATCH_PAGE (co_batch_page_get_type ())
G_DECLARE_FINAL_TYPE (CoBatchPage, co_batch_page, CO, BATCH_PAGE, GtkWidget)

/* What the file chooser does: reads @path (and photos from @photo_dir)
 * in a thread, then shows the mapping step or the preview. FALSE (and the
 * reason on the page, over the list already there) when the file cannot
 * be read. */
void         co_batch_page_load_file_async  (CoBatchPage         *self,
                                             CoImportKind         kind,
                                             const char          *path,
                                             const char          *photo_dir,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     co_batch_page_load_file_finish (CoBatchPage         *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* "start", "mapping", "preview" or "report". */
const char  *co_batch_page_get_step     (CoBatchPage    *self);
CoImport    *co_batch_page_get_import   (CoBatchPage    *self);
/* CoBatchRow, one per row of the list, in file order. */
GListModel  *co_batch_page_get_rows     (CoBatchPage    *self);
/* What typing in a cell does. */
gboolean     co_batch_page_set_value    (CoBatchPage    *self,
                                         guint           index,
                                         CoImportField   field,
                                         const char     *value);
void         co_batch_page_set_excluded (CoBatchPage    *self,
                                         guint           index,
                                         gboolean        excluded);
/* Rows that go (with or without warnings), refused and excluded rows. */
void         co_batch_page_get_counts   (CoBatchPage    *self,
                                         guint          *n_ok,
                                         guint          *n_warning,
                                         guint          *n_refused,
                                         guint          *n_excluded);

/* The submission under way or done, or NULL. */
CoBatchJob  *co_batch_page_get_job      (CoBatchPage    *self);
/* Rows per request (tests use small chunks). */
void         co_batch_page_set_chunk_size (CoBatchPage  *self,
                                           guint         chunk_size);
/* What the export buttons do once a file is chosen. */
gboolean     co_batch_page_export       (CoBatchPage    *self,
                                         const char     *path,
                                         gboolean        xlsx,
                                         GError        **error);

G_END_DECLS
