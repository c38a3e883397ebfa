/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoStore: the local SQLite file (WAL mode, 0600 in a 0700 folder) that
 * holds the roster snapshot for offline use: students, their cards (chip
 * UID, 一卡通号, status; old cards the snapshot saw stay, cancelled), their
 * latest reissue, photos by ETag, the roster sync cursor, and an outbox of
 * pending operations (reserved). The schema migrates by PRAGMA user_version.
 *
 * Threads: the store object, its lookups and its list model belong to the
 * thread that opened it (the main thread). Bulk writes (a roster page, see
 * co-sync.h) run on worker threads through a second connection guarded by a
 * mutex; WAL lets the main thread read meanwhile. Changes reach the main
 * thread as "items-changed" on co_store_get_students () and the "changed"
 * signal.
 */
#pragma once

#include <gio/gio.h>

#include "co-model.h"

G_BEGIN_DECLS

typedef enum
{
  CO_STORE_ERROR_OPEN,     /* the file or its folder cannot be created or opened */
  CO_STORE_ERROR_TOO_NEW,  /* written by a newer Card Office (schema version) */
  CO_STORE_ERROR_CORRUPT,  /* not a database, or damaged */
  CO_STORE_ERROR_IO,       /* any other SQLite failure (locked, I/O error...) */
  CO_STORE_ERROR_DISK_FULL, /* the disk (or the file size limit) is full: nothing was written */
} CoStoreError;

#define CO_STORE_ERROR (co_store_error_quark ())
GQuark        co_store_error_quark           (void);

#define CO_STORE_SCHEMA_VERSION 3

#define CO_TYPE_STORE (co_store_get_type ())
G_DECLARE_FINAL_TYPE (CoStore, co_store, CO, STORE, GObject)

/* $XDG_DATA_HOME/card-office/store.sqlite3 */
char         *co_store_get_default_path      (void);

/* Opens (creating the file 0600 and its folder 0700) and migrates. */
CoStore      *co_store_open                  (const char   *path,
                                              GError      **error);
const char   *co_store_get_path              (CoStore      *self);

/* A GListModel of CoStudent ordered by education ID, owned by @self.
 * Items are made on demand; the same student is the same object while
 * anybody holds it, and is updated in place when the roster changes. */
GListModel   *co_store_get_students          (CoStore      *self);
guint         co_store_get_n_students        (CoStore      *self);

/* Lookups in the snapshot (NULL when unknown). */
CoStudent    *co_store_lookup_student        (CoStore      *self,
                                              const char   *edu_id);
/* The card with chip @uid (case-insensitive hex), perhaps an old one, and
 * its student. */
CoCard       *co_store_lookup_card_by_uid    (CoStore      *self,
                                              const char   *uid,
                                              CoStudent   **student);
/* The card numbered @card_no (一卡通号, also what its QR code holds),
 * perhaps an old one, and its student. */
CoCard       *co_store_lookup_card_by_no     (CoStore      *self,
                                              const char   *card_no,
                                              CoStudent   **student);
/* The student's current card. */
CoCard       *co_store_lookup_card           (CoStore      *self,
                                              const char   *edu_id);
/* The student's latest reissue (open or closed). */
CoReissue    *co_store_lookup_reissue        (CoStore      *self,
                                              const char   *edu_id);

/* Records an answer of the API (a student after 挂失, 领卡...). */
gboolean      co_store_update_student        (CoStore      *self,
                                              CoStudent    *student,
                                              GError      **error);
gboolean      co_store_update_reissue        (CoStore      *self,
                                              CoReissue    *reissue,
                                              GError      **error);

/* Photos by ETag: NULL when none is stored. */
GBytes       *co_store_get_photo             (CoStore      *self,
                                              const char   *edu_id,
                                              char        **etag);
gboolean      co_store_put_photo             (CoStore      *self,
                                              const char   *edu_id,
                                              const char   *etag,
                                              GBytes       *jpeg,
                                              GError      **error);

/* The roster cursor of the last applied page (NULL: never synced), and
 * what it belongs to (server and school). */
char         *co_store_get_cursor            (CoStore      *self);
char         *co_store_get_scope             (CoStore      *self);
/* When a roster page was last applied (the snapshot's age), UTC, or NULL:
 * never synced. */
GDateTime    *co_store_get_synced_at         (CoStore      *self);

/* Check-ins at an event (核验), kept for good: each is written with its
 * outbox entry (POST /api/v1/events/{event_id}/check-ins, JSON body, a
 * new Idempotency-Key) in one transaction, so a check-in is never lost nor
 * queued twice. @result: what the verdict was ("valid", "lost"...); @edu_id
 * NULL for an unknown card. Returns the Idempotency-Key, or NULL. */
char         *co_store_add_check_in          (CoStore      *self,
                                              const char   *event_id,
                                              const char   *edu_id,
                                              const char   *result,
                                              GDateTime    *at,
                                              GError      **error);
typedef void (*CoCheckInFunc) (const char *idempotency_key,
                               const char *edu_id,
                               const char *result,
                               const char *checked_at,
                               gpointer    user_data);
/* In the order they were made; returns how many. */
guint         co_store_foreach_check_in      (CoStore      *self,
                                              const char   *event_id,
                                              CoCheckInFunc func,
                                              gpointer      user_data);
/* Operations waiting to be sent (not those the server refused). */
guint         co_store_get_n_outbox          (CoStore      *self);

/* The outbox, for co_outbox_drain_async () (co-outbox.h). An item the
 * server refused (a 4xx answer) stays, with @last_error set to
 * "<HTTP status> <wire code>" (e.g. "404 not_found"), and is never sent
 * again; every other item is waiting (@last_error NULL). */
typedef struct
{
  gint64  id;
  char   *idempotency_key;
  char   *method;
  char   *path;            /* "/api/v1/..." */
  char   *content_type;
  GBytes *body;            /* may be NULL */
  char   *created_at;
  int     attempts;
  char   *last_error;      /* NULL while waiting */
} CoOutboxItem;

void          co_outbox_item_free            (CoOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CoOutboxItem, co_outbox_item_free)

/* Main thread. Waiting items, oldest first; @limit 0: all. Of
 * CoOutboxItem. */
GPtrArray    *co_store_list_outbox           (CoStore      *self,
                                              guint         limit);
/* Main thread. Items the server refused, oldest first. */
GPtrArray    *co_store_list_outbox_refused   (CoStore      *self);
/* Any thread; each in its own transaction. */
gboolean      co_store_delete_outbox_item    (CoStore      *self,
                                              gint64        id,
                                              GError      **error);
gboolean      co_store_note_outbox_attempt   (CoStore      *self,
                                              gint64        id,
                                              GError      **error);
gboolean      co_store_mark_outbox_refused   (CoStore      *self,
                                              gint64        id,
                                              const char   *error_code,
                                              GError      **error);

/* Forgets the roster, photos and cursor (another school signs in). */
gboolean      co_store_clear                 (CoStore      *self,
                                              GError      **error);

G_END_DECLS
