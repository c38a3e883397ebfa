/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The server's SQLite database: WAL, foreign keys, a file only its owner can
 * read (students are minors), and numbered migrations recorded in
 * PRAGMA user_version. Every statement binds its values.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "co-server-private.h"

G_DEFINE_QUARK (co-db-error-quark, co_db_error)

/* Migration N brings the schema from version N to N + 1. Never edit a
 * released one: append. */
static const char * const migrations[] = {
  /* 0 → 1: the first schema */
  "CREATE TABLE schools ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  seq INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE school_holidays ("
  "  id INTEGER PRIMARY KEY,"
  "  school_id INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  first_day TEXT NOT NULL,"
  "  last_day TEXT NOT NULL,"
  "  CHECK (first_day <= last_day)"
  ");"
  "CREATE INDEX school_holidays_school ON school_holidays (school_id, first_day);"
  "CREATE TABLE staff ("
  "  id INTEGER PRIMARY KEY,"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  username TEXT NOT NULL UNIQUE,"
  "  pw_hash TEXT NOT NULL,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE tokens ("
  "  hash BLOB PRIMARY KEY,"
  "  staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  revoked_at INTEGER"
  ") WITHOUT ROWID;"
  "CREATE TABLE photos ("
  "  etag TEXT PRIMARY KEY,"
  "  data BLOB NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE students ("
  "  edu_id TEXT PRIMARY KEY CHECK (length (edu_id) = 8),"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  name TEXT NOT NULL,"
  "  gender TEXT NOT NULL CHECK (gender IN ('male', 'female')),"
  "  grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),"
  "  class_name TEXT NOT NULL,"
  "  entry TEXT NOT NULL,"
  "  photo_etag TEXT REFERENCES photos (etag),"
  "  card_no TEXT REFERENCES cards (card_no) DEFERRABLE INITIALLY DEFERRED,"
  "  reissue_id INTEGER REFERENCES reissues (id) DEFERRABLE INITIALLY DEFERRED,"
  "  seq INTEGER NOT NULL,"
  "  removed INTEGER NOT NULL DEFAULT 0,"
  "  updated_at TEXT NOT NULL"
  ");"
  "CREATE INDEX students_school_seq ON students (school_id, seq);"
  "CREATE INDEX students_school_class ON students (school_id, grade, class_name);"
  "CREATE INDEX students_name ON students (school_id, name);"
  "CREATE TABLE cards ("
  "  card_no TEXT PRIMARY KEY,"
  "  edu_id TEXT NOT NULL REFERENCES students (edu_id) DEFERRABLE INITIALLY DEFERRED,"
  "  bjt_no TEXT NOT NULL,"
  "  uid TEXT NOT NULL UNIQUE,"
  "  status TEXT NOT NULL CHECK (status IN ('not_issued', 'active', 'reported_lost', 'cancelled')),"
  "  issued_on TEXT,"
  "  valid_until TEXT,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE INDEX cards_edu_id ON cards (edu_id);"
  "CREATE INDEX cards_bjt_no ON cards (bjt_no);"
  "CREATE TABLE reissues ("
  "  id INTEGER PRIMARY KEY,"
  "  edu_id TEXT NOT NULL REFERENCES students (edu_id) DEFERRABLE INITIALLY DEFERRED,"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  card_no TEXT NOT NULL REFERENCES cards (card_no) DEFERRABLE INITIALLY DEFERRED,"
  "  status TEXT NOT NULL,"
  "  delivery TEXT NOT NULL CHECK (delivery IN ('home', 'school')),"
  "  address TEXT,"
  "  recipient TEXT,"
  "  phone TEXT,"
  "  fee_fen INTEGER NOT NULL,"
  "  courier_fee_fen INTEGER,"
  "  courier_no TEXT,"
  "  code_url TEXT,"
  "  created_at TEXT NOT NULL,"
  "  paid_at TEXT,"
  "  due_on TEXT,"
  "  payment_expires_at TEXT,"
  "  payment_expires_unix INTEGER,"
  "  new_card_no TEXT"
  ");"
  "CREATE INDEX reissues_school_status ON reissues (school_id, status, id);"
  "CREATE INDEX reissues_edu_id ON reissues (edu_id);"
  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  at TEXT NOT NULL,"
  "  staff TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  edu_id TEXT,"
  "  before TEXT,"
  "  after TEXT"
  ");"
  "CREATE INDEX audit_school ON audit (school_id, id);"
  "CREATE INDEX audit_school_edu ON audit (school_id, edu_id, id);"
  "CREATE TABLE idempotency ("
  "  staff_id INTEGER NOT NULL,"
  "  key TEXT NOT NULL,"
  "  fingerprint BLOB NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  content_type TEXT,"
  "  body BLOB,"
  "  created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (staff_id, key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX idempotency_created ON idempotency (created_at);",

  /* 1 → 2: batches (新制卡, 卡贴) and the transit validity check */
  "ALTER TABLE cards ADD COLUMN transit_rejected INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE batches ("
  "  id INTEGER PRIMARY KEY,"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('new_card', 'sticker')),"
  "  staff TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  result TEXT"
  ");"
  "CREATE TABLE stickers ("
  "  id INTEGER PRIMARY KEY,"
  "  edu_id TEXT NOT NULL REFERENCES students (edu_id),"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  card_no TEXT NOT NULL REFERENCES cards (card_no),"
  "  stage TEXT NOT NULL CHECK (stage IN ('primary', 'junior', 'senior')),"
  "  batch_id INTEGER REFERENCES batches (id),"
  "  created_at TEXT NOT NULL,"
  "  UNIQUE (edu_id, stage)"
  ");"
  "CREATE TABLE transit_reviews ("
  "  id INTEGER PRIMARY KEY,"
  "  card_no TEXT NOT NULL REFERENCES cards (card_no),"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  decision TEXT NOT NULL CHECK (decision IN ('confirm', 'reject')),"
  "  note TEXT,"
  "  staff TEXT NOT NULL,"
  "  reviewed_at TEXT NOT NULL"
  ");"
  "CREATE INDEX transit_reviews_card ON transit_reviews (card_no, id);",

  /* 2 → 3: check-ins at events (核验), sent from the clients' outboxes */
  "CREATE TABLE check_ins ("
  "  id INTEGER PRIMARY KEY,"
  "  school_id INTEGER NOT NULL REFERENCES schools (id),"
  "  event_id TEXT NOT NULL,"
  "  edu_id TEXT,"
  "  at TEXT NOT NULL,"
  "  verdict TEXT NOT NULL,"
  "  card_uid TEXT,"
  "  staff TEXT NOT NULL,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE INDEX check_ins_event ON check_ins (school_id, event_id, id);",

  /* 3 → 4: where a batch is (已提交 → 制卡中 → 已送达学校) */
  "ALTER TABLE batches ADD COLUMN state TEXT NOT NULL DEFAULT 'submitted'"
  " CHECK (state IN ('submitted', 'in_production', 'delivered_to_school'));",
};

