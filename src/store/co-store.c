/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Two connections to one WAL file: `rdb` for the owning (main) thread's
 * lookups and list model, `wdb` for every write, from any thread, under
 * `write_lock`. Enums are stored by their wire names, so reordering an enum
 * never changes the meaning of a stored row.
 */
#define G_LOG_DOMAIN "co-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "co-enum-types.h"
#include "co-store.h"
#include "co-store-private.h"
#include "co-store-students.h"

#define CHANGES_DELAY_MS 250

/* Each migration takes the schema from version i to i + 1. */
static const char * const migrations[] = {
  /* 1 */
  "CREATE TABLE meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE students ("
  "  edu_id      TEXT PRIMARY KEY NOT NULL CHECK (length (edu_id) = 8),"
  "  name        TEXT NOT NULL,"
  "  gender      TEXT NOT NULL,"
  "  grade       INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 12),"
  "  class_name  TEXT NOT NULL,"
  "  entry       TEXT NOT NULL,"
  "  school_name TEXT NOT NULL,"
  "  photo_etag  TEXT,"
  "  updated_at  TEXT,"
  "  card_no     TEXT"
  ") WITHOUT ROWID;"
  "CREATE TABLE cards ("
  "  card_no     TEXT PRIMARY KEY NOT NULL,"
  "  edu_id      TEXT NOT NULL,"
  "  bjt_no      TEXT NOT NULL,"
  "  uid         TEXT NOT NULL,"
  "  status      TEXT NOT NULL,"
  "  issued_on   TEXT,"
  "  valid_until TEXT"
  ") WITHOUT ROWID;"
  "CREATE INDEX cards_by_uid ON cards (uid);"
  "CREATE INDEX cards_by_edu_id ON cards (edu_id);"
  "CREATE TABLE reissues ("
  "  id                 INTEGER PRIMARY KEY,"
  "  edu_id             TEXT NOT NULL,"
  "  status             TEXT NOT NULL,"
  "  delivery           TEXT NOT NULL,"
  "  address            TEXT,"
  "  recipient          TEXT,"
  "  phone              TEXT,"
  "  fee_fen            INTEGER NOT NULL,"
  "  courier_fee_fen    INTEGER,"
  "  courier_no         TEXT,"
  "  created_at         TEXT NOT NULL,"
  "  paid_at            TEXT,"
  "  due_on             TEXT,"
  "  payment_expires_at TEXT"
  ");"
  "CREATE INDEX reissues_by_edu_id ON reissues (edu_id, id);"
  "CREATE TABLE photos ("
  "  edu_id    TEXT PRIMARY KEY NOT NULL,"
  "  etag      TEXT NOT NULL,"
  "  jpeg      BLOB NOT NULL,"
  "  stored_at TEXT NOT NULL"
  ") WITHOUT ROWID;"
  /* Operations made offline, sent later with their Idempotency-Key. */
  "CREATE TABLE outbox ("
  "  id              INTEGER PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  method          TEXT NOT NULL,"
  "  path            TEXT NOT NULL,"
  "  content_type    TEXT,"
  "  body            BLOB,"
  "  created_at      TEXT NOT NULL,"
  "  attempts        INTEGER NOT NULL DEFAULT 0,"
  "  last_error      TEXT"
  ");",
  /* 2: check-ins at events (核验), kept for good; each is also queued in
   * the outbox, in the same transaction. */
  "CREATE TABLE check_ins ("
  "  idempotency_key TEXT PRIMARY KEY NOT NULL,"
  "  event_id        TEXT NOT NULL,"
  "  edu_id          TEXT,"
  "  result          TEXT NOT NULL,"
  "  checked_at      TEXT NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX check_ins_by_event ON check_ins (event_id, checked_at);",
  /* 3: events made at this desk (co-store-events.c); @allowed is the
   * list as JSON, NULL: everybody. */
  "CREATE TABLE events ("
  "  id         TEXT PRIMARY KEY NOT NULL,"
  "  name       TEXT NOT NULL,"
  "  date       TEXT NOT NULL,"
  "  allowed    TEXT,"
  "  created_at TEXT NOT NULL"
  ") WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == CO_STORE_SCHEMA_VERSION);

enum {
  W_FIND_STUDENT,
  W_PUT_STUDENT,
  W_PUT_CARD,
  W_CANCEL_CARD,
  W_PUT_REISSUE,
  W_DELETE_STUDENT,
  W_DELETE_CARDS,
  W_DELETE_REISSUES,
  W_DELETE_PHOTO,
  W_PUT_META,
  N_WRITE_STMTS
};

static const char * const write_sql[N_WRITE_STMTS] = {
  [W_FIND_STUDENT] = "SELECT card_no FROM students WHERE edu_id = ?1",
  [W_PUT_STUDENT] =
    "INSERT OR REPLACE INTO students (edu_id, name, gender, grade, class_name, entry,"
    " school_name, photo_etag, updated_at, card_no)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
  [W_PUT_CARD] =
    "INSERT INTO cards (card_no, edu_id, bjt_no, uid, status, issued_on, valid_until)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (card_no) DO UPDATE SET edu_id = ?2, bjt_no = ?3, uid = ?4, status = ?5,"
    " issued_on = coalesce (?6, issued_on), valid_until = ?7",
  [W_CANCEL_CARD] = "UPDATE cards SET status = 'cancelled' WHERE card_no = ?1",
  [W_PUT_REISSUE] =
    "INSERT OR REPLACE INTO reissues (id, edu_id, status, delivery, address, recipient, phone,"
    " fee_fen, courier_fee_fen, courier_no, created_at, paid_at, due_on, payment_expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
  [W_DELETE_STUDENT] = "DELETE FROM students WHERE edu_id = ?1",
  [W_DELETE_CARDS] = "DELETE FROM cards WHERE edu_id = ?1",
  [W_DELETE_REISSUES] = "DELETE FROM reissues WHERE edu_id = ?1",
  [W_DELETE_PHOTO] = "DELETE FROM photos WHERE edu_id = ?1",
  [W_PUT_META] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
};

enum {
  R_STUDENT,
  R_EDU_IDS,
  R_CARD_BY_UID,
  R_CARD_BY_EDU_ID,
  R_CARD_BY_NO,
  R_REISSUE,
  R_PHOTO,
  R_META,
  N_READ_STMTS
};

#define STUDENT_COLUMNS \
  "s.edu_id, s.name, s.gender, s.grade, s.class_name, s.entry, s.school_name, s.photo_etag," \
  " s.card_no, c.bjt_no, c.uid, c.status, c.valid_until"

#define CARD_COLUMNS "card_no, edu_id, bjt_no, uid, status, issued_on"

static const char * const read_sql[N_READ_STMTS] = {
  [R_STUDENT] =
    "SELECT " STUDENT_COLUMNS " FROM students s LEFT JOIN cards c ON c.card_no = s.card_no"
    " WHERE s.edu_id = ?1",
  [R_EDU_IDS] = "SELECT edu_id FROM students ORDER BY edu_id",
  [R_CARD_BY_UID] = "SELECT " CARD_COLUMNS " FROM cards WHERE uid = upper (?1)"
                    " ORDER BY status = 'cancelled', issued_on DESC LIMIT 1",
  [R_CARD_BY_EDU_ID] = "SELECT " CARD_COLUMNS " FROM cards"
                       " WHERE card_no = (SELECT card_no FROM students WHERE edu_id = ?1)",
  [R_CARD_BY_NO] = "SELECT " CARD_COLUMNS " FROM cards WHERE card_no = ?1",
  [R_REISSUE] =
    "SELECT id, edu_id, status, delivery, address, recipient, phone, fee_fen, courier_fee_fen,"
    " courier_no, created_at, paid_at, due_on FROM reissues WHERE edu_id = ?1"
    " ORDER BY id DESC LIMIT 1",
  [R_PHOTO] = "SELECT etag, jpeg FROM photos WHERE edu_id = ?1",
  [R_META] = "SELECT value FROM meta WHERE key = ?1",
};

struct _CoStore
{
  GObject          parent_instance;

  char            *path;

  /* the owning thread's connection */
  sqlite3         *rdb;
  sqlite3_stmt    *rstmt[N_READ_STMTS];

  /* writes, any thread */
  GMutex           write_lock;
  sqlite3         *wdb;
  sqlite3_stmt    *wstmt[N_WRITE_STMTS];

  GThread         *owner;     /* the thread that opened the store */
  CoStoreStudents *students;
  CoStoreChanges  *pending;
  guint            pending_id;
  gboolean         syncing;
};

G_DEFINE_FINAL_TYPE (CoStore, co_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (co-store-error-quark, co_store_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* Helpers */

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *what)
{
  /* Right after the failed call: what the last write(2) said. */
  int saved_errno = errno;
  int code;

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = CO_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = CO_STORE_ERROR_OPEN;
      break;
    case SQLITE_FULL:
      code = CO_STORE_ERROR_DISK_FULL;
      break;
    case SQLITE_IOERR:
      {
        /* SQLite says SQLITE_FULL for ENOSPC only; a quota or a file size
         * limit is the same to the user. SQLite does not always keep the
         * system errno, so errno itself is asked too. */
        int errnum = db != NULL ? sqlite3_system_errno (db) : 0;

        if (errnum == 0)
          errnum = saved_errno;

        if (errnum == ENOSPC || errnum == EFBIG || errnum == EDQUOT)
          code = CO_STORE_ERROR_DISK_FULL;
        else
          code = CO_STORE_ERROR_IO;
      }
      break;
    default:
      code = CO_STORE_ERROR_IO;
      break;
    }

  g_set_error (error, CO_STORE_ERROR, code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (error, db, rc, "exec");

  return TRUE;
}

static void
bind_text (sqlite3_stmt *stmt,
           int           i,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static void
bind_enum (sqlite3_stmt *stmt,
           int           i,
           GType         type,
           int           value)
{
  bind_text (stmt, i, co_enum_to_wire (type, value));
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           i)
{
  return (const char *) sqlite3_column_text (stmt, i);
}

static int
column_enum (sqlite3_stmt *stmt,
             int           i,
             GType         type,
             int           fallback)
{
  int v;

  if (!co_enum_from_wire (type, column_text (stmt, i), &v))
    return fallback;

  return v;
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (sqlite3       *db,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);
  /* Before the reset, whose rollback may clear the system errno. */
  gboolean ok = rc == SQLITE_DONE || set_sqlite_error (error, db, rc, "step");

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return ok;
}

static void
finish_read (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

/* The read connection and the list model belong to the opening thread: a
 * use from elsewhere would be a data race. */
static void
assert_owner (CoStore *self)
{
  g_assert (self->owner == g_thread_self ());
}

static sqlite3 *
open_connection (const char  *path,
                 GError     **error)
{
  sqlite3 *db = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, "open");
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 10000);

  if (!exec (db, "PRAGMA journal_mode = WAL;"
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA temp_store = MEMORY;"
                 "PRAGMA cache_size = -16000;", error))
    {
      sqlite3_close (db);
      return NULL;
    }

  return db;
}

static gboolean
prepare_all (sqlite3            *db,
             const char * const *sql,
             sqlite3_stmt      **stmts,
             guint               n,
             GError            **error)
{
  for (guint i = 0; i < n; i++)
    {
      int rc = sqlite3_prepare_v3 (db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &stmts[i], NULL);

      if (rc != SQLITE_OK)
        return set_sqlite_error (error, db, rc, "prepare");
    }

  return TRUE;
}

static gboolean
migrate (sqlite3  *db,
         GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  int rc;

  if ((rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL)) != SQLITE_OK)
    return set_sqlite_error (error, db, rc, "user_version");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > CO_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, CO_STORE_ERROR, CO_STORE_ERROR_TOO_NEW,
                   "schema version %d is newer than %d", version, CO_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version; v < CO_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);
      g_autoptr(GError) local_error = NULL;

      if (!exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!exec (db, migrations[v], &local_error) || !exec (db, set_version, &local_error))
        {
          exec (db, "ROLLBACK", NULL);
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "migration to %d: ", v + 1);
          return FALSE;
        }

      if (!exec (db, "COMMIT", error))
        return FALSE;

      g_debug ("schema migrated to version %d", v + 1);
    }

  return TRUE;
}

