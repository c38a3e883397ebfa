/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * co_store_roster_read () on a real SQLite file: the plain rows agree with
 * the store's lookups, a read from another thread while the store writes
 * sees whole transactions only, cancellation, a missing file.
 */
#define G_LOG_DOMAIN "test-store-roster"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "co-store.h"
#include "co-store-private.h"
#include "co-store-roster.h"
#include "roster-gen.h"

#define PAGE_SIZE 500
#define N_PAGES   12

typedef struct
{
  char    *dir;
  char    *path;
  CoStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("co-store-roster-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static CoRosterDelta *
make_page (guint first,
           guint n)
{
  g_autoptr(GString) json = g_string_new ("{\"students\":[");
  g_autoptr(GError) error = NULL;
  CoRosterDelta *page;

  for (guint i = 0; i < n; i++)
    {
      GenStudent s = { .n = first + i, .version = 1, .no_card = (first + i) % 7 == 0 };

      if (i > 0)
        g_string_append_c (json, ',');
      gen_student_json (json, &s);
    }
  g_string_append (json, "],\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}");

  page = co_json_decode_roster_page (co_json_parse (json->str, json->len, &error), &error);
  g_assert_no_error (error);

  return page;
}

static void
apply (CoStore *store,
       guint    first,
       guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStoreChanges) changes = _co_store_changes_new ();
  g_autoptr(CoRosterDelta) page = make_page (first, n);

  g_assert_true (_co_store_apply_roster_page (store, page, FALSE, NULL, changes, &error));
  g_assert_no_error (error);
}

static void
test_rows_match_lookups (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStoreRoster) roster = NULL;
  guint n_cards = 0;

  apply (f->store, 0, 300);

  roster = co_store_roster_read (f->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (roster->n_rows, ==, 300);

  for (guint r = 0; r < roster->n_rows; r++)
    {
      const CoStoreRosterRow *row = &roster->rows[r];
      g_autoptr(CoStudent) student = co_store_lookup_student (f->store, row->edu_id);

      if (r > 0)
        g_assert_cmpstr (roster->rows[r - 1].edu_id, <, row->edu_id);
      g_assert_nonnull (student);
      g_assert_cmpstr (row->name, ==, co_student_get_name (student));
      g_assert_cmpstr (row->class_name, ==, co_student_get_class_name (student));
      g_assert_cmpint (row->grade, ==, co_student_get_grade (student));
      g_assert_cmpint (row->gender, ==, co_student_get_gender (student));
      g_assert_cmpstr (row->card_no, ==, co_student_get_card_no (student));
      g_assert_cmpstr (row->bjt_no, ==, co_student_get_bjt_no (student));
      g_assert_cmpint (row->card_status, ==, co_student_get_card_status (student));
      if (row->card_no != NULL)
        n_cards++;
    }

  /* Some with a card, some without (every 7th). */
  g_assert_cmpuint (n_cards, >, 0);
  g_assert_cmpuint (n_cards, <, roster->n_rows);
}

typedef struct
{
  CoStore *store;
  guint    n_pages;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  for (guint p = 0; p < w->n_pages; p++)
    apply (w->store, p * PAGE_SIZE, PAGE_SIZE);

  return NULL;
}

/* Each page is one transaction: a reader on another connection sees a
 * whole number of pages, never part of one. */
static void
test_read_while_writing (Fixture       *f,
                         gconstpointer  data)
{
  Writer w = { f->store, N_PAGES };
  GThread *writer = g_thread_new ("writer", writer_thread, &w);
  guint last = 0, n_reads = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CoStoreRoster) roster = co_store_roster_read (f->path, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (roster->n_rows % PAGE_SIZE, ==, 0);
      g_assert_cmpuint (roster->n_rows, >=, last);
      last = roster->n_rows;
      n_reads++;
      if (last == N_PAGES * PAGE_SIZE)
        break;
    }

  g_thread_join (writer);
  g_test_message ("%u reads", n_reads);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CoStoreRoster *roster;

  apply (f->store, 0, 10);
  g_cancellable_cancel (cancellable);
  roster = co_store_roster_read (f->path, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (roster);
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "none.sqlite3", NULL);
  CoStoreRoster *roster;

  roster = co_store_roster_read (missing, NULL, &error);
  g_assert_error (error, CO_STORE_ERROR, CO_STORE_ERROR_OPEN);
  g_assert_null (roster);
  /* Reading never creates a store. */
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoStoreRoster) roster = co_store_roster_read (f->path, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (roster->n_rows, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/core/store-roster/rows-match-lookups", Fixture, NULL,
              fixture_set_up, test_rows_match_lookups, fixture_tear_down);
  g_test_add ("/core/store-roster/read-while-writing", Fixture, NULL,
              fixture_set_up, test_read_while_writing, fixture_tear_down);
  g_test_add ("/core/store-roster/cancelled", Fixture, NULL,
              fixture_set_up, test_cancelled, fixture_tear_down);
  g_test_add ("/core/store-roster/missing-file", Fixture, NULL,
              fixture_set_up, test_missing_file, fixture_tear_down);
  g_test_add ("/core/store-roster/empty", Fixture, NULL,
              fixture_set_up, test_empty, fixture_tear_down);

  return g_test_run ();
}
