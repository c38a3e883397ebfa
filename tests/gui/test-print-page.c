/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The print page (打印) with the real print core, real files and poppler
 * reading every PDF back: a CSV with photos made here renders to a
 * preview; a big render is cancelled; the PDF is exported and "printed"
 * through GtkPrintOperation's export action (never ACTION_PRINT: it hangs
 * without CUPS) at 100 %; a damaged photo is named in the warnings; a
 * printer's offset from GSettings moves what is printed. Runs in zh_CN
 * when the locale exists and saves print-page-zh_CN.png.
 */
#define G_LOG_DOMAIN "test-print-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "co-application.h"
#include "co-gui-test-util.h"
#include "co-print-page.h"
#include "co-rules.h"
#include "print-test-utils.h"

#define RENDER_TIMEOUT_MS 60000
#define FIRST_CARD_NO "2000123456780001"

static CoApplication *app;
static GtkWindow *window;
static CoPrintPage *page;
static char *tmp_dir;
static char *cache_dir;

/* Helpers */

static GObject *
child (const char *id)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (page), CO_TYPE_PRINT_PAGE, id);

  g_assert_nonnull (object);
  return object;
}

/* "clicked" at once (activation would emit it ~250 ms later). */
static void
click (const char *id)
{
  GtkWidget *button = GTK_WIDGET (child (id));

  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A CSV of @n students, photos made here: good ones, and one damaged
 * (a JPEG cut short) for the student in row @bad_row (or none: -1). */
static char *
write_csv (const char *name,
           guint       n,
           int         bad_row)
{
  g_autoptr(GString) csv = g_string_new ("姓名,教育ID,一卡通号,性别,学校,学段,有效期,北京通号,班级,照片\n");
  g_autofree char *red = test_data_path ("red.jpg");
  g_autofree char *good = tmp_path ("good.jpg");
  g_autofree char *bad = tmp_path ("bad.jpg");
  g_autofree char *path = tmp_path (name);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_file_get_contents (red, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (good, contents, length, &error);
  g_assert_no_error (error);
  g_file_set_contents (bad, contents, length / 3, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "学生%u,%08u,20001234567%05u,male,北京市第一中学,junior,2027-07-31,"
                            "BJT%06u,初一(%u)班,%s\n",
                            i + 1, 10000001 + i, 80001 + i, i + 1, 1 + i % 4,
                            (int) i == bad_row ? "bad.jpg" : "good.jpg");
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static gboolean
render_done (gpointer user_data)
{
  return !co_print_page_get_busy (page) && co_print_page_get_n_pages (page) > 0;
}

static void
render_and_wait (void)
{
  co_print_page_render (page);
  g_assert_true (co_print_page_get_busy (page));
  g_assert_true (co_test_wait_until (render_done, NULL, RENDER_TIMEOUT_MS));
}

static void
load_csv (guint n,
          int   bad_row)
{
  g_autofree char *path = write_csv ("students.csv", n, bad_row);
  g_autoptr(GError) error = NULL;

  g_assert_true (co_print_page_load_csv (page, path, &error));
  g_assert_no_error (error);
}

static void
find_card_no (const char *path,
              Box        *box)
{
  Pdf *pdf = pdf_open (path);

  g_assert_true (pdf_find_text (pdf, 0, FIRST_CARD_NO, box));
  pdf_free (pdf);
}

/* The box (mm) of the dark pixels of page 1 inside @region, at 300 dpi.
 * poppler's text boxes come from font metrics, which differ once cairo
 * re-embeds the fonts when printing: the ink does not. */
static void
ink_box (const char *path,
         const Box  *region,
         Box        *box)
{
  const double dpi = 300, px_per_mm = dpi / 25.4;
  Pdf *pdf = pdf_open (path);
  cairo_surface_t *image = pdf_render (pdf, 0, dpi);
  const guint8 *data = cairo_image_surface_get_data (image);
  int stride = cairo_image_surface_get_stride (image);
  int x0 = region->x1 * px_per_mm, x1 = region->x2 * px_per_mm;
  int y0 = region->y1 * px_per_mm, y1 = region->y2 * px_per_mm;
  int min_x = G_MAXINT, min_y = G_MAXINT, max_x = -1, max_y = -1;

  for (int y = y0; y <= y1; y++)
    for (int x = x0; x <= x1; x++)
      {
        guint32 pixel = *(const guint32 *) (data + y * stride + x * 4);

        if (((pixel >> 16) & 0xff) + ((pixel >> 8) & 0xff) + (pixel & 0xff) < 3 * 128)
          {
            min_x = MIN (min_x, x);
            max_x = MAX (max_x, x);
            min_y = MIN (min_y, y);
            max_y = MAX (max_y, y);
          }
      }
  g_assert_cmpint (max_x, >=, 0);
  box->x1 = min_x / px_per_mm;
  box->x2 = (max_x + 1) / px_per_mm;
  box->y1 = min_y / px_per_mm;
  box->y2 = (max_y + 1) / px_per_mm;
  cairo_surface_destroy (image);
  pdf_free (pdf);
}

static guint
count_cache_files (void)
{
  g_autofree char *dir = g_build_filename (cache_dir, "card-office", NULL);
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  if (d == NULL)
    return 0;
  while (g_dir_read_name (d) != NULL)
    n++;
  g_dir_close (d);
  return n;
}

static void
reset_page (void)
{
  co_print_page_set_kind (page, CO_PRINT_KIND_STICKERS);
  g_assert_true (co_print_page_set_template (page, "a4-2x5-card"));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("printer_dropdown")), 0);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child ("start_at_spin")), 1);
}