/* The file 0600 before SQLite opens it: its -wal and -shm files copy the
 * mode. An existing file that is readable by others is tightened. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, CO_STORE_ERROR, CO_STORE_ERROR_OPEN,
                   "cannot create the store folder: %s", g_strerror (errsv));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, CO_STORE_ERROR, CO_STORE_ERROR_OPEN,
                   "cannot create the store file: %s", g_strerror (errsv));
      return FALSE;
    }

  if (fchmod (fd, 0600) != 0)
    {
      int errsv = errno;
      close (fd);
      g_set_error (error, CO_STORE_ERROR, CO_STORE_ERROR_OPEN,
                   "cannot protect the store file: %s", g_strerror (errsv));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

static char *
read_meta (CoStore    *self,
           const char *key)
{
  sqlite3_stmt *stmt = self->rstmt[R_META];
  char *value = NULL;

  assert_owner (self);

  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (column_text (stmt, 0));
  finish_read (stmt);

  return value;
}

static void
student_from_row (sqlite3_stmt  *stmt,
                  CoStudent     *student)
{
  const char *card_no = column_text (stmt, 8);

  co_student_set_name (student, column_text (stmt, 1));
  co_student_set_gender (student, column_enum (stmt, 2, CO_TYPE_GENDER, CO_GENDER_MALE));
  co_student_set_grade (student, sqlite3_column_int (stmt, 3));
  co_student_set_class_name (student, column_text (stmt, 4));
  co_student_set_entry (student, column_enum (stmt, 5, CO_TYPE_ENTRY, CO_ENTRY_CONTINUING));
  co_student_set_school (student, column_text (stmt, 6));
  co_student_set_photo_etag (student, column_text (stmt, 7));
  co_student_set_card_no (student, card_no);
  co_student_set_bjt_no (student, card_no ? column_text (stmt, 9) : NULL);
  co_student_set_uid (student, card_no ? column_text (stmt, 10) : NULL);
  co_student_set_card_status (student, card_no ? column_enum (stmt, 11, CO_TYPE_CARD_STATUS,
                                                              CO_CARD_STATUS_NOT_ISSUED)
                                               : CO_CARD_STATUS_NOT_ISSUED);
  co_student_set_valid_until (student, card_no ? column_text (stmt, 12) : NULL);
}

static CoCard *
card_from_row (sqlite3_stmt *stmt)
{
  CoCard *card = co_card_new (column_text (stmt, 0));

  co_card_set_edu_id (card, column_text (stmt, 1));
  co_card_set_bjt_no (card, column_text (stmt, 2));
  co_card_set_uid (card, column_text (stmt, 3));
  co_card_set_status (card, column_enum (stmt, 4, CO_TYPE_CARD_STATUS, CO_CARD_STATUS_CANCELLED));
  co_card_set_issued_on (card, column_text (stmt, 5));

  return card;
}

/* Writes (write_lock held) */

