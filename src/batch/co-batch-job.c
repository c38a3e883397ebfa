/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-batch-job"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "co-batch-job.h"
#include "co-client.h"

#define JOURNAL_VERSION 1

typedef enum
{
  CHUNK_PENDING,
  CHUNK_DONE,
} ChunkState;

typedef struct
{
  guint       first;
  guint       n_rows;
  char       *key;
  GBytes     *body;
  ChunkState  state;
  gint64      batch_id;
} Chunk;

/* Input of a row, kept for the photo; CoBatchJobRow's strings are owned here. */
typedef struct
{
  CoBatchJobRow pub;
  char         *edu_id;
  char         *name;
  char         *code;
  char         *field;
  char         *card_no;
  char         *photo_code;
  char         *photo_path;
  char         *photo_key;
  gboolean      has_crop;
  CoPhotoCrop   crop;
} Row;

struct _CoBatchJob
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;

  gboolean      prepared;
  CoBatchKind   kind;
  GArray       *rows;     /* of Row */
  GArray       *chunks;   /* of Chunk */

  GTask        *run_task; /* while running */
  CoClient     *client;
};

G_DEFINE_FINAL_TYPE (CoBatchJob, co_batch_job, G_TYPE_OBJECT)

G_DEFINE_QUARK (co-batch-job-error-quark, co_batch_job_error)

enum {
  PROGRESS,
  ROW_CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void run_next (CoBatchJob *self);

/* Journal */

static gboolean
db_fail (CoBatchJob  *self,
         const char  *what,
         GError     **error)
{
  g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_JOURNAL,
               "Journal: %s: %s", what, self->db ? sqlite3_errmsg (self->db) : "not open");
  return FALSE;
}

static gboolean
db_exec (CoBatchJob  *self,
         const char  *sql,
         GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_fail (self, sql, error);
  return TRUE;
}

static sqlite3_stmt *
db_prepare (CoBatchJob  *self,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      db_fail (self, "prepare", error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static char *
column_text (sqlite3_stmt *stmt,
             int           i)
{
  const unsigned char *t = sqlite3_column_text (stmt, i);

  return t != NULL ? g_strdup ((const char *) t) : NULL;
}

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS job ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  version INTEGER NOT NULL,"
  "  kind INTEGER NOT NULL,"
  "  chunk_size INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS chunks ("
  "  idx INTEGER PRIMARY KEY,"
  "  first_row INTEGER NOT NULL,"
  "  n_rows INTEGER NOT NULL,"
  "  idem_key TEXT NOT NULL UNIQUE,"
  "  body BLOB NOT NULL,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  batch_id INTEGER NOT NULL DEFAULT 0,"
  "  sends INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS rows ("
  "  idx INTEGER PRIMARY KEY,"
  "  line INTEGER NOT NULL,"
  "  edu_id TEXT NOT NULL,"
  "  name TEXT,"
  "  chunk INTEGER NOT NULL,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  code TEXT,"
  "  field TEXT,"
  "  card_no TEXT,"
  "  batch_id INTEGER NOT NULL DEFAULT 0,"
  "  photo_path TEXT,"
  "  crop_x INTEGER, crop_y INTEGER, crop_w INTEGER, crop_h INTEGER,"
  "  photo_state INTEGER NOT NULL DEFAULT 0,"
  "  photo_key TEXT,"
  "  photo_code TEXT);";

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->edu_id, g_free);
  g_clear_pointer (&row->name, g_free);
  g_clear_pointer (&row->code, g_free);
  g_clear_pointer (&row->field, g_free);
  g_clear_pointer (&row->card_no, g_free);
  g_clear_pointer (&row->photo_code, g_free);
  g_clear_pointer (&row->photo_path, g_free);
  g_clear_pointer (&row->photo_key, g_free);
}

static void
chunk_clear (Chunk *chunk)
{
  g_clear_pointer (&chunk->key, g_free);
  g_clear_pointer (&chunk->body, g_bytes_unref);
}

