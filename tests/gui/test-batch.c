/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The 批量 page against the reference server (--demo), in Chinese when the
 * C library has zh_CN: a GBK list the test writes (an Excel-mangled ID, a
 * lost leading zero, a duplicate row, an empty gender), the messages, a
 * fix typed in a cell, a suggested ID accepted, a row excluded; unknown
 * column names and the mapping step; an unreadable file. Then sign in,
 * submit in small chunks, cancel mid-way, resume: the server has every
 * row exactly once. The report, exported as CSV (read back) and XLSX
 * (unzips). Saves <build>/tests/gui/batch-zh_CN.png.
 */
#define G_LOG_DOMAIN "test-batch"

#include "config.h"

#include <glib/gi18n.h>

#include "co-batch-page.h"
#include "co-batch-result-text.h"
#include "co-batch-row.h"
#include "co-reason-text.h"
#include "co-gui-session-util.h"

static CoTestSession session;
static gboolean chinese;
static char *work_dir;
static CoBatchPage *page;

/* New entrants: the demo roster's IDs are 10000000 and up. */
#define N_GOOD 7

/* Helpers */

/* The window as drawn last; a blinking cursor may leave no drawing for
 * a moment, so draw again until there is one. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *basename)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "gui", basename, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderNode *node = NULL;

  for (guint attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      co_test_wait_for_paint (widget, CO_TEST_TIMEOUT_MS);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Writes @utf8 converted to GBK (what Excel saves on a Chinese Windows). */
static char *
write_gbk (const char *name,
           const char *utf8)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gbk = NULL;
  char *path = g_build_filename (work_dir, name, NULL);
  gsize length;

  gbk = g_convert (utf8, -1, "GBK", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, gbk, length, &error);
  g_assert_no_error (error);
  return path;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* What choosing a file does, waited for. */
static gboolean
load_file (CoImportKind   kind,
           const char    *path,
           const char    *photo_dir,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  co_batch_page_load_file_async (page, kind, path, photo_dir, NULL, load_cb, &result);
  g_assert_true (co_test_wait_until (co_test_is_set_cb, &result, 30000));
  return co_batch_page_load_file_finish (page, result, error);
}

static CoBatchRow *
row_at_line (guint line)
{
  GListModel *rows = co_batch_page_get_rows (page);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(CoBatchRow) row = g_list_model_get_item (rows, i);

      if (co_batch_row_get_line (row) == line)
        return row;
    }
  g_assert_not_reached ();
}

static GtkWidget *
page_child (const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_BATCH_PAGE, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

typedef struct
{
  CoImportField  field;
  const char    *text;
  GtkWidget     *found;
} FindCell;

static gboolean
find_cell_cb (gpointer user_data)
{
  FindCell *find = user_data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (page_child ("rows_view"), GTK_TYPE_ENTRY, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "co-field")) == find->field &&
          g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (label)), find->text) == 0 &&
          gtk_widget_get_mapped (label))
        {
          find->found = label;
          return TRUE;
        }
    }
  return FALSE;
}

static const char list_text[] =
  "教育ID,姓名,性别,年级,班级,来源\r\n"
  "09900001,王小明,男,1,一年级1班,新入学\r\n"         /* line 2: fine */
  "9900002,李小红,女,1,一年级1班,新入学\r\n"          /* 3: lost leading zero */
  "09900001,王小明,男,1,一年级1班,新入学\r\n"         /* 4: duplicate of line 2 */
  "9.9E+06,赵小刚,男,1,一年级2班,新入学\r\n"          /* 5: Excel exponent */
  "09900005,钱小丽,,1,一年级2班,外省转入\r\n"         /* 6: gender empty */
  " 09900006 ,孙小龙,男,1,一年级2班,新入学\r\n"       /* 7: stray spaces */
  "09900007,周小雨,女,1,一年级3班,新入学\r\n"
  "09900008,吴小东,男,1,一年级3班,外省转入\r\n"
  "09900009,郑小西,女,1,一年级3班,新入学\r\n";

/* Tests */