static gboolean
put_card (CoStore                *self,
          const CoStudentRecord  *r,
          GError                **error)
{
  sqlite3_stmt *stmt = self->wstmt[W_PUT_CARD];

  bind_text (stmt, 1, r->card_no);
  bind_text (stmt, 2, r->edu_id);
  bind_text (stmt, 3, r->bjt_no);
  bind_text (stmt, 4, r->uid);
  bind_enum (stmt, 5, CO_TYPE_CARD_STATUS, r->card_status);
  bind_text (stmt, 6, r->issued_on);
  bind_text (stmt, 7, r->valid_until);

  return step_done (self->wdb, stmt, error);
}

static gboolean
put_reissue (CoStore                *self,
             const CoReissueRecord  *r,
             GError                **error)
{
  sqlite3_stmt *stmt = self->wstmt[W_PUT_REISSUE];

  sqlite3_bind_int64 (stmt, 1, r->id);
  bind_text (stmt, 2, r->edu_id);
  bind_enum (stmt, 3, CO_TYPE_REISSUE_STATUS, r->status);
  bind_enum (stmt, 4, CO_TYPE_DELIVERY, r->delivery);
  bind_text (stmt, 5, r->address);
  bind_text (stmt, 6, r->recipient);
  bind_text (stmt, 7, r->phone);
  sqlite3_bind_int (stmt, 8, r->fee_fen);
  if (r->courier_fee_fen >= 0)
    sqlite3_bind_int (stmt, 9, r->courier_fee_fen);
  else
    sqlite3_bind_null (stmt, 9);
  bind_text (stmt, 10, r->courier_no);
  bind_text (stmt, 11, r->created_at);
  bind_text (stmt, 12, r->paid_at);
  bind_text (stmt, 13, r->due_on);
  bind_text (stmt, 14, r->payment_expires_at);

  return step_done (self->wdb, stmt, error);
}

/* The student's current card before this write, or NULL; *@exists says
 * whether the student is known at all. */
static char *
find_student (CoStore    *self,
              const char *edu_id,
              gboolean   *exists)
{
  sqlite3_stmt *stmt = self->wstmt[W_FIND_STUDENT];
  char *card_no = NULL;

  bind_text (stmt, 1, edu_id);
  *exists = sqlite3_step (stmt) == SQLITE_ROW;
  if (*exists)
    card_no = g_strdup (column_text (stmt, 0));
  finish_read (stmt);

  return card_no;
}