/* Tests */

static void
test_template (void)
{
  co_test_assert_template (GTK_WIDGET (page), CO_TYPE_PRINT_PAGE,
                           RESOURCE_PREFIX "/ui/co-print-page.ui");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child ("print_button"))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child ("export_button"))));
}

static void
test_render_csv (void)
{
  g_autofree char *expected = NULL;
  const char *pdf_path;
  GStatBuf st;

  reset_page ();
  load_csv (12, -1);
  render_and_wait ();

  /* 12 stickers, 10 a sheet */
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 2);
  expected = g_strdup_printf (_("Page %u of %u"), 1, 2);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child ("page_label"))), ==, expected);
  g_assert_nonnull (gtk_picture_get_paintable (GTK_PICTURE (child ("preview_picture"))));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child ("print_button"))));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("warnings_revealer"))));

  /* The rendered file is private and in the cache dir. */
  pdf_path = co_print_page_get_pdf_path (page);
  g_assert_nonnull (pdf_path);
  g_assert_true (g_str_has_prefix (pdf_path, cache_dir));
  g_assert_cmpint (g_stat (pdf_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Page navigation and zoom */
  click ("next_button");
  g_free (expected);
  expected = g_strdup_printf (_("Page %u of %u"), 2, 2);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child ("page_label"))), ==, expected);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (child ("next_button"))));
  click ("zoom_100_button");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child ("zoom_label"))), ==, "100%");
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (GTK_PICTURE (child ("preview_picture")))),
                   ==, (int) ceil (210 / 25.4 * 96));
  click ("zoom_in_button");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child ("zoom_label"))), ==, "125%");
  click ("zoom_fit_button");
  click ("prev_button");
}

static gboolean
cancelled (gpointer user_data)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (child ("status_label"))), _("Cancelled.")) == 0;
}

static void
test_cancel (void)
{
  reset_page ();
  load_csv (2000, -1);
  co_print_page_render (page);
  g_assert_true (co_print_page_get_busy (page));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (child ("progress_bar"))));
  click ("cancel_button");

  g_assert_true (co_test_wait_until (cancelled, NULL, RENDER_TIMEOUT_MS));
  g_assert_false (co_print_page_get_busy (page));
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 0);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (child ("render_button"))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (child ("progress_bar"))));
  /* Nothing left behind in the cache */
  g_assert_cmpuint (count_cache_files (), ==, 0);
}