static void
test_import (void)
{
  g_autofree char *path = write_gbk ("list.csv", list_text);
  g_autoptr(GError) error = NULL;
  g_autofree char *dup = NULL;
  g_autofree char *empty = NULL;
  FindCell find = { CO_IMPORT_FIELD_GENDER, "", NULL };
  guint n_ok, n_warning, n_refused, n_excluded;

  co_window_set_page (session.window, "batches");
  co_test_wait_for_mapped (GTK_WIDGET (page));

  g_assert_true (load_file (CO_IMPORT_KIND_NEW_CARD, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (co_batch_page_get_step (page), ==, "preview");
  g_assert_cmpstr (co_import_get_encoding_name (co_batch_page_get_import (page)), ==, "gb18030");
  g_assert_cmpuint (g_list_model_get_n_items (co_batch_page_get_rows (page)), ==, 9);

  /* The messages, one per problem, in the page's words. */
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (2)), ==, CO_IMPORT_VERDICT_OK);
  g_assert_cmpstr (co_batch_row_get_message (row_at_line (2)), ==, "");
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (3)), ==, CO_IMPORT_VERDICT_REFUSED);
  g_assert_cmpstr (co_batch_row_get_suggestion (row_at_line (3)), ==, "09900002");
  g_assert_nonnull (strstr (co_batch_row_get_message (row_at_line (3)), "09900002"));
  dup = g_strdup_printf (_("This student is already on line %u."), 2);
  g_assert_cmpstr (co_batch_row_get_message (row_at_line (4)), ==, dup);
  g_assert_nonnull (strstr (co_batch_row_get_message (row_at_line (5)), "9.9E+06"));
  g_assert_nonnull (strstr (co_batch_row_get_message (row_at_line (5)), "Excel"));
  empty = g_strdup_printf (_("%s is empty."), _("Gender"));
  g_assert_cmpstr (co_batch_row_get_message (row_at_line (6)), ==, empty);
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (7), CO_IMPORT_FIELD_EDU_ID), ==, "09900006");
  if (chinese)
    {
      g_assert_cmpstr (dup, ==, "该学生已在第 2 行。");
      g_assert_cmpstr (empty, ==, "性别为空。");
    }
  co_batch_page_get_counts (page, &n_ok, &n_warning, &n_refused, &n_excluded);
  g_assert_cmpuint (n_ok + n_warning, ==, 5);
  g_assert_cmpuint (n_refused, ==, 4);

  /* For people to look at: the list with its messages, before the fixes. */
  save_screenshot (GTK_WIDGET (session.window), chinese ? "batch-zh_CN.png" : "batch-C.png");

  /* Type the gender into its cell. */
  g_assert_true (co_test_wait_until (find_cell_cb, &find, CO_TEST_TIMEOUT_MS));
  gtk_widget_grab_focus (find.found);
  gtk_editable_set_text (GTK_EDITABLE (find.found), "女");
  g_signal_emit_by_name (find.found, "activate");
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (6), CO_IMPORT_FIELD_GENDER), ==, "女");
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (6)), ==, CO_IMPORT_VERDICT_OK);

  /* Accept the padded ID with its button's action. */
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.accept-fix", "u",
                              co_batch_row_get_index (row_at_line (3)));
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (3), CO_IMPORT_FIELD_EDU_ID), ==, "09900002");
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (3)), ==, CO_IMPORT_VERDICT_OK);

  /* The exponent cannot be fixed here: exclude it, and the duplicate. */
  co_batch_page_set_excluded (page, co_batch_row_get_index (row_at_line (5)), TRUE);
  co_batch_page_set_excluded (page, co_batch_row_get_index (row_at_line (4)), TRUE);
  g_assert_true (co_batch_row_get_excluded (row_at_line (5)));
  co_batch_page_get_counts (page, &n_ok, &n_warning, &n_refused, &n_excluded);
  g_assert_cmpuint (n_ok + n_warning, ==, N_GOOD);
  g_assert_cmpuint (n_refused, ==, 0);
  g_assert_cmpuint (n_excluded, ==, 2);

  /* Leave the page and come back: nothing is lost. */
  co_window_set_page (session.window, "students");
  co_window_set_page (session.window, "batches");
  g_assert_cmpstr (co_batch_page_get_step (page), ==, "preview");
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (6), CO_IMPORT_FIELD_GENDER), ==, "女");
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (3), CO_IMPORT_FIELD_EDU_ID), ==, "09900002");
  g_assert_true (co_batch_row_get_excluded (row_at_line (4)));

}