/* A new card replaces the old one for good (DOMAIN.md, rule 6). */
static gboolean
cancel_replaced_card (CoStore     *self,
                      const char  *old_card_no,
                      const char  *new_card_no,
                      GError     **error)
{
  sqlite3_stmt *stmt = self->wstmt[W_CANCEL_CARD];

  if (old_card_no == NULL || g_strcmp0 (old_card_no, new_card_no) == 0)
    return TRUE;

  bind_text (stmt, 1, old_card_no);
  return step_done (self->wdb, stmt, error);
}

static gboolean
put_student_record (CoStore                *self,
                    const CoStudentRecord  *r,
                    CoStoreChanges         *changes,
                    GError                **error)
{
  sqlite3_stmt *stmt = self->wstmt[W_PUT_STUDENT];
  g_autofree char *old_card = NULL;
  gboolean exists;

  old_card = find_student (self, r->edu_id, &exists);

  bind_text (stmt, 1, r->edu_id);
  bind_text (stmt, 2, r->name);
  bind_enum (stmt, 3, CO_TYPE_GENDER, r->gender);
  sqlite3_bind_int (stmt, 4, r->grade);
  bind_text (stmt, 5, r->class_name);
  bind_enum (stmt, 6, CO_TYPE_ENTRY, r->entry);
  bind_text (stmt, 7, r->school_name);
  bind_text (stmt, 8, r->photo_etag);
  bind_text (stmt, 9, r->updated_at);
  bind_text (stmt, 10, r->has_card ? r->card_no : NULL);

  if (!step_done (self->wdb, stmt, error) ||
      (r->has_card && !put_card (self, r, error)) ||
      !cancel_replaced_card (self, old_card, r->has_card ? r->card_no : NULL, error) ||
      (r->has_reissue && !put_reissue (self, &r->reissue, error)))
    return FALSE;

  if (!exists)
    changes->membership_changed = TRUE;
  g_ptr_array_add (changes->changed, g_strdup (r->edu_id));

  return TRUE;
}

static gboolean
remove_student (CoStore         *self,
                const char      *edu_id,
                CoStoreChanges  *changes,
                GError         **error)
{
  static const int stmts[] = { W_DELETE_STUDENT, W_DELETE_CARDS, W_DELETE_REISSUES, W_DELETE_PHOTO };

  for (guint i = 0; i < G_N_ELEMENTS (stmts); i++)
    {
      sqlite3_stmt *stmt = self->wstmt[stmts[i]];

      bind_text (stmt, 1, edu_id);
      if (!step_done (self->wdb, stmt, error))
        return FALSE;

      if (stmts[i] == W_DELETE_STUDENT && sqlite3_changes (self->wdb) > 0)
        {
          changes->membership_changed = TRUE;
          changes->n_removed++;
        }
    }

  return TRUE;
}

static gboolean
put_meta (CoStore     *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt = self->wstmt[W_PUT_META];

  bind_text (stmt, 1, key);
  bind_text (stmt, 2, value);

  return step_done (self->wdb, stmt, error);
}

static gboolean
clear_locked (CoStore         *self,
              CoStoreChanges  *changes,
              GError         **error)
{
  if (!exec (self->wdb,
             "DELETE FROM students;"
             "DELETE FROM cards;"
             "DELETE FROM reissues;"
             "DELETE FROM photos;"
             "DELETE FROM meta WHERE key IN ('roster_cursor', 'scope', 'synced_at');", error))
    return FALSE;

  changes->membership_changed = TRUE;
  return TRUE;
}

static gboolean
begin (CoStore  *self,
       GError  **error)
{
  return exec (self->wdb, "BEGIN IMMEDIATE", error);
}

static gboolean
commit_or_rollback (CoStore   *self,
                    gboolean   ok,
                    GError   **error)
{
  if (ok && exec (self->wdb, "COMMIT", error))
    return TRUE;

  exec (self->wdb, "ROLLBACK", NULL);
  return FALSE;
}

/* Changes */

CoStoreChanges *
_co_store_changes_new (void)
{
  CoStoreChanges *changes = g_new0 (CoStoreChanges, 1);

  changes->changed = g_ptr_array_new_with_free_func (g_free);

  return changes;
}

void
_co_store_changes_free (CoStoreChanges *changes)
{
  if (changes == NULL)
    return;

  g_ptr_array_unref (changes->changed);
  g_free (changes);
}

static gboolean
on_pending_changes_cb (gpointer user_data)
{
  CoStore *self = user_data;

  self->pending_id = 0;
  _co_store_flush_changes (self);

  return G_SOURCE_REMOVE;
}

void
_co_store_queue_changes (CoStore        *self,
                         CoStoreChanges *changes)
{
  g_return_if_fail (CO_IS_STORE (self));
  g_return_if_fail (changes != NULL);

  if (self->pending == NULL)
    {
      self->pending = changes;
    }
  else
    {
      self->pending->membership_changed |= changes->membership_changed;
      self->pending->n_removed += changes->n_removed;
      g_ptr_array_extend_and_steal (self->pending->changed, g_steal_pointer (&changes->changed));
      changes->changed = g_ptr_array_new ();
      _co_store_changes_free (changes);
    }

  if (self->pending_id == 0)
    self->pending_id = g_timeout_add (CHANGES_DELAY_MS, on_pending_changes_cb, self);
}

void
_co_store_flush_changes (CoStore *self)
{
  g_autoptr(CoStoreChanges) changes = NULL;

  g_return_if_fail (CO_IS_STORE (self));

  g_clear_handle_id (&self->pending_id, g_source_remove);

  if (!(changes = g_steal_pointer (&self->pending)))
    return;

  if (self->students != NULL)
    _co_store_students_apply (self->students, changes);

  g_signal_emit (self, signals [CHANGED], 0);
}

