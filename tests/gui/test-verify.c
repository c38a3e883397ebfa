/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The verification page (核验) through the real reader path: a PN532
 * simulated on a pty, libnfc, CoReader, the page, CoVerifier and a real
 * store file; no server (the verdicts come from the snapshot alone). Every
 * verdict by card tap, and typed or scanned input.
 */
#define G_LOG_DOMAIN "test-verify"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "co-client.h"
#include "co-gui-test-util.h"
#include "co-gui-verify-util.h"
#include "co-pn532-sim.h"
#include "co-store.h"
#include "co-store-private.h"
#include "co-sync.h"
#include "co-verify-page.h"
#include "test-server.h"

static void
append_student (GString    *json,
                const char *edu_id,
                const char *name,
                int         grade,
                const char *class_name,
                const char *card_no,
                const char *uid,
                const char *status,
                const char *valid_until)
{
  if (json->str[json->len - 1] != '[')
    g_string_append_c (json, ',');

  g_string_append_printf (json,
                          "{\"edu_id\":\"%s\",\"name\":\"%s\",\"gender\":\"female\",\"grade\":%d,"
                          "\"class_name\":\"%s\",\"stage\":\"%s\",\"entry\":\"continuing\","
                          "\"school_name\":\"北京市海淀区示范学校\",\"photo_etag\":\"\\\"p1\\\"\","
                          "\"updated_at\":\"2026-03-02T09:15:00+08:00\",\"card\":"
                          "{\"card_no\":\"%s\",\"bjt_no\":\"110100000001\",\"uid\":\"%s\","
                          "\"status\":\"%s\",\"issued_on\":\"2025-09-01\",\"valid_until\":\"%s\"},"
                          "\"reissue\":null}",
                          edu_id, name, grade, class_name,
                          grade <= 6 ? "primary" : grade <= 9 ? "junior" : "senior",
                          card_no, uid, status, valid_until);
}