static void
test_unreadable (void)
{
  g_autofree char *path = g_build_filename (work_dir, "book.xlsx", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CoImport) keep = g_object_ref (co_batch_page_get_import (page));
  GtkWidget *label = page_child ("file_error_label");
  const guint8 zip[] = { 'P', 'K', 3, 4, 0, 0, 0, 0, 0xff, 0xfe, 0, 1 };

  g_file_set_contents (path, (const char *) zip, sizeof zip, &error);
  g_assert_no_error (error);
  g_assert_false (load_file (CO_IMPORT_KIND_NEW_CARD, path, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            _("This is not a CSV or TSV text file (an Excel workbook must first be saved as CSV).")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "book.xlsx"));
  /* The list already loaded stays on the page, with its fixes. */
  g_assert_cmpstr (co_batch_page_get_step (page), ==, "preview");
  g_assert_true (co_batch_page_get_import (page) == keep);
  g_assert_cmpuint (g_list_model_get_n_items (co_batch_page_get_rows (page)), ==, 2);
}

static void
write_png (const char *dir,
           const char *name,
           int         width,
           int         height)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);

  cairo_set_source_rgb (cr, 0.2, 0.4, 0.8);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static gboolean
picture_shown_cb (gpointer user_data)
{
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();

  collect (page_child ("rows_view"), GTK_TYPE_PICTURE, pictures);
  for (guint i = 0; i < pictures->len; i++)
    {
      GtkPicture *picture = g_ptr_array_index (pictures, i);

      if (gtk_widget_get_mapped (GTK_WIDGET (picture)) && gtk_picture_get_paintable (picture) != NULL &&
          gtk_picture_get_file (picture) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Photos from a folder: a thumbnail for a good one, the reason for a bad one. */
static void
test_photos (void)
{
  g_autofree char *photos = g_build_filename (work_dir, "photos", NULL);
  g_autofree char *path = NULL;
  g_autofree char *aspect = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir (photos, 0700);
  write_png (photos, "09930001.png", 260, 320);
  write_png (photos, "09930002.png", 400, 300);
  path = write_gbk ("photos.csv",
                    "教育ID,姓名,性别,年级,班级,来源\r\n"
                    "09930001,何小光,男,1,一年级6班,新入学\r\n"
                    "09930002,何小亮,女,1,一年级6班,新入学\r\n"
                    "09930003,何小明,女,1,一年级6班,新入学\r\n");

  g_assert_true (load_file (CO_IMPORT_KIND_NEW_CARD, path, photos, &error));
  g_assert_no_error (error);
  g_assert_false (gtk_widget_get_visible (page_child ("file_error_label")));
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (2)), ==, CO_IMPORT_VERDICT_OK);
  g_assert_nonnull (co_batch_row_get_photo_path (row_at_line (2)));
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (3)), ==, CO_IMPORT_VERDICT_REFUSED);
  aspect = g_strdup_printf (_("The photo is %d × %d pixels: too far from the card’s upright 26 × 32 mm format to crop."),
                            400, 300);
  g_assert_cmpstr (co_batch_row_get_message (row_at_line (3)), ==, aspect);
  g_assert_cmpstr (co_batch_row_get_message (row_at_line (4)), ==,
                   _("No photo: no file in the photo folder is named with this education ID."));
  g_assert_true (co_test_wait_until (picture_shown_cb, NULL, CO_TEST_TIMEOUT_MS));
}