static void
test_export_and_print (void)
{
  g_autofree char *exported = tmp_path ("exported.pdf");
  g_autofree char *printed = tmp_path ("printed.pdf");
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;
  Box rendered_box, printed_box;
  double w, h;
  Pdf *pdf;

  reset_page ();
  load_csv (12, -1);
  render_and_wait ();

  g_assert_true (co_print_page_export_pdf (page, exported, &error));
  g_assert_no_error (error);
  pdf = pdf_open (exported);
  g_assert_cmpint (pdf_n_pages (pdf), ==, 2);
  pdf_free (pdf);

  result = co_print_page_print (page, GTK_PRINT_OPERATION_ACTION_EXPORT, printed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);

  pdf = pdf_open (printed);
  g_assert_cmpint (pdf_n_pages (pdf), ==, 2);
  pdf_page_size_mm (pdf, 0, &w, &h);
  g_test_message ("printed page %.3f x %.3f mm", w, h);
  g_assert_cmpfloat_with_epsilon (w, 210.0, 0.5);
  g_assert_cmpfloat_with_epsilon (h, 297.0, 0.5);
  pdf_free (pdf);

  /* 100 %: the 一卡通号 sits where the rendered PDF has it. */
  find_card_no (co_print_page_get_pdf_path (page), &rendered_box);
  find_card_no (printed, &printed_box);
  g_test_message ("rendered %.2f %.2f %.2f %.2f, printed %.2f %.2f %.2f %.2f",
                  rendered_box.x1, rendered_box.y1, rendered_box.x2, rendered_box.y2,
                  printed_box.x1, printed_box.y1, printed_box.x2, printed_box.y2);
  g_assert_cmpfloat_with_epsilon (printed_box.x1, rendered_box.x1, 0.5);
  g_assert_cmpfloat_with_epsilon (printed_box.x2, rendered_box.x2, 0.5);
  {
    Box region = rendered_box, rendered_ink, printed_ink;

    ink_box (co_print_page_get_pdf_path (page), &region, &rendered_ink);
    ink_box (printed, &region, &printed_ink);
    g_test_message ("ink: rendered %.2f %.2f %.2f %.2f, printed %.2f %.2f %.2f %.2f",
                    rendered_ink.x1, rendered_ink.y1, rendered_ink.x2, rendered_ink.y2,
                    printed_ink.x1, printed_ink.y1, printed_ink.x2, printed_ink.y2);
    /* The number's digits are ~3 mm high: a scaled page would move them. */
    g_assert_cmpfloat (rendered_ink.y2 - rendered_ink.y1, >, 1.5);
    g_assert_cmpfloat_with_epsilon (printed_ink.x1, rendered_ink.x1, 0.5);
    g_assert_cmpfloat_with_epsilon (printed_ink.y1, rendered_ink.y1, 0.5);
    g_assert_cmpfloat_with_epsilon (printed_ink.x2, rendered_ink.x2, 0.5);
    g_assert_cmpfloat_with_epsilon (printed_ink.y2, rendered_ink.y2, 0.5);
  }

  /* A bad path keeps the preview and says why. */
  g_assert_false (co_print_page_export_pdf (page, "/nonexistent-dir/x.pdf", &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 2);
}

static void
test_corrupt_photo (void)
{
  GtkWidget *row;
  GtkWidget *label;
  const char *text;

  reset_page ();
  load_csv (5, 2);
  render_and_wait ();

  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("warnings_revealer"))));
  row = gtk_widget_get_first_child (GTK_WIDGET (child ("warnings_list")));
  g_assert_nonnull (row);
  g_assert_null (gtk_widget_get_next_sibling (row));
  label = co_test_find_descendant (row, GTK_TYPE_LABEL);
  text = gtk_label_get_text (GTK_LABEL (label));
  g_test_message ("warning: %s", text);
  g_assert_nonnull (strstr (text, "学生3"));
  g_assert_nonnull (strstr (text, "10000003"));
}

