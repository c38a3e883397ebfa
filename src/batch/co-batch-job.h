/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoBatchJob: submits a checked 新制卡 or 卡贴 list to the central API in
 * chunks, with progress and cancel, and survives a crash, a cancel or a
 * lost network without sending any row twice.
 *
 * The journal is an SQLite file (0600) the caller names (the app puts it
 * beside the store; the CLI takes --journal). co_batch_job_prepare () fixes,
 * in one transaction and before anything is sent, the rows, how they are
 * cut into chunks, each chunk's request body and its Idempotency-Key, and
 * the Idempotency-Key of each row's photo upload. Running sends the chunks
 * not yet answered, in order; a chunk sent before a crash is sent again
 * byte for byte with the same key, and the server answers its first answer
 * again (Idempotent-Replay) instead of applying it twice (the server keeps
 * keys 24 hours: resumed later, a chunk whose answer was lost is judged
 * again and its rows come back refused, already_has_card or sticker_exists,
 * never applied twice). Each row's final
 * answer (accepted with its card, or refused with the server's code) is
 * written in the same transaction that marks the chunk done.
 *
 * Photos: the API's batch rows carry none; after a chunk is answered, the
 * photo of each accepted row that has one is prepared (co-photo-prep) and
 * sent with PUT /students/{edu_id}/photo under its journaled key. A photo
 * the server refuses (or a file gone bad) is recorded on the row and does
 * not stop the job; a network error does (run again to resume).
 *
 * Opening a journal that holds a prepared job resumes it: prepare is not
 * needed (and refused, CO_BATCH_JOB_ERROR_PREPARED). Logs name chunk
 * numbers and counts only, never an education ID or a name.
 */
#pragma once

#include <gio/gio.h>

#include "co-batch-types.h"
#include "co-import.h"
#include "co-photo-prep.h"

struct _CoClient;

G_BEGIN_DECLS

#define CO_BATCH_JOB_DEFAULT_CHUNK_SIZE 50
#define CO_BATCH_JOB_MAX_CHUNK_SIZE     5000

typedef enum
{
  CO_BATCH_JOB_ERROR_JOURNAL,     /* the journal cannot be opened, read or written */
  CO_BATCH_JOB_ERROR_PREPARED,    /* prepare on a journal that holds a job already */
  CO_BATCH_JOB_ERROR_NOT_PREPARED,/* run before prepare */
  CO_BATCH_JOB_ERROR_NO_ROWS,     /* prepare with nothing to send */
  CO_BATCH_JOB_ERROR_RUNNING,     /* run while running */
  CO_BATCH_JOB_ERROR_MISMATCH,    /* the server's answer does not fit the chunk sent */
} CoBatchJobError;

#define CO_BATCH_JOB_ERROR (co_batch_job_error_quark ())
GQuark co_batch_job_error_quark (void);

typedef enum
{
  CO_BATCH_ROW_PENDING,   /* not answered yet */
  CO_BATCH_ROW_ACCEPTED,
  CO_BATCH_ROW_REFUSED,   /* code (and field) say why */
} CoBatchRowState;

typedef enum
{
  CO_BATCH_PHOTO_NONE,     /* no photo to send */
  CO_BATCH_PHOTO_PENDING,  /* waits for the row's acceptance or an upload */
  CO_BATCH_PHOTO_SENT,
  CO_BATCH_PHOTO_FAILED,   /* photo_code says why */
} CoBatchPhotoState;

/* What to send for one row (copied by prepare). */
typedef struct
{
  guint        line;        /* in the imported file, for the report */
  const char  *edu_id;
  const char  *name;        /* new card: required; sticker: for the report */
  CoGender     gender;      /* new card */
  int          grade;       /* new card */
  const char  *class_name;  /* new card */
  CoEntry      entry;       /* new card */
  const char  *photo_path;  /* nullable */
  gboolean     has_crop;    /* else the centred 13:16 crop */
  CoPhotoCrop  crop;
} CoBatchJobInput;

/* A row as the journal knows it. Strings live as long as the job. */
typedef struct
{
  guint              index;       /* 0-based in the job */
  guint              line;
  const char        *edu_id;
  const char        *name;
  guint              chunk;       /* 0-based */
  CoBatchRowState    state;
  const char        *code;        /* REFUSED: the server's code (BatchRow.code) */
  const char        *field;       /* REFUSED: nullable */
  const char        *card_no;     /* ACCEPTED: nullable */
  gint64             batch_id;    /* the server's batch, 0 while pending */
  CoBatchPhotoState  photo;
  const char        *photo_code;  /* FAILED: a co_import_photo_problem_to_string ()
                                   * value, or the server's error code */
} CoBatchJobRow;

#define CO_TYPE_BATCH_JOB (co_batch_job_get_type ())
G_DECLARE_FINAL_TYPE (CoBatchJob, co_batch_job, CO, BATCH_JOB, GObject)

/* Creates (0600) or opens the journal at @journal_path. */
CoBatchJob          *co_batch_job_open             (const char            *journal_path,
                                                    GError               **error);
const char          *co_batch_job_get_journal_path (CoBatchJob            *self);

gboolean             co_batch_job_is_prepared      (CoBatchJob            *self);
CoBatchKind          co_batch_job_get_kind         (CoBatchJob            *self);

/* Fixes rows, chunks (@chunk_size rows each; 0: the default) and keys. */
gboolean             co_batch_job_prepare          (CoBatchJob            *self,
                                                    CoBatchKind            kind,
                                                    const CoBatchJobInput *rows,
                                                    guint                  n_rows,
                                                    guint                  chunk_size,
                                                    GError               **error);
/* The rows of @import that are not refused (fixes accepted) and not in
 * @excluded (nullable; indexes of @import's rows), photos as found. */
gboolean             co_batch_job_prepare_from_import (CoBatchJob         *self,
                                                       CoImport           *import,
                                                       const guint        *excluded,
                                                       guint               n_excluded,
                                                       guint               chunk_size,
                                                       GError            **error);

/* Sends what is left. Progress: "progress" after each chunk answered and
 * each photo sent (on the thread-default context of the caller). Fails
 * with the client's error (network, 401, ...) or G_IO_ERROR_CANCELLED;
 * everything answered so far stays in the journal, run again to resume. */
void                 co_batch_job_run_async        (CoBatchJob            *self,
                                                    struct _CoClient      *client,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gboolean             co_batch_job_run_finish       (CoBatchJob            *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
gboolean             co_batch_job_is_running       (CoBatchJob            *self);
/* Every row answered and every photo sent or failed. */
gboolean             co_batch_job_is_complete      (CoBatchJob            *self);

guint                co_batch_job_get_n_rows       (CoBatchJob            *self);
guint                co_batch_job_get_n_chunks     (CoBatchJob            *self);
guint                co_batch_job_get_n_chunks_done (CoBatchJob           *self);
/* Rows answered (accepted + refused). */
guint                co_batch_job_get_n_done       (CoBatchJob            *self);
guint                co_batch_job_count            (CoBatchJob            *self,
                                                    CoBatchRowState        state);
guint                co_batch_job_count_photos     (CoBatchJob            *self,
                                                    CoBatchPhotoState      state);
const CoBatchJobRow *co_batch_job_get_row          (CoBatchJob            *self,
                                                    guint                  index);

/* Signals:
 *   "progress" (guint n_done, guint n_rows): rows answered so far;
 *   "row-changed" (guint index): a row's state or photo changed. */

G_END_DECLS