int
co_db_schema_version (void)
{
  return G_N_ELEMENTS (migrations);
}

gboolean
co_db_exec (sqlite3     *db,
            const char  *sql,
            GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, CO_DB_ERROR, 0, "%s", message ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static int
user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return version;
}

/* Brings the schema to version @target (-1: the latest). */
gboolean
co_db_migrate (sqlite3  *db,
               int       target,
               GError  **error)
{
  int version = user_version (db);

  if (target < 0 || target > co_db_schema_version ())
    target = co_db_schema_version ();

  if (version < 0)
    {
      g_set_error (error, CO_DB_ERROR, 0, "cannot read the schema version: %s",
                   sqlite3_errmsg (db));
      return FALSE;
    }

  if (version > co_db_schema_version ())
    {
      g_set_error (error, CO_DB_ERROR, 0,
                   "the database has schema version %d, newer than this server's %d",
                   version, co_db_schema_version ());
      return FALSE;
    }

  for (; version < target; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!co_db_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!co_db_exec (db, migrations[version], error) || !co_db_exec (db, bump, error))
        {
          g_prefix_error (error, "migration %d → %d: ", version, version + 1);
          co_db_exec (db, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!co_db_exec (db, "COMMIT", error))
        return FALSE;
      g_debug ("database migrated to schema version %d", version + 1);
    }

  return TRUE;
}

/* The file holds minors' data: created 0600, tightened when it exists. The
 * -wal and -shm files take the main file's mode. */