/* For co-sync */

gboolean
_co_store_begin_sync (CoStore *self)
{
  g_return_val_if_fail (CO_IS_STORE (self), FALSE);

  if (self->syncing)
    return FALSE;

  self->syncing = TRUE;
  return TRUE;
}

void
_co_store_end_sync (CoStore *self)
{
  g_return_if_fail (CO_IS_STORE (self));

  self->syncing = FALSE;
}

/* For CoStoreStudents */

GArray *
_co_store_load_edu_ids (CoStore *self)
{
  sqlite3_stmt *stmt = self->rstmt[R_EDU_IDS];
  GArray *ids = g_array_new (FALSE, TRUE, sizeof (CoEduId));

  assert_owner (self);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *edu_id = column_text (stmt, 0);
      CoEduId id;

      if (edu_id == NULL || strlen (edu_id) != 8)
        continue;

      memcpy (id.id, edu_id, 9);
      g_array_append_val (ids, id);
    }
  finish_read (stmt);

  return ids;
}

/* Reads @edu_id into @update (when given) or a new *@out. */
gboolean
_co_store_read_student (CoStore     *self,
                        const char  *edu_id,
                        CoStudent   *update,
                        CoStudent  **out)
{
  sqlite3_stmt *stmt = self->rstmt[R_STUDENT];
  gboolean found = FALSE;

  assert_owner (self);

  bind_text (stmt, 1, edu_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CoStudent *student = update;

      if (student == NULL)
        student = co_student_new (edu_id, column_text (stmt, 1));

      g_object_freeze_notify (G_OBJECT (student));
      student_from_row (stmt, student);
      g_object_thaw_notify (G_OBJECT (student));

      if (out != NULL)
        *out = update ? g_object_ref (student) : student;
      else if (update == NULL)
        g_object_unref (student);
      found = TRUE;
    }
  finish_read (stmt);

  return found;
}

gboolean
_co_store_apply_roster_page (CoStore             *self,
                             const CoRosterDelta  *page,
                             gboolean             reset,
                             const char          *scope,
                             CoStoreChanges      *changes,
                             GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->write_lock);

  ok = begin (self, error);
  if (ok)
    {
      if (reset)
        ok = clear_locked (self, changes, error);

      for (guint i = 0; ok && i < page->students->len; i++)
        ok = put_student_record (self, &g_array_index (page->students, CoStudentRecord, i),
                                 changes, error);

      for (guint i = 0; ok && i < page->removed->len; i++)
        ok = remove_student (self, g_ptr_array_index (page->removed, i), changes, error);

      ok = ok && put_meta (self, "roster_cursor", page->next_cursor, error);
      if (ok)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autofree char *synced_at = g_date_time_format_iso8601 (now);

          ok = put_meta (self, "synced_at", synced_at, error);
        }
      ok = ok && (scope == NULL || put_meta (self, "scope", scope, error));
      ok = commit_or_rollback (self, ok, error);
    }

  g_mutex_unlock (&self->write_lock);

  return ok;
}

/* GObject */

static void
co_store_dispose (GObject *object)
{
  CoStore *self = (CoStore *)object;

  g_clear_handle_id (&self->pending_id, g_source_remove);
  g_clear_pointer (&self->pending, _co_store_changes_free);

  if (self->students != NULL)
    {
      _co_store_students_detach (self->students);
      g_clear_object (&self->students);
    }

  G_OBJECT_CLASS (co_store_parent_class)->dispose (object);
}

static void
co_store_finalize (GObject *object)
{
  CoStore *self = (CoStore *)object;

  for (guint i = 0; i < N_READ_STMTS; i++)
    sqlite3_finalize (self->rstmt[i]);
  for (guint i = 0; i < N_WRITE_STMTS; i++)
    sqlite3_finalize (self->wstmt[i]);

  if (self->rdb != NULL)
    sqlite3_close (self->rdb);
  if (self->wdb != NULL)
    sqlite3_close (self->wdb);

  g_mutex_clear (&self->write_lock);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (co_store_parent_class)->finalize (object);
}

static void
co_store_class_init (CoStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = co_store_dispose;
  object_class->finalize = co_store_finalize;

  /**
   * CoStore::changed:
   *
   * The snapshot changed (after the list model emitted items-changed).
   */
  signals [CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
co_store_init (CoStore *self)
{
  g_mutex_init (&self->write_lock);
}

/* Public API */

char *
co_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "card-office", "store.sqlite3", NULL);
}

CoStore *
co_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(CoStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!sqlite3_threadsafe ())
    {
      g_set_error_literal (error, CO_STORE_ERROR, CO_STORE_ERROR_OPEN,
                           "SQLite is built without thread support");
      return NULL;
    }

  if (!create_private_file (path, error))
    return NULL;

  self = g_object_new (CO_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->owner = g_thread_self ();

  if (!(self->wdb = open_connection (path, error)) ||
      !migrate (self->wdb, error) ||
      !prepare_all (self->wdb, write_sql, self->wstmt, N_WRITE_STMTS, error) ||
      !(self->rdb = open_connection (path, error)) ||
      !prepare_all (self->rdb, read_sql, self->rstmt, N_READ_STMTS, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
co_store_get_path (CoStore *self)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);

  return self->path;
}

GListModel *
co_store_get_students (CoStore *self)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);

  if (self->students == NULL)
    self->students = _co_store_students_new (self);

  return G_LIST_MODEL (self->students);
}

guint
co_store_get_n_students (CoStore *self)
{
  g_return_val_if_fail (CO_IS_STORE (self), 0);

  return g_list_model_get_n_items (co_store_get_students (self));
}

