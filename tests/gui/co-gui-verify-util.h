/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * What the two tests of the verification page (test-verify and
 * test-verify-events) share: the fixture, a roster page put into the
 * store, the page's widgets and the wait for its next verdict.
 */
#pragma once

#include "co-gui-test-util.h"
#include "co-pn532-sim.h"
#include "co-store.h"
#include "co-store-private.h"
#include "co-sync.h"
#include "co-verify-page.h"

typedef struct
{
  char         *dir;
  char         *path;
  CoStore      *store;
  CoPn532Sim   *sim;
  GSettings    *settings;
  GtkWindow    *window;
  CoVerifyPage *page;
} Fixture;

typedef struct
{
  Fixture         *f;
  const CoVerdict *before;
} NewVerdict;

static inline void
co_test_apply_roster_json (CoStore *store,
                           GString *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoRosterDelta) page = NULL;
  CoStoreChanges *changes = _co_store_changes_new ();

  g_string_append (json, "],\"removed\":[],\"next_cursor\":\"c\",\"has_more\":false}");
  page = co_json_decode_roster_page (co_json_parse (json->str, json->len, &error), &error);
  g_assert_no_error (error);
  g_assert_true (_co_store_apply_roster_page (store, page, FALSE, NULL, changes, &error));
  g_assert_no_error (error);
  _co_store_queue_changes (store, changes);
  _co_store_flush_changes (store);
}

static inline gboolean
co_test_reader_connected_cb (gpointer user_data)
{
  return co_verify_page_get_reader_connected (CO_VERIFY_PAGE (user_data));
}

static inline gpointer
co_test_page_child (Fixture    *f,
                    const char *id)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (f->page), CO_TYPE_VERIFY_PAGE, id);

  g_assert_nonnull (child);
  return child;
}

static inline const char *
co_test_page_label_text (Fixture    *f,
                         const char *id)
{
  return gtk_label_get_label (co_test_page_child (f, id));
}

static inline gboolean
co_test_verdict_changed_cb (gpointer user_data)
{
  NewVerdict *w = user_data;
  const CoVerdict *now = co_verify_page_get_verdict (w->f->page);

  return now != NULL && now != w->before;
}

static inline void
co_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}