/* Points the public view at the owned strings. */
static void
row_sync (Row *row)
{
  row->pub.edu_id = row->edu_id;
  row->pub.name = row->name;
  row->pub.code = row->code;
  row->pub.field = row->field;
  row->pub.card_no = row->card_no;
  row->pub.photo_code = row->photo_code;
}

static gboolean
load (CoBatchJob  *self,
      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = db_prepare (self, "SELECT version, kind FROM job WHERE id = 1", error)))
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      int version = sqlite3_column_int (stmt, 0);
      int kind = sqlite3_column_int (stmt, 1);

      sqlite3_finalize (stmt);
      if (version != JOURNAL_VERSION || kind < 0 || kind > CO_BATCH_KIND_STICKER)
        {
          g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_JOURNAL,
                       "Journal: unknown version %d or kind %d", version, kind);
          return FALSE;
        }
      self->kind = kind;
      self->prepared = TRUE;
    }
  else
    {
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        return db_fail (self, "read job", error);
      return TRUE;
    }

  if (!(stmt = db_prepare (self, "SELECT first_row, n_rows, idem_key, body, state, batch_id "
                                 "FROM chunks ORDER BY idx", error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Chunk c = { 0 };

      c.first = sqlite3_column_int (stmt, 0);
      c.n_rows = sqlite3_column_int (stmt, 1);
      c.key = column_text (stmt, 2);
      c.body = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
      c.state = sqlite3_column_int (stmt, 4) == CHUNK_DONE ? CHUNK_DONE : CHUNK_PENDING;
      c.batch_id = sqlite3_column_int64 (stmt, 5);
      g_array_append_val (self->chunks, c);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return db_fail (self, "read chunks", error);

  if (!(stmt = db_prepare (self, "SELECT idx, line, edu_id, name, chunk, state, code, field, "
                                 "card_no, batch_id, photo_path, crop_x, crop_y, crop_w, crop_h, "
                                 "photo_state, photo_key, photo_code FROM rows ORDER BY idx",
                           error)))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row r = { 0 };

      r.pub.index = sqlite3_column_int (stmt, 0);
      r.pub.line = sqlite3_column_int (stmt, 1);
      r.edu_id = column_text (stmt, 2);
      r.name = column_text (stmt, 3);
      r.pub.chunk = sqlite3_column_int (stmt, 4);
      r.pub.state = CLAMP (sqlite3_column_int (stmt, 5), CO_BATCH_ROW_PENDING, CO_BATCH_ROW_REFUSED);
      r.code = column_text (stmt, 6);
      r.field = column_text (stmt, 7);
      r.card_no = column_text (stmt, 8);
      r.pub.batch_id = sqlite3_column_int64 (stmt, 9);
      r.photo_path = column_text (stmt, 10);
      if (sqlite3_column_type (stmt, 11) != SQLITE_NULL)
        {
          r.has_crop = TRUE;
          r.crop.x = sqlite3_column_int (stmt, 11);
          r.crop.y = sqlite3_column_int (stmt, 12);
          r.crop.width = sqlite3_column_int (stmt, 13);
          r.crop.height = sqlite3_column_int (stmt, 14);
        }
      r.pub.photo = CLAMP (sqlite3_column_int (stmt, 15), CO_BATCH_PHOTO_NONE, CO_BATCH_PHOTO_FAILED);
      r.photo_key = column_text (stmt, 16);
      r.photo_code = column_text (stmt, 17);
      row_sync (&r);
      g_array_append_val (self->rows, r);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return db_fail (self, "read rows", error);

  /* A journal cut short is not a job we can vouch for. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *r = &g_array_index (self->rows, Row, i);

      if (r->pub.index != i || r->pub.chunk >= self->chunks->len || r->edu_id == NULL)
        {
          g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_JOURNAL,
                       "Journal: row %u is damaged", i);
          return FALSE;
        }
    }

  return TRUE;
}

/* GObject */

static void
co_batch_job_finalize (GObject *object)
{
  CoBatchJob *self = (CoBatchJob *) object;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->chunks, g_array_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (co_batch_job_parent_class)->finalize (object);
}

static void
co_batch_job_class_init (CoBatchJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = co_batch_job_finalize;

  signals [PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals [ROW_CHANGED] =
    g_signal_new ("row-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
co_batch_job_init (CoBatchJob *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, (GDestroyNotify) row_clear);
  self->chunks = g_array_new (FALSE, TRUE, sizeof (Chunk));
  g_array_set_clear_func (self->chunks, (GDestroyNotify) chunk_clear);
}

/* Public API: opening and preparing */

CoBatchJob *
co_batch_job_open (const char  *journal_path,
                   GError     **error)
{
  g_autoptr(CoBatchJob) self = NULL;
  int fd;

  g_return_val_if_fail (journal_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CO_TYPE_BATCH_JOB, NULL);
  self->path = g_strdup (journal_path);

  /* Create it 0600 before SQLite does (it would follow the umask). */
  fd = g_open (journal_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_JOURNAL,
                   "Journal: cannot open %s: %s", journal_path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  if (sqlite3_open_v2 (journal_path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      db_fail (self, "open", error);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* Every answer on disk before the next chunk goes out. */
  if (!db_exec (self, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;", error) ||
      !db_exec (self, schema_sql, error) ||
      !load (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
co_batch_job_get_journal_path (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), NULL);

  return self->path;
}

gboolean
co_batch_job_is_prepared (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), FALSE);

  return self->prepared;
}

CoBatchKind
co_batch_job_get_kind (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), CO_BATCH_KIND_NEW_CARD);

  return self->kind;
}

static gboolean
edu_id_valid (const char *s)
{
  if (s == NULL || strlen (s) != 8)
    return FALSE;
  for (int i = 0; i < 8; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_input (CoBatchKind             kind,
             const CoBatchJobInput  *in,
             guint                   i,
             GError                **error)
{
  const char *bad = NULL;

  if (!edu_id_valid (in->edu_id))
    bad = "edu_id";
  else if (kind == CO_BATCH_KIND_NEW_CARD)
    {
      if (in->name == NULL || *in->name == '\0')
        bad = "name";
      else if (in->class_name == NULL || *in->class_name == '\0')
        bad = "class_name";
      else if (in->grade < 1 || in->grade > 12)
        bad = "grade";
      else if ((guint) in->gender > CO_GENDER_FEMALE)
        bad = "gender";
      else if ((guint) in->entry > CO_ENTRY_CONTINUING)
        bad = "entry";
    }
  if (bad == NULL && in->has_crop && (in->crop.width <= 0 || in->crop.height <= 0 ||
                                      in->crop.x < 0 || in->crop.y < 0))
    bad = "crop";

  if (bad != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Row %u (line %u): invalid %s", i, in->line, bad);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
chunk_body (CoBatchKind            kind,
            const CoBatchJobInput *rows,
            guint                  n)
{
  if (kind == CO_BATCH_KIND_NEW_CARD)
    {
      g_autofree CoNewCardRow *out = g_new0 (CoNewCardRow, n);

      for (guint i = 0; i < n; i++)
        {
          out[i].edu_id = rows[i].edu_id;
          out[i].name = rows[i].name;
          out[i].gender = rows[i].gender;
          out[i].grade = rows[i].grade;
          out[i].class_name = rows[i].class_name;
          out[i].entry = rows[i].entry;
        }
      return co_batch_new_card_body (out, n);
    }
  else
    {
      g_autofree const char **ids = g_new0 (const char *, n + 1);

      for (guint i = 0; i < n; i++)
        ids[i] = rows[i].edu_id;
      return co_batch_sticker_body (ids, n);
    }
}

gboolean
co_batch_job_prepare (CoBatchJob             *self,
                      CoBatchKind             kind,
                      const CoBatchJobInput  *rows,
                      guint                   n_rows,
                      guint                   chunk_size,
                      GError                **error)
{
  sqlite3_stmt *job_stmt = NULL, *chunk_stmt = NULL, *row_stmt = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (CO_IS_BATCH_JOB (self), FALSE);
  g_return_val_if_fail (kind <= CO_BATCH_KIND_STICKER, FALSE);
  g_return_val_if_fail (rows != NULL || n_rows == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->prepared)
    {
      g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_PREPARED,
                   "The journal holds a job already");
      return FALSE;
    }
  if (n_rows == 0)
    {
      g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_NO_ROWS, "No rows to send");
      return FALSE;
    }
  if (chunk_size == 0)
    chunk_size = CO_BATCH_JOB_DEFAULT_CHUNK_SIZE;
  chunk_size = MIN (chunk_size, CO_BATCH_JOB_MAX_CHUNK_SIZE);

  /* Two rows for one student would be refused by the server as
   * duplicate_row anyway; refusing here keeps "once per student" simple. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n_rows; i++)
    {
      if (!check_input (kind, &rows[i], i, error))
        return FALSE;
      if (!g_hash_table_add (seen, (gpointer) rows[i].edu_id))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Row %u (line %u): the same education ID comes earlier", i, rows[i].line);
          return FALSE;
        }
    }

  if (!db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!(job_stmt = db_prepare (self, "INSERT INTO job (id, version, kind, chunk_size) "
                                     "VALUES (1, ?, ?, ?)", error)) ||
      !(chunk_stmt = db_prepare (self, "INSERT INTO chunks (idx, first_row, n_rows, idem_key, body) "
                                       "VALUES (?, ?, ?, ?, ?)", error)) ||
      !(row_stmt = db_prepare (self, "INSERT INTO rows (idx, line, edu_id, name, chunk, photo_path, "
                                     "crop_x, crop_y, crop_w, crop_h, photo_state, photo_key) "
                                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    goto out;

  sqlite3_bind_int (job_stmt, 1, JOURNAL_VERSION);
  sqlite3_bind_int (job_stmt, 2, kind);
  sqlite3_bind_int (job_stmt, 3, chunk_size);
  if (sqlite3_step (job_stmt) != SQLITE_DONE)
    {
      db_fail (self, "write job", error);
      goto out;
    }

  for (guint first = 0, c = 0; first < n_rows; first += chunk_size, c++)
    {
      guint n = MIN (chunk_size, n_rows - first);
      g_autoptr(GBytes) body = chunk_body (kind, rows + first, n);
      g_autofree char *key = g_uuid_string_random ();
      gsize length;
      gconstpointer data = g_bytes_get_data (body, &length);

      sqlite3_reset (chunk_stmt);
      sqlite3_bind_int (chunk_stmt, 1, c);
      sqlite3_bind_int (chunk_stmt, 2, first);
      sqlite3_bind_int (chunk_stmt, 3, n);
      bind_text (chunk_stmt, 4, key);
      sqlite3_bind_blob (chunk_stmt, 5, data, length, SQLITE_TRANSIENT);
      if (sqlite3_step (chunk_stmt) != SQLITE_DONE)
        {
          db_fail (self, "write chunk", error);
          goto out;
        }

      for (guint i = first; i < first + n; i++)
        {
          const CoBatchJobInput *in = &rows[i];
          g_autofree char *photo_key = in->photo_path ? g_uuid_string_random () : NULL;

          sqlite3_reset (row_stmt);
          sqlite3_clear_bindings (row_stmt);
          sqlite3_bind_int (row_stmt, 1, i);
          sqlite3_bind_int (row_stmt, 2, in->line);
          bind_text (row_stmt, 3, in->edu_id);
          bind_text (row_stmt, 4, in->name);
          sqlite3_bind_int (row_stmt, 5, c);
          bind_text (row_stmt, 6, in->photo_path);
          if (in->has_crop)
            {
              sqlite3_bind_int (row_stmt, 7, in->crop.x);
              sqlite3_bind_int (row_stmt, 8, in->crop.y);
              sqlite3_bind_int (row_stmt, 9, in->crop.width);
              sqlite3_bind_int (row_stmt, 10, in->crop.height);
            }
          sqlite3_bind_int (row_stmt, 11, in->photo_path ? CO_BATCH_PHOTO_PENDING : CO_BATCH_PHOTO_NONE);
          bind_text (row_stmt, 12, photo_key);
          if (sqlite3_step (row_stmt) != SQLITE_DONE)
            {
              db_fail (self, "write row", error);
              goto out;
            }
        }
    }

  ok = db_exec (self, "COMMIT", error);

out:
  sqlite3_finalize (job_stmt);
  sqlite3_finalize (chunk_stmt);
  sqlite3_finalize (row_stmt);
  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  g_debug ("Prepared %u rows in %u chunks", n_rows, (n_rows + chunk_size - 1) / chunk_size);
  return load (self, error);
}

gboolean
co_batch_job_prepare_from_import (CoBatchJob   *self,
                                  CoImport     *import,
                                  const guint  *excluded,
                                  guint         n_excluded,
                                  guint         chunk_size,
                                  GError      **error)
{
  g_autoptr(GArray) inputs = NULL;
  g_autoptr(GHashTable) skip = NULL;
  guint n;

  g_return_val_if_fail (CO_IS_BATCH_JOB (self), FALSE);
  g_return_val_if_fail (CO_IS_IMPORT (import), FALSE);
  g_return_val_if_fail (excluded != NULL || n_excluded == 0, FALSE);

  skip = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < n_excluded; i++)
    g_hash_table_add (skip, GUINT_TO_POINTER (excluded[i] + 1));

  inputs = g_array_new (FALSE, TRUE, sizeof (CoBatchJobInput));
  n = co_import_get_n_rows (import);
  for (guint i = 0; i < n; i++)
    {
      const CoImportRow *row = co_import_get_row (import, i);
      CoBatchJobInput in = { 0 };

      if (row->verdict == CO_IMPORT_VERDICT_REFUSED ||
          g_hash_table_contains (skip, GUINT_TO_POINTER (i + 1)))
        continue;

      in.line = row->line;
      in.edu_id = row->values[CO_IMPORT_FIELD_EDU_ID];
      in.name = row->values[CO_IMPORT_FIELD_NAME];
      in.gender = row->gender;
      in.grade = row->grade;
      in.class_name = row->values[CO_IMPORT_FIELD_CLASS];
      in.entry = row->entry;
      in.photo_path = row->photo_path;
      g_array_append_val (inputs, in);
    }

  return co_batch_job_prepare (self,
                               co_import_get_kind (import) == CO_IMPORT_KIND_STICKER
                                 ? CO_BATCH_KIND_STICKER : CO_BATCH_KIND_NEW_CARD,
                               (const CoBatchJobInput *) (gpointer) inputs->data, inputs->len,
                               chunk_size, error);
}

/* Running */

typedef struct
{
  GCancellable *cancellable;
  guint         chunk;   /* being sent */
  guint         row;     /* whose photo is being sent */
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
run_end (CoBatchJob *self,
         GError     *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->run_task);

  g_clear_object (&self->client);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
save_chunk_answer (CoBatchJob     *self,
                   guint           c,
                   CoBatchReport  *report,
                   GError        **error)
{
  Chunk *chunk = &g_array_index (self->chunks, Chunk, c);
  sqlite3_stmt *row_stmt = NULL, *chunk_stmt = NULL;
  gboolean ok = FALSE;

  if (report->rows->len != chunk->n_rows)
    {
      g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_MISMATCH,
                   "Chunk %u: %u rows sent, %u answered", c, chunk->n_rows, report->rows->len);
      return FALSE;
    }
  for (guint i = 0; i < chunk->n_rows; i++)
    {
      const CoBatchRowResult *r = &g_array_index (report->rows, CoBatchRowResult, i);
      const Row *row = &g_array_index (self->rows, Row, chunk->first + i);

      if (r->row != i + 1 || g_strcmp0 (r->edu_id, row->edu_id) != 0)
        {
          g_set_error (error, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_MISMATCH,
                       "Chunk %u: answer row %u does not match the row sent", c, i + 1);
          return FALSE;
        }
    }

  if (!db_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!(row_stmt = db_prepare (self, "UPDATE rows SET state = ?, code = ?, field = ?, card_no = ?, "
                                     "batch_id = ?, photo_state = ? WHERE idx = ?", error)) ||
      !(chunk_stmt = db_prepare (self, "UPDATE chunks SET state = ?, batch_id = ? WHERE idx = ?",
                                 error)))
    goto out;

  for (guint i = 0; i < chunk->n_rows; i++)
    {
      const CoBatchRowResult *r = &g_array_index (report->rows, CoBatchRowResult, i);
      const Row *row = &g_array_index (self->rows, Row, chunk->first + i);
      CoBatchPhotoState photo = row->pub.photo;

      if (!r->accepted && photo == CO_BATCH_PHOTO_PENDING)
        photo = CO_BATCH_PHOTO_NONE;

      sqlite3_reset (row_stmt);
      sqlite3_bind_int (row_stmt, 1, r->accepted ? CO_BATCH_ROW_ACCEPTED : CO_BATCH_ROW_REFUSED);
      bind_text (row_stmt, 2, r->code);
      bind_text (row_stmt, 3, r->field);
      bind_text (row_stmt, 4, r->card_no);
      sqlite3_bind_int64 (row_stmt, 5, report->id);
      sqlite3_bind_int (row_stmt, 6, photo);
      sqlite3_bind_int (row_stmt, 7, chunk->first + i);
      if (sqlite3_step (row_stmt) != SQLITE_DONE)
        {
          db_fail (self, "write answer", error);
          goto out;
        }
    }
  sqlite3_bind_int (chunk_stmt, 1, CHUNK_DONE);
  sqlite3_bind_int64 (chunk_stmt, 2, report->id);
  sqlite3_bind_int (chunk_stmt, 3, c);
  if (sqlite3_step (chunk_stmt) != SQLITE_DONE)
    {
      db_fail (self, "write chunk state", error);
      goto out;
    }
  ok = db_exec (self, "COMMIT", error);

out:
  sqlite3_finalize (row_stmt);
  sqlite3_finalize (chunk_stmt);
  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  /* On disk: now the memory. */
  chunk->state = CHUNK_DONE;
  chunk->batch_id = report->id;
  for (guint i = 0; i < chunk->n_rows; i++)
    {
      const CoBatchRowResult *r = &g_array_index (report->rows, CoBatchRowResult, i);
      Row *row = &g_array_index (self->rows, Row, chunk->first + i);

      row->pub.state = r->accepted ? CO_BATCH_ROW_ACCEPTED : CO_BATCH_ROW_REFUSED;
      g_free (row->code);
      row->code = g_strdup (r->code);
      g_free (row->field);
      row->field = g_strdup (r->field);
      g_free (row->card_no);
      row->card_no = g_strdup (r->card_no);
      row->pub.batch_id = report->id;
      if (!r->accepted && row->pub.photo == CO_BATCH_PHOTO_PENDING)
        row->pub.photo = CO_BATCH_PHOTO_NONE;
      row_sync (row);
    }

  return TRUE;
}

static gboolean
save_photo_state (CoBatchJob         *self,
                  guint               index,
                  CoBatchPhotoState   state,
                  const char         *code,
                  GError            **error)
{
  Row *row = &g_array_index (self->rows, Row, index);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = db_prepare (self, "UPDATE rows SET photo_state = ?, photo_code = ? WHERE idx = ?",
                           error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, state);
  bind_text (stmt, 2, code);
  sqlite3_bind_int (stmt, 3, index);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return db_fail (self, "write photo state", error);

  row->pub.photo = state;
  g_free (row->photo_code);
  row->photo_code = g_strdup (code);
  row_sync (row);
  return TRUE;
}

static gboolean
error_is_fatal (const GError *error)
{
  /* What a later run may get through: the connection, the session, a
   * cancel. Anything else is about this one photo. */
  if (error->domain != CO_CLIENT_ERROR)
    return TRUE;
  switch (error->code)
    {
    case CO_CLIENT_ERROR_NOT_FOUND:
    case CO_CLIENT_ERROR_CONFLICT:
    case CO_CLIENT_ERROR_VALIDATION:
    case CO_CLIENT_ERROR_TOO_LARGE:
      return FALSE;
    default:
      return TRUE;
    }
}

static void
put_photo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CoBatchJob) self = user_data;
  RunData *data = g_task_get_task_data (self->run_task);
  g_autoptr(CoStudent) student = NULL;
  g_autoptr(GError) error = NULL;
  GError *save_error = NULL;
  guint index = data->row;

  student = co_client_put_photo_finish (CO_CLIENT (object), result, &error);
  if (student == NULL && error_is_fatal (error))
    {
      run_end (self, g_steal_pointer (&error));
      return;
    }

  if (!save_photo_state (self, index,
                         student ? CO_BATCH_PHOTO_SENT : CO_BATCH_PHOTO_FAILED,
                         student ? NULL : (co_client_error_get_wire_code (error)
                                           ? co_client_error_get_wire_code (error)
                                           : "upload_failed"),
                         &save_error))
    {
      run_end (self, save_error);
      return;
    }

  g_signal_emit (self, signals [ROW_CHANGED], 0, index);
  g_signal_emit (self, signals [PROGRESS], 0, co_batch_job_get_n_done (self), self->rows->len);
  run_next (self);
}

typedef struct
{
  char        *path;
  gboolean     has_crop;
  CoPhotoCrop  crop;
} PrepData;

static void
prep_data_free (PrepData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
prep_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PrepData *data = task_data;
  g_autoptr(CoPhotoPrep) prep = NULL;
  GError *error = NULL;
  GBytes *jpeg;

  if (!data->has_crop)
    jpeg = co_photo_prep_file_to_jpeg (data->path, &error);
  else if ((prep = co_photo_prep_new_from_file (data->path, &error)))
    jpeg = co_photo_prep_to_jpeg (prep, &data->crop, &error);
  else
    jpeg = NULL;

  if (jpeg != NULL)
    g_task_return_pointer (task, jpeg, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

static void
prep_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CoBatchJob) self = user_data;
  RunData *data = g_task_get_task_data (self->run_task);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  Row *row = &g_array_index (self->rows, Row, data->row);

  jpeg = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_cancellable_set_error_if_cancelled (data->cancellable, &error))
    {
      run_end (self, g_steal_pointer (&error));
      return;
    }
  if (jpeg == NULL)
    {
      GError *save_error = NULL;
      const char *code = "photo_unusable";

      if (error->domain == CO_PHOTO_PREP_ERROR)
        code = co_import_photo_problem_to_string (error->code);
      /* The message may name the file, hence the education ID: the code only. */
      g_debug ("Row %u: photo not usable (%s)", data->row, code);
      if (!save_photo_state (self, data->row, CO_BATCH_PHOTO_FAILED, code, &save_error))
        {
          run_end (self, save_error);
          return;
        }
      g_signal_emit (self, signals [ROW_CHANGED], 0, data->row);
      run_next (self);
      return;
    }

  co_client_put_photo_async (self->client, row->edu_id, jpeg, row->photo_key,
                             data->cancellable, put_photo_cb, g_object_ref (self));
}

static void
report_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CoBatchJob) self = user_data;
  RunData *data = g_task_get_task_data (self->run_task);
  g_autoptr(CoBatchReport) report = NULL;
  GError *error = NULL;
  Chunk *chunk;

  if (!(report = co_client_report_batch_finish (CO_CLIENT (object), result, &error)) ||
      !save_chunk_answer (self, data->chunk, report, &error))
    {
      run_end (self, error);
      return;
    }

  chunk = &g_array_index (self->chunks, Chunk, data->chunk);
  g_debug ("Chunk %u answered: %u accepted, %u refused", data->chunk,
           report->n_accepted, report->n_refused);
  for (guint i = chunk->first; i < chunk->first + chunk->n_rows; i++)
    g_signal_emit (self, signals [ROW_CHANGED], 0, i);
  g_signal_emit (self, signals [PROGRESS], 0, co_batch_job_get_n_done (self), self->rows->len);

  run_next (self);
}

static void
run_next (CoBatchJob *self)
{
  RunData *data = g_task_get_task_data (self->run_task);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (data->cancellable, &error))
    {
      run_end (self, error);
      return;
    }

  /* Photos of answered rows first: they follow their chunk. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (row->pub.state == CO_BATCH_ROW_ACCEPTED && row->pub.photo == CO_BATCH_PHOTO_PENDING)
        {
          g_autoptr(GTask) prep = NULL;
          PrepData *pd = g_new0 (PrepData, 1);

          data->row = i;
          pd->path = g_strdup (row->photo_path);
          pd->has_crop = row->has_crop;
          pd->crop = row->crop;
          prep = g_task_new (NULL, data->cancellable, prep_cb, g_object_ref (self));
          g_task_set_source_tag (prep, run_next);
          g_task_set_task_data (prep, pd, (GDestroyNotify) prep_data_free);
          g_task_run_in_thread (prep, prep_thread);
          return;
        }
    }

  for (guint c = 0; c < self->chunks->len; c++)
    {
      Chunk *chunk = &g_array_index (self->chunks, Chunk, c);

      if (chunk->state == CHUNK_DONE)
        continue;

      data->chunk = c;
      sqlite3_exec (self->db, "UPDATE chunks SET sends = sends + 1 WHERE idx = (SELECT min(idx) "
                              "FROM chunks WHERE state = 0)", NULL, NULL, NULL);
      g_debug ("Sending chunk %u of %u (%u rows)", c + 1, self->chunks->len, chunk->n_rows);
      co_client_report_batch_async (self->client, self->kind, chunk->body, chunk->key,
                                    data->cancellable, report_cb, g_object_ref (self));
      return;
    }

  run_end (self, NULL);
}

void
co_batch_job_run_async (CoBatchJob          *self,
                        CoClient            *client,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (CO_IS_BATCH_JOB (self));
  g_return_if_fail (CO_IS_CLIENT (client));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, co_batch_job_run_async);

  if (self->run_task != NULL)
    {
      g_task_return_new_error (task, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_RUNNING,
                               "The job is running already");
      return;
    }
  if (!self->prepared)
    {
      g_task_return_new_error (task, CO_BATCH_JOB_ERROR, CO_BATCH_JOB_ERROR_NOT_PREPARED,
                               "The job has no rows yet");
      return;
    }

  data = g_new0 (RunData, 1);
  data->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  self->run_task = g_steal_pointer (&task);
  self->client = g_object_ref (client);
  run_next (self);
}

gboolean
co_batch_job_run_finish (CoBatchJob    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
co_batch_job_is_running (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), FALSE);

  return self->run_task != NULL;
}

gboolean
co_batch_job_is_complete (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), FALSE);

  if (!self->prepared)
    return FALSE;
  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);

      if (row->pub.state == CO_BATCH_ROW_PENDING || row->pub.photo == CO_BATCH_PHOTO_PENDING)
        return FALSE;
    }
  return TRUE;
}

guint
co_batch_job_get_n_rows (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), 0);

  return self->rows->len;
}

guint
co_batch_job_get_n_chunks (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), 0);

  return self->chunks->len;
}

guint
co_batch_job_get_n_chunks_done (CoBatchJob *self)
{
  guint n = 0;

  g_return_val_if_fail (CO_IS_BATCH_JOB (self), 0);

  for (guint c = 0; c < self->chunks->len; c++)
    n += g_array_index (self->chunks, Chunk, c).state == CHUNK_DONE;
  return n;
}

guint
co_batch_job_get_n_done (CoBatchJob *self)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), 0);

  return self->rows->len - co_batch_job_count (self, CO_BATCH_ROW_PENDING);
}

guint
co_batch_job_count (CoBatchJob      *self,
                    CoBatchRowState  state)
{
  guint n = 0;

  g_return_val_if_fail (CO_IS_BATCH_JOB (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    n += g_array_index (self->rows, Row, i).pub.state == state;
  return n;
}

guint
co_batch_job_count_photos (CoBatchJob        *self,
                           CoBatchPhotoState  state)
{
  guint n = 0;

  g_return_val_if_fail (CO_IS_BATCH_JOB (self), 0);

  for (guint i = 0; i < self->rows->len; i++)
    n += g_array_index (self->rows, Row, i).pub.photo == state;
  return n;
}

const CoBatchJobRow *
co_batch_job_get_row (CoBatchJob *self,
                      guint       index)
{
  g_return_val_if_fail (CO_IS_BATCH_JOB (self), NULL);
  g_return_val_if_fail (index < self->rows->len, NULL);

  return &g_array_index (self->rows, Row, index).pub;
}