CoStudent *
co_store_lookup_student (CoStore    *self,
                         const char *edu_id)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (edu_id != NULL, NULL);

  /* One student, one object, updated in place: the list model keeps the
   * instances (without loading the list for a lookup). */
  if (self->students == NULL)
    self->students = _co_store_students_new (self);

  return _co_store_students_lookup (self->students, edu_id);
}

/* One card by the read statement @which, keyed by @key; with its student
 * when @student is given. */
static CoCard *
lookup_card_by (CoStore     *self,
                int          which,
                const char  *key,
                CoStudent  **student)
{
  sqlite3_stmt *stmt = self->rstmt[which];
  CoCard *card = NULL;

  if (student != NULL)
    *student = NULL;

  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    card = card_from_row (stmt);
  finish_read (stmt);

  if (card != NULL && student != NULL)
    *student = co_store_lookup_student (self, co_card_get_edu_id (card));

  return card;
}

CoCard *
co_store_lookup_card_by_uid (CoStore     *self,
                             const char  *uid,
                             CoStudent  **student)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (uid != NULL, NULL);

  return lookup_card_by (self, R_CARD_BY_UID, uid, student);
}

CoCard *
co_store_lookup_card_by_no (CoStore     *self,
                            const char  *card_no,
                            CoStudent  **student)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (card_no != NULL, NULL);

  return lookup_card_by (self, R_CARD_BY_NO, card_no, student);
}

CoCard *
co_store_lookup_card (CoStore    *self,
                      const char *edu_id)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (edu_id != NULL, NULL);

  return lookup_card_by (self, R_CARD_BY_EDU_ID, edu_id, NULL);
}

CoReissue *
co_store_lookup_reissue (CoStore    *self,
                         const char *edu_id)
{
  sqlite3_stmt *stmt;
  CoReissue *reissue = NULL;

  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (edu_id != NULL, NULL);

  stmt = self->rstmt[R_REISSUE];
  bind_text (stmt, 1, edu_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char id[24];

      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
      reissue = co_reissue_new (id, column_text (stmt, 1),
                                column_enum (stmt, 3, CO_TYPE_DELIVERY, CO_DELIVERY_SCHOOL));
      co_reissue_set_status (reissue, column_enum (stmt, 2, CO_TYPE_REISSUE_STATUS,
                                                   CO_REISSUE_STATUS_PENDING_PAYMENT));
      co_reissue_set_address (reissue, column_text (stmt, 4));
      co_reissue_set_recipient (reissue, column_text (stmt, 5));
      co_reissue_set_phone (reissue, column_text (stmt, 6));
      co_reissue_set_fee_fen (reissue, MAX (sqlite3_column_int (stmt, 7), 0));
      co_reissue_set_courier_fee_fen (reissue, MAX (sqlite3_column_int (stmt, 8), 0));
      co_reissue_set_courier_no (reissue, column_text (stmt, 9));
      co_reissue_set_created_at (reissue, column_text (stmt, 10));
      co_reissue_set_paid_at (reissue, column_text (stmt, 11));
      co_reissue_set_due_on (reissue, column_text (stmt, 12));
    }
  finish_read (stmt);

  return reissue;
}

gboolean
co_store_update_student (CoStore    *self,
                         CoStudent  *student,
                         GError    **error)
{
  g_autoptr(CoStoreChanges) changes = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GDateTime) dt = NULL;
  CoStudentRecord r = { 0 };
  gboolean ok;

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (CO_IS_STUDENT (student), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (co_rules_check_edu_id (co_student_get_edu_id (student)) != CO_REASON_NONE)
    {
      g_set_error_literal (error, CO_STORE_ERROR, CO_STORE_ERROR_IO, "invalid education ID");
      return FALSE;
    }

  dt = g_date_time_new_now_local ();
  now = g_date_time_format_iso8601 (dt);

  r.edu_id = co_student_get_edu_id (student);
  r.name = co_student_get_name (student);
  r.gender = co_student_get_gender (student);
  r.grade = co_student_get_grade (student);
  r.class_name = co_student_get_class_name (student);
  r.stage = co_student_get_stage (student);
  r.entry = co_student_get_entry (student);
  r.school_name = co_student_get_school (student);
  r.photo_etag = co_student_get_photo_etag (student);
  r.updated_at = now;
  r.card_no = co_student_get_card_no (student);
  r.has_card = r.card_no != NULL;
  r.bjt_no = co_student_get_bjt_no (student);
  r.uid = co_student_get_uid (student);
  r.card_status = co_student_get_card_status (student);
  r.valid_until = co_student_get_valid_until (student);

  if (r.name == NULL || r.class_name == NULL || r.school_name == NULL ||
      (r.has_card && (r.bjt_no == NULL || r.uid == NULL)))
    {
      g_set_error_literal (error, CO_STORE_ERROR, CO_STORE_ERROR_IO, "incomplete student");
      return FALSE;
    }

  changes = _co_store_changes_new ();

  g_mutex_lock (&self->write_lock);
  ok = begin (self, error);
  if (ok)
    {
      ok = put_student_record (self, &r, changes, error);
      ok = commit_or_rollback (self, ok, error);
    }
  g_mutex_unlock (&self->write_lock);

  if (ok)
    {
      _co_store_queue_changes (self, g_steal_pointer (&changes));
      _co_store_flush_changes (self);
    }

  return ok;
}