static void
test_mapping (void)
{
  g_autofree char *path = write_gbk ("mapping.csv",
                                     "学号,学生名,性别,年级,班级,来源\r\n"
                                     "09910001,冯小北,男,1,一年级4班,新入学\r\n"
                                     "09910002,陈小南,女,1,一年级4班,新入学\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *apply = page_child ("mapping_apply_button");
  gboolean saw_value = FALSE;

  g_assert_true (load_file (CO_IMPORT_KIND_NEW_CARD, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (co_batch_page_get_step (page), ==, "mapping");
  g_assert_false (gtk_widget_get_sensitive (apply));

  /* One dropdown per required field, in field order: 教育ID and 姓名 unmatched. */
  collect (page_child ("mapping_grid"), GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 6);
  g_assert_cmpuint (gtk_drop_down_get_selected (g_ptr_array_index (dropdowns, 0)), ==, 0);
  g_assert_cmpuint (gtk_drop_down_get_selected (g_ptr_array_index (dropdowns, 2)), ==, 3);

  /* The preview shows the file's headers and first rows. */
  collect (page_child ("mapping_preview_grid"), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    saw_value |= g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, i)), "学号") == 0;
  g_assert_true (saw_value);

  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), 1);
  g_assert_false (gtk_widget_get_sensitive (apply));
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 1), 2);
  g_assert_true (gtk_widget_get_sensitive (apply));
  g_signal_emit_by_name (apply, "clicked");

  g_assert_cmpstr (co_batch_page_get_step (page), ==, "preview");
  g_assert_cmpuint (g_list_model_get_n_items (co_batch_page_get_rows (page)), ==, 2);
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (2), CO_IMPORT_FIELD_EDU_ID), ==, "09910001");
  g_assert_cmpstr (co_batch_row_get_value (row_at_line (3), CO_IMPORT_FIELD_NAME), ==, "陈小南");
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (3)), ==, CO_IMPORT_VERDICT_OK);
}

static void
get_batch_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CoBatchReport **report = user_data;
  g_autoptr(GError) error = NULL;

  *report = co_client_get_batch_finish (CO_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* Every row of @job accepted, each education ID once on the server,
 * counted over the batches the server answered. */
static GHashTable *
assert_once_on_server (CoBatchJob *job)
{
  g_autoptr(CoClient) client = co_client_new (session.server->url);
  g_autoptr(GHashTable) batch_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  guint n_server_rows = 0;

  co_test_client_sign_in (client, "demo", "demo", CO_TEST_TIMEOUT_MS);
  for (guint i = 0; i < co_batch_job_get_n_rows (job); i++)
    {
      const CoBatchJobRow *row = co_batch_job_get_row (job, i);

      g_assert_cmpint (row->state, ==, CO_BATCH_ROW_ACCEPTED);
      g_assert_cmpint (row->batch_id, >, 0);
      g_hash_table_add (batch_ids, (gpointer) &row->batch_id);
    }
  g_hash_table_iter_init (&iter, batch_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(CoBatchReport) report = NULL;

      co_client_get_batch_async (client, co_batch_job_get_kind (job), *(gint64 *) key, NULL, get_batch_cb, &report);
      g_assert_true (co_test_wait_until (co_test_is_set_cb, &report, CO_TEST_TIMEOUT_MS));
      for (guint k = 0; k < report->rows->len; k++)
        {
          CoBatchRowResult *r = &g_array_index (report->rows, CoBatchRowResult, k);

          g_assert_true (r->accepted);
          g_assert_false (g_hash_table_contains (seen, r->edu_id));
          g_hash_table_add (seen, g_strdup (r->edu_id));
          n_server_rows++;
        }
    }
  g_assert_cmpuint (n_server_rows, ==, co_batch_job_get_n_rows (job));
  return seen;
}

static void
on_progress_cancel_cb (CoBatchJob *job,
                       guint       n_done,
                       guint       n_rows,
                       gboolean   *cancelled)
{
  if (!*cancelled)
    {
      *cancelled = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (page), "batch.cancel", NULL);
    }
}

static gboolean
stopped_cb (gpointer user_data)
{
  return gtk_widget_get_visible (page_child ("resume_button")) &&
         gtk_widget_get_sensitive (page_child ("resume_button"));
}

static gboolean
report_shown_cb (gpointer user_data)
{
  return g_strcmp0 (co_batch_page_get_step (page), "report") == 0;
}