static void
test_offsets (void)
{
  GSettings *settings = co_application_get_settings (app);
  GtkDropDown *printers = GTK_DROP_DOWN (child ("printer_dropdown"));
  g_autofree char *plain = tmp_path ("plain.pdf");
  g_autofree char *shifted = tmp_path ("shifted.pdf");
  g_autoptr(GError) error = NULL;
  Box plain_box, shifted_box;

  reset_page ();
  load_csv (3, -1);
  render_and_wait ();
  g_assert_true (co_print_page_export_pdf (page, plain, &error));
  g_assert_no_error (error);

  g_settings_set_value (settings, "printer-offsets",
                        g_variant_new_parsed ("{'得力 DL-888T': (3.0, -2.0), 'Zebra': (1.0, 1.0)}"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (printers)), ==, 3);
  gtk_drop_down_set_selected (printers, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (printers)), 2),
                   ==, "得力 DL-888T");
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child ("offset_x_spin"))), 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child ("offset_y_spin"))), -2.0, 1e-9);

  render_and_wait ();
  g_assert_true (co_print_page_export_pdf (page, shifted, &error));
  g_assert_no_error (error);

  find_card_no (plain, &plain_box);
  find_card_no (shifted, &shifted_box);
  g_assert_cmpfloat_with_epsilon (shifted_box.x1 - plain_box.x1, 3.0, 0.1);
  g_assert_cmpfloat_with_epsilon (shifted_box.y1 - plain_box.y1, -2.0, 0.1);

  /* Back to no offset */
  gtk_drop_down_set_selected (printers, 0);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (GTK_SPIN_BUTTON (child ("offset_x_spin"))), 0.0, 1e-9);
  g_settings_reset (settings, "printer-offsets");
}