gboolean
co_store_update_reissue (CoStore    *self,
                         CoReissue  *reissue,
                         GError    **error)
{
  CoReissueRecord r = { 0 };
  const char *id;
  gboolean ok;

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (CO_IS_REISSUE (reissue), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = co_reissue_get_id (reissue);
  if (id == NULL || (r.id = g_ascii_strtoll (id, NULL, 10)) <= 0)
    {
      g_set_error_literal (error, CO_STORE_ERROR, CO_STORE_ERROR_IO, "invalid reissue id");
      return FALSE;
    }

  r.edu_id = co_reissue_get_edu_id (reissue);
  r.status = co_reissue_get_status (reissue);
  r.delivery = co_reissue_get_delivery (reissue);
  r.address = co_reissue_get_address (reissue);
  r.recipient = co_reissue_get_recipient (reissue);
  r.phone = co_reissue_get_phone (reissue);
  r.fee_fen = co_reissue_get_fee_fen (reissue);
  r.courier_fee_fen = co_reissue_get_courier_fee_fen (reissue);
  r.courier_no = co_reissue_get_courier_no (reissue);
  r.created_at = co_reissue_get_created_at (reissue);
  r.paid_at = co_reissue_get_paid_at (reissue);
  r.due_on = co_reissue_get_due_on (reissue);

  if (r.edu_id == NULL || r.created_at == NULL)
    {
      g_set_error_literal (error, CO_STORE_ERROR, CO_STORE_ERROR_IO, "incomplete reissue");
      return FALSE;
    }

  g_mutex_lock (&self->write_lock);
  ok = put_reissue (self, &r, error);
  g_mutex_unlock (&self->write_lock);

  if (ok)
    g_signal_emit (self, signals [CHANGED], 0);

  return ok;
}

GBytes *
co_store_get_photo (CoStore     *self,
                    const char  *edu_id,
                    char       **etag)
{
  sqlite3_stmt *stmt;
  GBytes *jpeg = NULL;

  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (edu_id != NULL, NULL);

  if (etag != NULL)
    *etag = NULL;

  stmt = self->rstmt[R_PHOTO];
  bind_text (stmt, 1, edu_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      jpeg = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      if (etag != NULL)
        *etag = g_strdup (column_text (stmt, 0));
    }
  finish_read (stmt);

  return jpeg;
}

gboolean
co_store_put_photo (CoStore     *self,
                    const char  *edu_id,
                    const char  *etag,
                    GBytes      *jpeg,
                    GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt = NULL;
  gconstpointer data;
  gsize size;
  gboolean ok;
  int rc;

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (edu_id != NULL, FALSE);
  g_return_val_if_fail (etag != NULL, FALSE);
  g_return_val_if_fail (jpeg != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  dt = g_date_time_new_now_local ();
  now = g_date_time_format_iso8601 (dt);
  data = g_bytes_get_data (jpeg, &size);

  g_mutex_lock (&self->write_lock);

  rc = sqlite3_prepare_v2 (self->wdb,
                           "INSERT OR REPLACE INTO photos (edu_id, etag, jpeg, stored_at)"
                           " VALUES (?1, ?2, ?3, ?4)", -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    ok = set_sqlite_error (error, self->wdb, rc, "prepare");
  else
    {
      bind_text (stmt, 1, edu_id);
      bind_text (stmt, 2, etag);
      sqlite3_bind_blob64 (stmt, 3, size ? data : "", size, SQLITE_STATIC);
      bind_text (stmt, 4, now);
      ok = step_done (self->wdb, stmt, error);
    }
  sqlite3_finalize (stmt);

  g_mutex_unlock (&self->write_lock);

  return ok;
}

char *
co_store_get_cursor (CoStore *self)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);

  return read_meta (self, "roster_cursor");
}

GDateTime *
co_store_get_synced_at (CoStore *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (CO_IS_STORE (self), NULL);

  if (!(text = read_meta (self, "synced_at")))
    return NULL;

  return g_date_time_new_from_iso8601 (text, NULL);
}

char *
co_store_get_scope (CoStore *self)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);

  return read_meta (self, "scope");
}

gboolean
co_store_clear (CoStore  *self,
                GError  **error)
{
  g_autoptr(CoStoreChanges) changes = NULL;
  gboolean ok;

  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  changes = _co_store_changes_new ();

  g_mutex_lock (&self->write_lock);
  ok = begin (self, error);
  if (ok)
    {
      ok = clear_locked (self, changes, error);
      ok = commit_or_rollback (self, ok, error);
    }
  g_mutex_unlock (&self->write_lock);

  if (ok)
    {
      _co_store_queue_changes (self, g_steal_pointer (&changes));
      _co_store_flush_changes (self);
    }

  return ok;
}

/* For co-store-events.c */

sqlite3 *
_co_store_lock_write (CoStore *self)
{
  g_mutex_lock (&self->write_lock);
  return self->wdb;
}

void
_co_store_unlock_write (CoStore *self)
{
  g_mutex_unlock (&self->write_lock);
}

sqlite3 *
_co_store_get_read_db (CoStore *self)
{
  assert_owner (self);
  return self->rdb;
}

/* Check-ins */

static gboolean
run_insert (CoStore     *self,
            const char  *sql,
            const char  *const *values,
            guint        n_values,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if ((rc = sqlite3_prepare_v2 (self->wdb, sql, -1, &stmt, NULL)) != SQLITE_OK)
    return set_sqlite_error (error, self->wdb, rc, "prepare");

  for (guint i = 0; i < n_values; i++)
    bind_text (stmt, (int) i + 1, values[i]);

  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->wdb, rc, "step");

  return TRUE;
}