static gboolean
prepare_file (const char  *path,
              GError     **error)
{
  int fd;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot open the database: %s", g_strerror (saved));
      return FALSE;
    }

  if (fchmod (fd, 0600) != 0)
    {
      int saved = errno;
      close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "cannot restrict the database's mode: %s", g_strerror (saved));
      return FALSE;
    }

  close (fd);

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *side = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);

      if (g_file_test (side, G_FILE_TEST_EXISTS))
        g_chmod (side, 0600);
    }

  return TRUE;
}

sqlite3 *
co_db_open (const char  *path,
            int          target_version,
            GError     **error)
{
  sqlite3 *db = NULL;
  g_autofree char *mode = NULL;
  sqlite3_stmt *stmt = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!prepare_file (path, error))
    return NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, CO_DB_ERROR, 0, "cannot open the database: %s",
                   db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, 5000);

  if (sqlite3_prepare_v2 (db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    mode = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, CO_DB_ERROR, 0, "cannot switch the database to WAL (mode %s)",
                   mode ? mode : "unknown");
      sqlite3_close (db);
      return NULL;
    }

  if (!co_db_exec (db,
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA synchronous = NORMAL;"
                   "PRAGMA temp_store = MEMORY;",
                   error) ||
      !co_db_migrate (db, target_version, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  return db;
}

/* Statements are prepared once and cached by their SQL text; the caller
 * steps, and the next co_db_stmt() of the same text resets it. A statement
 * is never used twice at once. */
sqlite3_stmt *
co_db_stmt (CoServer   *self,
            const char *sql)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
          SQLITE_OK)
        {
          g_critical ("cannot prepare a statement: %s", sqlite3_errmsg (self->db));
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  return stmt;
}

void
co_db_bind_text (sqlite3_stmt *stmt,
                 int           index,
                 const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

const char *
co_db_text (sqlite3_stmt *stmt,
            int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* Steps a statement that returns no row; logs a failure (no values). */
gboolean
co_db_step_done (CoServer     *self,
                 sqlite3_stmt *stmt)
{
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_warning ("database: %s", sqlite3_errmsg (self->db));
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

/* The school's change sequence: every change to a student, their card or
 * reissue takes the next number (the roster cursor). */
gint64
co_db_next_seq (CoServer *self,
                gint64    school_id)
{
  sqlite3_stmt *stmt;
  gint64 seq = -1;

  stmt = co_db_stmt (self, "UPDATE schools SET seq = seq + 1 WHERE id = ? RETURNING seq");
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, school_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return seq;
}

gboolean
co_db_touch_student (CoServer   *self,
                     gint64      school_id,
                     const char *edu_id)
{
  g_autofree char *now = co_server_now_string (self);
  sqlite3_stmt *stmt;
  gint64 seq;

  seq = co_db_next_seq (self, school_id);
  if (seq < 0)
    return FALSE;

  stmt = co_db_stmt (self, "UPDATE students SET seq = ?, updated_at = ? WHERE edu_id = ?");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  co_db_bind_text (stmt, 2, now);
  co_db_bind_text (stmt, 3, edu_id);

  return co_db_step_done (self, stmt);
}

gboolean
co_db_audit (CoServer      *self,
             const CoStaff *staff,
             const char    *action,
             const char    *edu_id,
             JsonNode      *before,
             JsonNode      *after)
{
  g_autofree char *now = co_server_now_string (self);
  g_autofree char *before_text = before ? json_to_string (before, FALSE) : NULL;
  g_autofree char *after_text = after ? json_to_string (after, FALSE) : NULL;
  sqlite3_stmt *stmt;

  stmt = co_db_stmt (self,
                     "INSERT INTO audit (school_id, at, staff, action, edu_id, before, after)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, staff->school_id);
  co_db_bind_text (stmt, 2, now);
  co_db_bind_text (stmt, 3, staff->username);
  co_db_bind_text (stmt, 4, action);
  co_db_bind_text (stmt, 5, edu_id);
  co_db_bind_text (stmt, 6, before_text);
  co_db_bind_text (stmt, 7, after_text);

  return co_db_step_done (self, stmt);
}

gint64
co_db_ensure_school (CoServer   *self,
                     const char *name)
{
  sqlite3_stmt *stmt;
  gint64 id = -1;

  stmt = co_db_stmt (self, "INSERT INTO schools (name) VALUES (?)"
                           " ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id");
  if (stmt == NULL)
    return -1;
  co_db_bind_text (stmt, 1, name);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return id;
}