static void
test_start_at_and_kinds (void)
{
  reset_page ();
  load_csv (10, -1);
  /* Starting at label 4 of 10, ten stickers need two sheets. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (child ("start_at_spin")), 4);
  render_and_wait ();
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 2);

  co_print_page_set_kind (page, CO_PRINT_KIND_FORMS);
  render_and_wait ();
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 10);

  co_print_page_set_kind (page, CO_PRINT_KIND_CALIBRATION);
  render_and_wait ();
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 1);
}

static void
test_selection (void)
{
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func (g_object_unref);

  reset_page ();
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *edu_id = g_strdup_printf ("%08u", 20000001 + i);
      g_autofree char *card_no = g_strdup_printf ("20001234567%05u", 90001 + i);
      CoStudent *student = co_student_new (edu_id, "王小明");

      co_student_set_card_no (student, card_no);
      co_student_set_class_name (student, "初一(2)班");
      g_ptr_array_add (students, student);
    }
  co_print_page_set_selection (page, students);
  co_print_page_set_kind (page, CO_PRINT_KIND_HANDOUT);
  render_and_wait ();
  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 1);
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   guint         *n_paints)
{
  (*n_paints)++;
}

static gboolean
painted_twice (gpointer user_data)
{
  return *(guint *) user_data >= 2;
}

static void
add_student (CoStore      *store,
             const char   *edu_id,
             int           grade,
             const char   *class_name,
             CoCardStatus  status,
             const char   *card_no)
{
  g_autoptr(CoStudent) student = co_student_new (edu_id, "李华");
  g_autoptr(GError) error = NULL;

  co_student_set_grade (student, grade);
  co_student_set_class_name (student, class_name);
  co_student_set_card_status (student, status);
  co_student_set_card_no (student, card_no);
  co_student_set_school (student, "北京市第一中学");
  co_student_set_bjt_no (student, card_no + 8);
  co_student_set_uid (student, card_no + 4);
  g_assert_true (co_store_update_student (store, student, &error));
  g_assert_no_error (error);
}

/* The roster in the store, filtered by grade, class and card status; the
 * stored photo is printed. */
static void
test_roster (void)
{
  g_autoptr(GError) error = NULL;
  CoStore *store = co_application_get_store (app, &error);
  g_autofree char *red = test_data_path ("red.jpg");
  g_autofree char *jpeg = NULL;
  g_autofree char *text = NULL;
  gsize length;
  Pdf *pdf;

  char ids[4][9];
  guint n_ids = 0;

  g_assert_no_error (error);
  /* Valid education IDs (with their check digit) */
  for (guint candidate = 30000000; n_ids < 4; candidate++)
    {
      g_snprintf (ids[n_ids], sizeof ids[n_ids], "%08u", candidate);
      if (co_rules_check_edu_id (ids[n_ids]) == CO_REASON_NONE)
        n_ids++;
    }
  add_student (store, ids[0], 7, "初一(1)班", CO_CARD_STATUS_ACTIVE, "2000111122223333");
  add_student (store, ids[1], 7, "初一(2)班", CO_CARD_STATUS_ACTIVE, "2000111122224444");
  add_student (store, ids[2], 10, "初一(1)班", CO_CARD_STATUS_ACTIVE, "2000111122225555");
  add_student (store, ids[3], 7, "初一(1)班", CO_CARD_STATUS_REPORTED_LOST, "2000111122226666");
  g_file_get_contents (red, &jpeg, &length, &error);
  g_assert_no_error (error);
  g_assert_true (co_store_put_photo (store, ids[0], "etag-1",
                                     g_bytes_new_take (g_steal_pointer (&jpeg), length), &error));
  g_assert_no_error (error);

  reset_page ();
  click ("roster_button");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("grade_dropdown")), 7);
  gtk_editable_set_text (GTK_EDITABLE (child ("class_entry")), "初一(1)班");
  /* any, not issued, active, ... */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("status_dropdown")), 2);
  render_and_wait ();

  g_assert_cmpuint (co_print_page_get_n_pages (page), ==, 1);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child ("warnings_revealer"))));
  pdf = pdf_open (co_print_page_get_pdf_path (page));
  text = pdf_page_text_compact (pdf, 0);
  pdf_free (pdf);
  g_assert_nonnull (strstr (text, ids[0]));
  g_assert_null (strstr (text, ids[1]));
  g_assert_null (strstr (text, ids[2]));
  g_assert_null (strstr (text, ids[3]));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("grade_dropdown")), 0);
  gtk_editable_set_text (GTK_EDITABLE (child ("class_entry")), "");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (child ("status_dropdown")), 0);
}

static gboolean
cache_back_to (gpointer user_data)
{
  return count_cache_files () == *(guint *) user_data;
}

/* A page closed while rendering: no crash, no file left behind. */
static void
test_destroy_while_rendering (void)
{
  g_autofree char *path = write_csv ("big.csv", 2000, -1);
  g_autoptr(GError) error = NULL;
  GtkWindow *other = GTK_WINDOW (gtk_window_new ());
  CoPrintPage *other_page = g_object_new (CO_TYPE_PRINT_PAGE, NULL);
  /* The main page keeps its own preview's file. */
  guint before = count_cache_files ();

  gtk_window_set_child (other, GTK_WIDGET (other_page));
  gtk_window_present (other);
  g_assert_true (co_print_page_load_csv (other_page, path, &error));
  g_assert_no_error (error);
  co_print_page_render (other_page);
  g_assert_true (co_print_page_get_busy (other_page));
  gtk_window_destroy (other);

  g_assert_cmpuint (count_cache_files (), >, before);
  g_assert_true (co_test_wait_until (cache_back_to, &before, RENDER_TIMEOUT_MS));
}