static void
put_photo (CoStore    *store,
           const char *edu_id)
{
  static const guint8 pixels[4 * 4 * 3] = { 0x20, 0x60, 0xa0 };
  g_autoptr(GBytes) data = g_bytes_new_static (pixels, sizeof pixels);
  g_autoptr(GdkTexture) texture = gdk_memory_texture_new (4, 4, GDK_MEMORY_R8G8B8, data, 12);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  g_autoptr(GError) error = NULL;

  g_assert_true (co_store_put_photo (store, edu_id, "\"p1\"", png, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) first = g_string_new ("{\"students\":[");
  g_autoptr(GString) second = g_string_new ("{\"students\":[");
  GDate today;

  f->dir = g_dir_make_tmp ("co-gui-verify-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);

  append_student (first, "10000001", "王小明", 7, "1班", "1000751200000001", "04000001", "active", "2027-08-31");
  append_student (first, "10000002", "李华", 7, "1班", "1000751200000002", "04000002", "reported_lost", "2027-08-31");
  append_student (first, "10000003", "张三", 7, "1班", "1000751200000003", "04000003", "active", "2027-08-31");
  append_student (first, "10000004", "赵四", 9, "2班", "1000751200000004", "04000004", "active", "2025-08-31");
  append_student (first, "10000005", "刘洋", 8, "1班", "1000751200000005", "0400000A1B2C3D", "active", "2027-08-31");
  co_test_apply_roster_json (f->store, first);
  append_student (second, "10000003", "张三", 7, "1班", "1000751200000013", "04000013", "active", "2027-08-31");
  co_test_apply_roster_json (f->store, second);
  put_photo (f->store, "10000001");

  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);

  f->settings = co_test_settings_new ();
  g_settings_set_string (f->settings, "reader-connstring", co_pn532_sim_get_connstring (f->sim));

  f->page = g_object_new (CO_TYPE_VERIFY_PAGE, NULL);
  co_verify_page_set_store (f->page, f->store, f->settings);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 2, G_DATE_MARCH, 2026);
  co_verify_page_set_today (f->page, &today);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1024, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  co_test_wait_for_mapped (GTK_WIDGET (f->page));

  g_assert_true (co_test_wait_until (co_test_reader_connected_cb, f->page, 20000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  gtk_window_destroy (f->window);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->sim, co_pn532_sim_free);
  g_clear_object (&f->store);
  g_remove (f->path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
assert_shown (Fixture       *f,
              CoVerdictKind  kind,
              const char    *title,
              const char    *css_class,
              const char    *name)
{
  const CoVerdict *v = co_verify_page_get_verdict (f->page);
  GtkWidget *box = co_test_page_child (f, "verdict_box");

  g_assert_nonnull (v);
  g_assert_cmpint (v->kind, ==, kind);
  g_assert_cmpstr (co_test_page_label_text (f, "verdict_label"), ==, title);
  g_assert_true (gtk_widget_has_css_class (box, css_class));
  if (name != NULL)
    {
      g_assert_cmpstr (co_test_page_label_text (f, "name_label"), ==, name);
      g_assert_true (gtk_widget_get_visible (co_test_page_child (f, "name_label")));
    }
  else
    g_assert_false (gtk_widget_get_visible (co_test_page_child (f, "name_label")));
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
two_frames (gpointer user_data)
{
  return *(guint *) user_data >= 2;
}

/* <build>/tests/verify-<name>.png, for people to look at. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *basename = g_strdup_printf ("verify-%s.png", name);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, basename, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint frames = 0;
  guint tick = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  /* The new verdict drawn once. */
  gtk_widget_queue_draw (widget);
  g_assert_true (co_test_wait_until (two_frames, &frames, CO_TEST_TIMEOUT_MS));
  gtk_widget_remove_tick_callback (widget, tick);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                        node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* A card on the simulated reader, through libnfc and CoReader. */
static void
tap (Fixture    *f,
     const char *uid)
{
  NewVerdict w = { f, co_verify_page_get_verdict (f->page) };
  g_autoptr(GError) error = NULL;

  co_pn532_sim_remove_card (f->sim);
  g_assert_true (co_pn532_sim_put_card_hex (f->sim, uid, CO_PN532_SIM_CLASSIC_1K, -1, &error));
  g_assert_no_error (error);
  g_assert_true (co_test_wait_until (co_test_verdict_changed_cb, &w, 20000));
}

/* Typed, or a keyboard-wedge scanner: text then Enter. */
static void
type (Fixture    *f,
      const char *text)
{
  GtkEditable *entry = co_test_page_child (f, "input_entry");

  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "activate");
}

static void
test_card_verdicts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CoEvent) event = NULL;
  GtkStack *photo_stack = co_test_page_child (f, "photo_stack");

  g_assert_cmpstr (co_test_page_label_text (f, "reader_label"), ==, "Card Reader Connected");
  g_assert_cmpstr (co_test_page_label_text (f, "snapshot_label"), ==, "Roster updated just now");
  /* Before the first card: the empty state. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (co_test_page_child (f, "view_stack")), ==, "empty");

  tap (f, "04000001");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (co_test_page_child (f, "view_stack")), ==, "verdict");
  assert_shown (f, CO_VERDICT_VALID, "Valid", "co-verdict-good", "王小明");
  g_assert_cmpstr (co_test_page_label_text (f, "class_label"), ==, "Grade 7, 1班");
  g_assert_cmpstr (co_test_page_label_text (f, "valid_label"), ==, "Valid until 2027-08-31");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (photo_stack), ==, "photo");
  save_screenshot (GTK_WIDGET (f->window), "valid");

  tap (f, "04000002");
  assert_shown (f, CO_VERDICT_LOST, "Reported Lost", "co-verdict-bad", "李华");
  g_assert_cmpstr (co_test_page_label_text (f, "detail_label"), ==, "This card was reported lost: keep it.");
  save_screenshot (GTK_WIDGET (f->window), "lost");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (photo_stack), ==, "avatar");

  tap (f, "04000003");
  assert_shown (f, CO_VERDICT_REPLACED, "Replaced", "co-verdict-bad", "张三");
  g_assert_false (gtk_widget_has_css_class (co_test_page_child (f, "verdict_box"), "co-verdict-good"));

  tap (f, "04000004");
  assert_shown (f, CO_VERDICT_EXPIRED, "Expired", "co-verdict-bad", "赵四");
  g_assert_cmpstr (co_test_page_label_text (f, "detail_label"), ==, "The card was valid until 2025-08-31.");

  tap (f, "04FFFFFF");
  assert_shown (f, CO_VERDICT_UNKNOWN, "Not Registered", "co-verdict-bad", NULL);

  /* A 7-byte UID. */
  tap (f, "0400000A1B2C3D");
  assert_shown (f, CO_VERDICT_VALID, "Valid", "co-verdict-good", "刘洋");

  /* An event for class 7/1 only. */
  event = co_event_new ("期中考试", "2026-03-02");
  co_event_allow_class (event, 7, "1班");
  co_verify_page_set_event (f->page, event);
  g_assert_true (gtk_widget_get_visible (co_test_page_child (f, "event_label")));

  tap (f, "04000001");
  assert_shown (f, CO_VERDICT_VALID, "Valid", "co-verdict-good", "王小明");
  g_assert_nonnull (co_event_get_check_in (event, "10000001"));

  tap (f, "0400000A1B2C3D");
  assert_shown (f, CO_VERDICT_NOT_ON_LIST, "Not on This Event’s List", "co-verdict-bad", "刘洋");

  tap (f, "04000001");
  assert_shown (f, CO_VERDICT_ALREADY_CHECKED_IN, "Already Checked In", "co-verdict-warning", "王小明");
  g_assert_true (g_str_has_prefix (co_test_page_label_text (f, "detail_label"), "Checked in already at "));

  /* Every verdict at the event is kept, with its outbox entry. */
  g_assert_cmpuint (co_store_foreach_check_in (f->store, co_event_get_id (event), NULL, NULL), ==, 3);
  g_assert_cmpuint (co_store_get_n_outbox (f->store), ==, 3);
}

static void
test_typed (Fixture       *f,
            gconstpointer  data)
{
  GtkEditable *entry = co_test_page_child (f, "input_entry");

  type (f, "10000001");
  assert_shown (f, CO_VERDICT_VALID, "Valid", "co-verdict-good", "王小明");
  g_assert_cmpint (co_verify_page_get_verdict (f->page)->input, ==, CO_VERIFY_INPUT_EDU_ID);

  /* The QR code on the card holds its 一卡通号. */
  type (f, "1000751200000002\n");
  assert_shown (f, CO_VERDICT_LOST, "Reported Lost", "co-verdict-bad", "李华");
  g_assert_cmpint (co_verify_page_get_verdict (f->page)->input, ==, CO_VERIFY_INPUT_CARD_NO);

  type (f, "1000751200000003");
  assert_shown (f, CO_VERDICT_REPLACED, "Replaced", "co-verdict-bad", "张三");

  type (f, "10000004");
  assert_shown (f, CO_VERDICT_EXPIRED, "Expired", "co-verdict-bad", "赵四");

  type (f, "19999999");
  assert_shown (f, CO_VERDICT_UNKNOWN, "Not Registered", "co-verdict-bad", NULL);
  g_assert_cmpstr (co_test_page_label_text (f, "detail_label"), ==,
                   "No student with this education ID is in the roster.");

  type (f, "04:00:00:01");
  assert_shown (f, CO_VERDICT_VALID, "Valid", "co-verdict-good", "王小明");

  /* Nonsense: a clear message, the text kept, the verdict shown unchanged. */
  type (f, "abc 12");
  assert_shown (f, CO_VERDICT_VALID, "Valid", "co-verdict-good", "王小明");
  g_assert_true (gtk_widget_get_visible (co_test_page_child (f, "input_error_label")));
  g_assert_cmpstr (co_test_page_label_text (f, "input_error_label"), ==,
                   "“abc 12” is not an education ID (8 digits), a card number or a chip UID.");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "abc 12");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));

  /* Typing again clears the message. */
  gtk_editable_set_text (entry, "1");
  g_assert_false (gtk_widget_get_visible (co_test_page_child (f, "input_error_label")));
}