static void
test_submit (void)
{
  g_autofree char *path = write_gbk ("submit.csv", list_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  CoSignInDialog *dialog;
  CoBatchJob *job;
  gboolean cancelled = FALSE;
  const char *label;

  dialog = co_test_session_open_sign_in (&session);
  co_test_dialog_submit (dialog, "demo", "demo");
  g_assert_true (co_test_wait_until (co_test_dialog_gone_cb, NULL, CO_TEST_TIMEOUT_MS));
  co_test_session_wait_synced (&session);
  co_window_set_page (session.window, "batches");

  /* The list as fixed in test_import, again. */
  g_assert_true (load_file (CO_IMPORT_KIND_NEW_CARD, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (co_batch_page_set_value (page, co_batch_row_get_index (row_at_line (6)),
                                          CO_IMPORT_FIELD_GENDER, "女"));
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.accept-fix", "u",
                              co_batch_row_get_index (row_at_line (3)));
  co_batch_page_set_excluded (page, co_batch_row_get_index (row_at_line (4)), TRUE);
  co_batch_page_set_excluded (page, co_batch_row_get_index (row_at_line (5)), TRUE);

  /* Two rows a request; cancel once the first is answered. */
  co_batch_page_set_chunk_size (page, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.submit", NULL));
  job = co_batch_page_get_job (page);
  g_assert_nonnull (job);
  g_assert_cmpuint (co_batch_job_get_n_rows (job), ==, N_GOOD);
  g_signal_connect (job, "progress", G_CALLBACK (on_progress_cancel_cb), &cancelled);
  g_assert_true (co_test_wait_until (stopped_cb, NULL, 30000));
  g_signal_handlers_disconnect_by_func (job, on_progress_cancel_cb, &cancelled);
  g_assert_true (cancelled);
  g_assert_cmpuint (co_batch_job_get_n_done (job), <, N_GOOD);
  g_assert_cmpuint (co_batch_job_get_n_done (job), >=, 2);
  label = gtk_label_get_label (GTK_LABEL (page_child ("submit_status_label")));
  g_assert_nonnull (strstr (label, _("Resume Submission")));
  if (chinese)
    g_assert_nonnull (strstr (label, "继续提交"));

  /* 继续提交 sends the rest. */
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.resume", NULL);
  g_assert_true (co_test_wait_until (report_shown_cb, NULL, 30000));
  g_assert_true (co_batch_job_is_complete (job));
  g_assert_cmpuint (co_batch_job_count (job, CO_BATCH_ROW_ACCEPTED), ==, N_GOOD);

  /* The server has every row exactly once. */
  seen = assert_once_on_server (job);
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_GOOD);
  g_assert_true (g_hash_table_contains (seen, "09900002"));
  g_assert_true (g_hash_table_contains (seen, "09900005"));
  g_assert_true (g_hash_table_contains (seen, "09900006"));
  g_assert_false (g_hash_table_contains (seen, "9.9E+06"));
}

static void
test_export (void)
{
  g_autofree char *csv = g_build_filename (work_dir, "report.csv", NULL);
  g_autofree char *xlsx = g_build_filename (work_dir, "report.xlsx", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *unzip = g_find_program_in_path ("unzip");
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  gsize length;
  guint n_lines = 0;

  g_assert_true (co_batch_page_export (page, csv, FALSE, &error));
  g_assert_no_error (error);
  g_file_get_contents (csv, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf"));
  lines = g_strsplit (contents, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n_lines += *lines[i] != '\0';
  g_assert_cmpuint (n_lines, ==, 1 + N_GOOD);
  g_assert_nonnull (strstr (lines[0], _("Education ID")));
  g_assert_nonnull (strstr (contents, "09900002"));
  g_assert_nonnull (strstr (contents, "钱小丽"));
  g_assert_nonnull (strstr (contents, _("Accepted")));
  if (chinese)
    g_assert_nonnull (strstr (lines[0], "教育ID"));

  g_assert_true (co_batch_page_export (page, xlsx, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  g_file_get_contents (xlsx, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (length > 4 && memcmp (contents, "PK\003\004", 4) == 0);
  if (unzip != NULL)
    {
      const char *argv[] = { unzip, "-tq", xlsx, NULL };
      int status = -1;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  else if (python != NULL)
    {
      const char *argv[] = { python, "-m", "zipfile", "-t", xlsx, NULL };
      int status = -1;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  else
    g_test_message ("no unzip nor python3: the XLSX file's signature only was checked");
}

static gboolean
refreshed_cb (gpointer user_data)
{
  const char *asking = _("Asking the central platform…");

  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (page_child ("batches_label"))), asking) != 0;
}

typedef struct
{
  const char *text;
  gboolean    found;
} FindLabel;

static gboolean
label_shown_cb (gpointer user_data)
{
  FindLabel *find = user_data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (page_child ("batches_view"), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (labels, i)) &&
        strstr (gtk_label_get_label (g_ptr_array_index (labels, i)), find->text) != NULL)
      find->found = TRUE;
  return find->found;
}

/* The batches tab shows the submission, and what the server says of it. */
static void
test_follow (void)
{
  CoBatchJob *job = co_batch_page_get_job (page);
  const CoBatchJobRow *row = co_batch_job_get_row (job, 0);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->batch_id);
  g_autofree char *text = g_strdup_printf (_("No. %s: %u accepted, %u refused"), id, 2, 0);
  g_autofree char *rows = g_strdup_printf (_("%u accepted, %u refused"), N_GOOD, 0);
  FindLabel find_server = { text, FALSE }, find_rows = { rows, FALSE };

  gtk_stack_set_visible_child_name (GTK_STACK (page_child ("section_stack")), "batches");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.refresh", NULL));
  g_assert_true (co_test_wait_until (refreshed_cb, NULL, 30000));
  g_assert_true (co_test_wait_until (label_shown_cb, &find_rows, CO_TEST_TIMEOUT_MS));
  g_assert_true (co_test_wait_until (label_shown_cb, &find_server, CO_TEST_TIMEOUT_MS));
}

/* A journal left by a submission that never ran (a crash): the batches tab
 * offers 继续提交, and the rows go in once. */
static void
test_resume_journal (void)
{
  g_autofree char *list = write_gbk ("crash.csv",
                                     "教育ID,姓名,性别,年级,班级,来源\r\n"
                                     "09920001,林小一,男,1,一年级5班,新入学\r\n"
                                     "09920002,林小二,女,1,一年级5班,新入学\r\n"
                                     "09920003,林小三,男,1,一年级5班,外省转入\r\n");
  g_autofree char *store_dir = g_path_get_dirname (co_store_get_path (co_test_session_get_store (&session)));
  g_autofree char *journal = g_build_filename (store_dir, "batches", "00000000-000000.journal", NULL);
  g_autoptr(CoImport) import = co_import_new (CO_IMPORT_KIND_NEW_CARD);
  g_autoptr(GError) error = NULL;
  CoBatchJob *resumed;

  g_assert_true (co_import_load_file (import, list, &error));
  g_assert_no_error (error);
  co_import_validate (import);
  {
    g_autoptr(CoBatchJob) job = co_batch_job_open (journal, &error);

    g_assert_no_error (error);
    g_assert_true (co_batch_job_prepare_from_import (job, import, NULL, 0, 1, &error));
    g_assert_no_error (error);
  }

  /* The finished list is closed first. */
  gtk_stack_set_visible_child_name (GTK_STACK (page_child ("section_stack")), "import");
  g_signal_emit_by_name (page_child ("new_batch_button"), "clicked");
  g_assert_cmpstr (co_batch_page_get_step (page), ==, "start");

  gtk_stack_set_visible_child_name (GTK_STACK (page_child ("section_stack")), "batches");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.refresh", NULL));
  g_assert_true (co_test_wait_until (refreshed_cb, NULL, 30000));
  {
    g_autofree char *unfinished = g_strdup_printf (_("Unfinished: %u of %u rows answered"), 0, 3);
    FindLabel find = { unfinished, FALSE };

    g_assert_true (co_test_wait_until (label_shown_cb, &find, CO_TEST_TIMEOUT_MS));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.resume-journal", "s", journal));
  resumed = co_batch_page_get_job (page);
  g_assert_nonnull (resumed);
  g_assert_cmpstr (co_batch_job_get_journal_path (resumed), ==, journal);
  g_assert_true (co_test_wait_until (report_shown_cb, NULL, 30000));
  g_assert_cmpuint (co_batch_job_count (resumed, CO_BATCH_ROW_ACCEPTED), ==, 3);
}

/* The server goes away after the first answer (SIGKILL): the page says
 * the server cannot be reached and where it stopped; the server comes back
 * on the same port with the same database, 继续提交 finishes, and every
 * row is there once. */
static void
on_progress_kill_cb (CoBatchJob *job,
                     guint       n_done,
                     guint       n_rows,
                     gboolean   *killed)
{
  if (!*killed)
    {
      *killed = TRUE;
      g_subprocess_force_exit (session.server->process);
      g_subprocess_wait (session.server->process, NULL, NULL);
    }
}

static void
restart_server (void)
{
  const char *port = strrchr (session.server->url, ':') + 1;
  const char *argv[] = { test_server_binary (), "--db", session.server->db, "--port", port, "--quiet", "--demo", NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_clear_object (&session.server->process);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  session.server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (session.server->process));
  url = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, session.server->url);
}

static void
test_network_lost (void)
{
  g_autofree char *path = write_gbk ("network.csv",
                                     "教育ID,姓名,性别,年级,班级,来源\r\n"
                                     "09940001,唐一,男,1,一年级7班,新入学\r\n"
                                     "09940002,唐二,女,1,一年级7班,新入学\r\n"
                                     "09940003,唐三,男,1,一年级7班,新入学\r\n"
                                     "09940004,唐四,女,1,一年级7班,新入学\r\n"
                                     "09940005,唐五,男,1,一年级7班,新入学\r\n"
                                     "09940006,唐六,女,1,一年级7班,外省转入\r\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autofree char *unreachable = NULL;
  gboolean killed = FALSE;
  CoBatchJob *job;
  const char *label;

  gtk_stack_set_visible_child_name (GTK_STACK (page_child ("section_stack")), "import");
  g_signal_emit_by_name (page_child ("new_batch_button"), "clicked");
  g_assert_true (load_file (CO_IMPORT_KIND_NEW_CARD, path, NULL, &error));
  g_assert_no_error (error);
  co_batch_page_set_chunk_size (page, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.submit", NULL));
  job = co_batch_page_get_job (page);
  g_signal_connect (job, "progress", G_CALLBACK (on_progress_kill_cb), &killed);
  g_assert_true (co_test_wait_until (stopped_cb, NULL, 60000));
  g_signal_handlers_disconnect_by_func (job, on_progress_kill_cb, &killed);
  g_assert_true (killed);
  g_assert_false (co_batch_job_is_complete (job));

  label = gtk_label_get_label (GTK_LABEL (page_child ("submit_status_label")));
  unreachable = g_strdup (_("The server cannot be reached. Check the network and the server address in Preferences."));
  g_assert_nonnull (strstr (label, unreachable));
  g_assert_nonnull (strstr (label, _("Resume Submission")));

  restart_server ();
  gtk_widget_activate_action (GTK_WIDGET (page), "batch.resume", NULL);
  g_assert_true (co_test_wait_until (report_shown_cb, NULL, 60000));
  g_assert_cmpuint (co_batch_job_count (job, CO_BATCH_ROW_ACCEPTED), ==, 6);
  seen = assert_once_on_server (job);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 6);
}

static CoStudent *
find_student (int      grade,
              CoEntry  entry)
{
  GListModel *students = co_store_get_students (co_test_session_get_store (&session));

  for (guint i = 0; i < g_list_model_get_n_items (students); i++)
    {
      g_autoptr(CoStudent) student = g_list_model_get_item (students, i);

      if (co_student_get_grade (student) == grade && co_student_get_entry (student) == entry &&
          co_student_get_card_status (student) == CO_CARD_STATUS_ACTIVE && co_student_get_class_name (student) != NULL)
        return g_steal_pointer (&student);
    }
  return NULL;
}

/* 卡贴: the roster is asked about every student: a name the roster spells
 * otherwise is a warning, an unknown student and a grade-8 student are
 * refused with their reasons; the rest goes and is answered. */
static void
test_sticker (void)
{
  g_autoptr(CoStudent) seventh = find_student (7, CO_ENTRY_NEW_ENTRANT);
  g_autoptr(CoStudent) eighth = find_student (8, CO_ENTRY_CONTINUING);
  g_autoptr(GString) text = g_string_new ("教育ID,姓名,性别,年级,班级,来源\r\n");
  g_autofree char *path = NULL;
  g_autofree char *mismatch = NULL;
  g_autoptr(GError) error = NULL;
  CoBatchJob *job;

  g_assert_nonnull (seventh);
  g_assert_nonnull (eighth);
  g_string_append_printf (text, "%s,错名字,男,7,%s,新入学\r\n",
                          co_student_get_edu_id (seventh), co_student_get_class_name (seventh));
  g_string_append (text, "09950001,无此人,女,7,初一1班,新入学\r\n");
  g_string_append_printf (text, "%s,%s,女,8,%s,新入学\r\n", co_student_get_edu_id (eighth),
                          co_student_get_name (eighth), co_student_get_class_name (eighth));
  path = write_gbk ("sticker.csv", text->str);

  gtk_stack_set_visible_child_name (GTK_STACK (page_child ("section_stack")), "import");
  g_signal_emit_by_name (page_child ("new_batch_button"), "clicked");
  g_assert_true (load_file (CO_IMPORT_KIND_STICKER, path, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (2)), ==, CO_IMPORT_VERDICT_WARNING);
  mismatch = g_strdup_printf (_("The roster gives this education ID the name “%s”."), co_student_get_name (seventh));
  g_assert_cmpstr (co_batch_row_get_message (row_at_line (2)), ==, mismatch);
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (3)), ==, CO_IMPORT_VERDICT_REFUSED);
  g_assert_cmpstr (co_batch_row_get_message (row_at_line (3)), ==,
                   _("No student with this education ID in the school’s roster."));
  g_assert_cmpint (co_batch_row_get_verdict (row_at_line (4)), ==, CO_IMPORT_VERDICT_REFUSED);
  g_assert_nonnull (strstr (co_batch_row_get_message (row_at_line (4)), co_reason_to_text (CO_REASON_STICKER_WRONG_GRADE)));

  /* Only the row that can go goes; the server answers it, with words. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "batch.submit", NULL));
  job = co_batch_page_get_job (page);
  g_assert_cmpuint (co_batch_job_get_n_rows (job), ==, 1);
  g_assert_true (co_test_wait_until (report_shown_cb, NULL, 30000));
  g_assert_cmpint (co_batch_job_get_kind (job), ==, CO_BATCH_KIND_STICKER);
  g_assert_cmpint (co_batch_job_get_row (job, 0)->state, !=, CO_BATCH_ROW_PENDING);
  if (co_batch_job_get_row (job, 0)->state == CO_BATCH_ROW_REFUSED)
    {
      g_autofree char *reason = co_batch_row_reason_text (co_batch_job_get_row (job, 0), NULL);

      g_test_message ("sticker refused: %s", co_batch_job_get_row (job, 0)->code);
      g_assert_nonnull (reason);
    }
}

int
main (int   argc,
      char *argv[])
{
  const char * const server_args[] = { "--demo", NULL };
  g_autoptr(GError) error = NULL;
  int ret;

  if (!co_test_session_init (&argc, &argv, &chinese))
    return CO_TEST_EXIT_SKIP;

  /* Pages switch at once: the screenshot shows the page, not a crossfade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  work_dir = g_dir_make_tmp ("co-gui-batch-XXXXXX", &error);
  g_assert_no_error (error);
  co_test_session_start (&session, server_args);
  page = CO_BATCH_PAGE (gtk_widget_get_template_child (GTK_WIDGET (session.window), CO_TYPE_WINDOW, "batch_page"));
  co_window_set_page (session.window, "batches");

  g_test_add_func ("/gui/batch/mapping", test_mapping);
  g_test_add_func ("/gui/batch/unreadable", test_unreadable);
  g_test_add_func ("/gui/batch/photos", test_photos);
  g_test_add_func ("/gui/batch/import", test_import);
  g_test_add_func ("/gui/batch/submit", test_submit);
  g_test_add_func ("/gui/batch/export", test_export);
  g_test_add_func ("/gui/batch/follow", test_follow);
  g_test_add_func ("/gui/batch/resume-journal", test_resume_journal);
  g_test_add_func ("/gui/batch/network-lost", test_network_lost);
  g_test_add_func ("/gui/batch/sticker", test_sticker);

  ret = g_test_run ();

  co_test_session_stop (&session);
  {
    g_autoptr(GDir) dir = g_dir_open (work_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (work_dir, name, NULL);
        g_remove (p);
      }
    g_rmdir (work_dir);
  }
  g_free (work_dir);

  return ret;
}