/* A file that cannot be used says why and keeps what was loaded before. */
static void
test_bad_csv (void)
{
  g_autofree char *no_name = tmp_path ("no-name.csv");
  g_autofree char *binary = tmp_path ("sheet.xlsx");
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  static const char zip[] = "PK\003\004\024\000\000\000\010\000\000\000\000\000";

  load_csv (3, -1);
  before = g_strdup (gtk_label_get_text (GTK_LABEL (child ("source_label"))));

  g_file_set_contents (no_name, "教育ID,一卡通号\n10000001,2000123456780001\n", -1, &error);
  g_assert_no_error (error);
  g_assert_false (co_print_page_load_csv (page, no_name, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "姓名"));
  g_assert_nonnull (strstr (error->message, "no-name.csv"));
  g_clear_error (&error);

  g_file_set_contents (binary, zip, sizeof zip, &error);
  g_assert_no_error (error);
  g_assert_false (co_print_page_load_csv (page, binary, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "sheet.xlsx"));
  g_clear_error (&error);

  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child ("source_label"))), ==, before);
}

static gboolean
warnings_revealed (gpointer user_data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (child ("warnings_revealer")));
}

static void
test_screenshot (void)
{
  GdkFrameClock *clock;
  gulong handler;
  guint n_paints = 0;
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width, height;
  const char *lang = setlocale (LC_MESSAGES, NULL);

  reset_page ();
  load_csv (12, 2);
  render_and_wait ();
  co_test_wait_for_mapped (GTK_WIDGET (child ("preview_picture")));
  g_assert_true (co_test_wait_until (warnings_revealed, NULL, CO_TEST_TIMEOUT_MS));
  click ("zoom_fit_button");
  /* Laid out and drawn with the preview and the warnings. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &n_paints);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (co_test_wait_until (painted_twice, &n_paints, CO_TEST_TIMEOUT_MS));
  g_signal_handler_disconnect (clock, handler);

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_render_node_unref (node);
  path = g_test_build_filename (G_TEST_BUILT, "gui",
                                g_str_has_prefix (lang, "zh_CN") ? "print-page-zh_CN.png" : "print-page-C.png",
                                NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *store = NULL;
  int ret;

  tmp_dir = g_dir_make_tmp ("co-print-page-XXXXXX", &error);
  g_assert_no_error (error);
  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  store = g_build_filename (tmp_dir, "store.db", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_setenv ("CARD_OFFICE_STORE", store, TRUE);

  if (!co_test_set_locale ("zh_CN.UTF-8"))
    co_test_set_locale ("C.UTF-8");
  if (!co_test_init_gui (&argc, &argv))
    return CO_TEST_EXIT_SKIP;

  app = co_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1100, 760);
  page = g_object_new (CO_TYPE_PRINT_PAGE, NULL);
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  co_test_wait_for_mapped (GTK_WIDGET (page));

  g_test_add_func ("/gui/print-page/template", test_template);
  g_test_add_func ("/gui/print-page/render-csv", test_render_csv);
  g_test_add_func ("/gui/print-page/cancel", test_cancel);
  g_test_add_func ("/gui/print-page/export-and-print", test_export_and_print);
  g_test_add_func ("/gui/print-page/corrupt-photo", test_corrupt_photo);
  g_test_add_func ("/gui/print-page/offsets", test_offsets);
  g_test_add_func ("/gui/print-page/start-at-and-kinds", test_start_at_and_kinds);
  g_test_add_func ("/gui/print-page/selection", test_selection);
  g_test_add_func ("/gui/print-page/roster", test_roster);
  g_test_add_func ("/gui/print-page/bad-csv", test_bad_csv);
  g_test_add_func ("/gui/print-page/destroy-while-rendering", test_destroy_while_rendering);
  g_test_add_func ("/gui/print-page/screenshot", test_screenshot);

  ret = g_test_run ();

  gtk_window_destroy (window);
  /* The page removed its rendered file. */
  g_assert_cmpuint (count_cache_files (), ==, 0);
  g_clear_object (&app);
  test_rm_rf (tmp_dir);
  g_free (tmp_dir);
  g_free (cache_dir);
  return ret;
}