static gboolean
reader_disconnected (gpointer user_data)
{
  return !co_verify_page_get_reader_connected (CO_VERIFY_PAGE (user_data));
}

static void
test_reader_status (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  co_pn532_sim_unplug (f->sim);
  g_assert_true (co_test_wait_until (reader_disconnected, f->page, 20000));
  g_assert_cmpstr (co_test_page_label_text (f, "reader_label"), ==, "No Card Reader");

  g_assert_true (co_pn532_sim_replug (f->sim, &error));
  g_assert_no_error (error);
  g_assert_true (co_test_wait_until (co_test_reader_connected_cb, f->page, 20000));
  g_assert_cmpstr (co_test_page_label_text (f, "reader_label"), ==, "Card Reader Connected");

  tap (f, "04000001");
  assert_shown (f, CO_VERDICT_VALID, "Valid", "co-verdict-good", "王小明");
}

/* Offline: the roster synced from the real server, the server stopped,
 * then every card verdict the demo roster has, from the snapshot alone. */

/* The first UID of @sql (one column), or NULL. */
static char *
query_uid (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *uid = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    uid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return uid;
}

static void
test_offline (void)
{
  static const char * const args[] = { "--demo", "--today", "2026-03-20", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(CoClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *valid_uid = NULL;
  g_autofree char *lost_uid = NULL;
  g_autofree char *old_uid = NULL;
  TestServer *server;
  Fixture fixture = { 0 }, *f = &fixture;
  GDate today;

  if (test_server_binary () == NULL)
    {
      g_test_skip ("CO_TEST_SERVER does not name card-office-server");
      return;
    }

  f->dir = g_dir_make_tmp ("co-gui-verify-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.sqlite3", NULL);
  f->store = co_store_open (f->path, &error);
  g_assert_no_error (error);

  server = test_server_start (args);
  client = co_client_new (server->url);
  co_client_sign_in_async (client, "demo", "demo", NULL, co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 30000));
  g_assert_true (co_client_sign_in_finish (client, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  co_sync_run_async (f->store, client, 0, NULL, NULL, NULL, NULL, co_test_store_result_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 60000));
  g_assert_true (co_sync_run_finish (f->store, result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* No network from here on. */
  test_server_stop (server);

  valid_uid = query_uid (f->path, "SELECT c.uid FROM cards c JOIN students s ON s.card_no = c.card_no"
                                  " WHERE c.status = 'active' AND c.valid_until >= '2026-03-20'"
                                  " ORDER BY c.uid LIMIT 1");
  lost_uid = query_uid (f->path, "SELECT c.uid FROM cards c JOIN students s ON s.card_no = c.card_no"
                                 " WHERE c.status = 'reported_lost' ORDER BY c.uid LIMIT 1");
  old_uid = query_uid (f->path, "SELECT c.uid FROM cards c JOIN students s ON s.edu_id = c.edu_id"
                                " WHERE s.card_no IS NOT NULL AND s.card_no != c.card_no"
                                " ORDER BY c.uid LIMIT 1");
  g_assert_nonnull (valid_uid);
  g_assert_nonnull (lost_uid);

  f->sim = co_pn532_sim_new (NULL, &error);
  g_assert_no_error (error);
  f->settings = co_test_settings_new ();
  g_settings_set_string (f->settings, "reader-connstring", co_pn532_sim_get_connstring (f->sim));
  f->page = g_object_new (CO_TYPE_VERIFY_PAGE, NULL);
  co_verify_page_set_store (f->page, f->store, f->settings);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 20, G_DATE_MARCH, 2026);
  co_verify_page_set_today (f->page, &today);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  co_test_wait_for_mapped (GTK_WIDGET (f->page));
  g_assert_true (co_test_wait_until (co_test_reader_connected_cb, f->page, 20000));

  g_assert_cmpstr (co_test_page_label_text (f, "snapshot_label"), ==, "Roster updated just now");

  tap (f, valid_uid);
  g_assert_cmpint (co_verify_page_get_verdict (f->page)->kind, ==, CO_VERDICT_VALID);
  g_assert_true (gtk_widget_has_css_class (co_test_page_child (f, "verdict_box"), "co-verdict-good"));
  tap (f, lost_uid);
  g_assert_cmpint (co_verify_page_get_verdict (f->page)->kind, ==, CO_VERDICT_LOST);
  if (old_uid != NULL)
    {
      tap (f, old_uid);
      g_assert_cmpint (co_verify_page_get_verdict (f->page)->kind, ==, CO_VERDICT_REPLACED);
    }
  else
    g_test_message ("the demo roster has no replaced card");
  tap (f, "04FFFFFE");
  g_assert_cmpint (co_verify_page_get_verdict (f->page)->kind, ==, CO_VERDICT_UNKNOWN);

  fixture_tear_down (f, NULL);
}

int
main (int   argc,
      char *argv[])
{
  test_server_parse_args (&argc, argv);

  if (!co_test_set_locale ("C"))
    return EXIT_FAILURE;

  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;

  /* The application's stylesheet (AdwApplication loads it; no application here). */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/gui/verify/card", test_card_verdicts);
  ADD ("/gui/verify/typed", test_typed);
  ADD ("/gui/verify/reader-status", test_reader_status);
#undef ADD
  g_test_add_func ("/gui/verify/offline", test_offline);

  return g_test_run ();
}