char *
co_store_add_check_in (CoStore     *self,
                       const char  *event_id,
                       const char  *edu_id,
                       const char  *result,
                       GDateTime   *at,
                       GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *at_text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *now = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  gboolean ok;

  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  g_return_val_if_fail (event_id != NULL && *event_id != '\0', NULL);
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (at != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = g_uuid_string_random ();
  at_text = g_date_time_format_iso8601 (at);
  {
    g_autoptr(GDateTime) utc_now = g_date_time_new_now_utc ();
    now = g_date_time_format_iso8601 (utc_now);
  }
  {
    g_autofree char *escaped = g_uri_escape_string (event_id, NULL, FALSE);
    path = g_strdup_printf ("/api/v1/events/%s/check-ins", escaped);
  }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "edu_id");
  if (edu_id != NULL)
    json_builder_add_string_value (builder, edu_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at_text);
  json_builder_set_member_name (builder, "verdict");
  json_builder_add_string_value (builder, result);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, NULL);

  g_mutex_lock (&self->write_lock);
  ok = begin (self, error);
  if (ok)
    {
      const char *check_in[] = { key, event_id, edu_id, result, at_text };
      const char *outbox[] = { key, "POST", path, "application/json", body, now };

      ok = run_insert (self, "INSERT INTO check_ins (idempotency_key, event_id, edu_id, result,"
                             " checked_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                       check_in, G_N_ELEMENTS (check_in), error);
      ok = ok && run_insert (self, "INSERT INTO outbox (idempotency_key, method, path, content_type,"
                                   " body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             outbox, G_N_ELEMENTS (outbox), error);
      ok = commit_or_rollback (self, ok, error);
    }
  g_mutex_unlock (&self->write_lock);

  return ok ? g_steal_pointer (&key) : NULL;
}

guint
co_store_foreach_check_in (CoStore          *self,
                           const char       *event_id,
                           CoCheckInFunc     func,
                           gpointer          user_data)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_return_val_if_fail (CO_IS_STORE (self), 0);
  g_return_val_if_fail (event_id != NULL, 0);
  assert_owner (self);

  if (sqlite3_prepare_v2 (self->rdb, "SELECT idempotency_key, edu_id, result, checked_at"
                                     " FROM check_ins WHERE event_id = ?1"
                                     " ORDER BY checked_at, idempotency_key",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0;

  bind_text (stmt, 1, event_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n++;
      if (func != NULL)
        func (column_text (stmt, 0), column_text (stmt, 1), column_text (stmt, 2),
              column_text (stmt, 3), user_data);
    }
  sqlite3_finalize (stmt);

  return n;
}

guint
co_store_get_n_outbox (CoStore *self)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  g_return_val_if_fail (CO_IS_STORE (self), 0);
  assert_owner (self);

  if (sqlite3_prepare_v2 (self->rdb, "SELECT count(*) FROM outbox WHERE last_error IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

/* Outbox delivery: see co-outbox.h */

void
co_outbox_item_free (CoOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->idempotency_key);
  g_free (item->method);
  g_free (item->path);
  g_free (item->content_type);
  g_clear_pointer (&item->body, g_bytes_unref);
  g_free (item->created_at);
  g_free (item->last_error);
  g_free (item);
}

static GPtrArray *
list_outbox (CoStore    *self,
             const char *sql,
             guint       limit)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) co_outbox_item_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->rdb, sql, -1, &stmt, NULL) != SQLITE_OK)
    return items;

  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      CoOutboxItem *item = g_new0 (CoOutboxItem, 1);
      const void *blob = sqlite3_column_blob (stmt, 5);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->idempotency_key = g_strdup (column_text (stmt, 1));
      item->method = g_strdup (column_text (stmt, 2));
      item->path = g_strdup (column_text (stmt, 3));
      item->content_type = g_strdup (column_text (stmt, 4));
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        item->body = g_bytes_new (blob, (gsize) sqlite3_column_bytes (stmt, 5));
      item->created_at = g_strdup (column_text (stmt, 6));
      item->attempts = sqlite3_column_int (stmt, 7);
      item->last_error = g_strdup (column_text (stmt, 8));
      g_ptr_array_add (items, item);
    }
  sqlite3_finalize (stmt);

  return items;
}

#define OUTBOX_COLUMNS \
  "SELECT id, idempotency_key, method, path, content_type, body, created_at, attempts," \
  " last_error FROM outbox "

GPtrArray *
co_store_list_outbox (CoStore *self,
                      guint    limit)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  assert_owner (self);

  return list_outbox (self, OUTBOX_COLUMNS "WHERE last_error IS NULL ORDER BY id LIMIT ?1", limit);
}

GPtrArray *
co_store_list_outbox_refused (CoStore *self)
{
  g_return_val_if_fail (CO_IS_STORE (self), NULL);
  assert_owner (self);

  return list_outbox (self, OUTBOX_COLUMNS "WHERE last_error IS NOT NULL ORDER BY id LIMIT ?1", 0);
}

static gboolean
outbox_write (CoStore     *self,
              const char  *sql,
              gint64       id,
              const char  *text,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int rc;

  g_mutex_lock (&self->write_lock);
  ok = begin (self, error);
  if (ok)
    {
      if ((rc = sqlite3_prepare_v2 (self->wdb, sql, -1, &stmt, NULL)) != SQLITE_OK)
        ok = set_sqlite_error (error, self->wdb, rc, "prepare");
      else
        {
          sqlite3_bind_int64 (stmt, 1, id);
          bind_text (stmt, 2, text);
          ok = step_done (self->wdb, stmt, error);
          sqlite3_finalize (stmt);
        }
      ok = commit_or_rollback (self, ok, error);
    }
  g_mutex_unlock (&self->write_lock);

  return ok;
}

gboolean
co_store_delete_outbox_item (CoStore  *self,
                             gint64    id,
                             GError  **error)
{
  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return outbox_write (self, "DELETE FROM outbox WHERE id = ?1 AND ?2 IS NULL", id, NULL, error);
}

gboolean
co_store_note_outbox_attempt (CoStore  *self,
                              gint64    id,
                              GError  **error)
{
  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return outbox_write (self, "UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1 AND ?2 IS NULL",
                       id, NULL, error);
}

gboolean
co_store_mark_outbox_refused (CoStore     *self,
                              gint64       id,
                              const char  *error_code,
                              GError     **error)
{
  g_return_val_if_fail (CO_IS_STORE (self), FALSE);
  g_return_val_if_fail (error_code != NULL && *error_code != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return outbox_write (self, "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
                       id, error_code, error);
}
