/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Reissue forms, handout lists and the calibration page, read back with
 * poppler.
 */
#define G_LOG_DOMAIN "test-print"

#include "config.h"

#include <string.h>

#include "print-test-utils.h"

typedef struct
{
  char            *dir;
  char            *out;
  CoPrintCaptions  captions;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = test_tmp_dir ();
  f->out = g_build_filename (f->dir, "out.pdf", NULL);
  fill_captions (&f->captions);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->out);
}

static CoFormData *
make_form (guint i)
{
  CoFormData *d = co_form_data_new ();

  d->school = g_strdup ("北京市海淀区中关村第一小学");
  d->name = g_strdup_printf ("学生%u", i);
  d->gender = g_strdup ("女");
  d->class_name = g_strdup ("三年级2班");
  d->stage = g_strdup ("小学");
  d->edu_id = g_strdup_printf ("%08u", 11010200 + i);
  d->card_no = g_strdup_printf ("%016" G_GUINT64_FORMAT, (guint64) 1000123400000000 + i);
  d->bjt_no = g_strdup ("BJT000123");
  d->reason = g_strdup ("在学校操场丢失，已挂失。这是一段很长的补卡原因，用来检查多行文字不会超出表格的边框，也不会被截断。");
  d->delivery = g_strdup ("配送到家");
  d->address = g_strdup ("北京市海淀区中关村大街27号院3号楼2单元501室");
  d->recipient = g_strdup ("王建国");
  d->phone = g_strdup ("13800138000");
  d->fee = g_strdup ("15.00 元");
  d->application_no = g_strdup_printf ("BK20250301-%04u", i);
  d->date = g_strdup ("2025-03-01");
  return d;
}

static void
check_fonts (Fixture      *f,
             CoPrintStats *stats)
{
  g_autoptr(Pdf) pdf = pdf_open (f->out);
  guint n_fonts;

  g_assert_cmpuint (stats->n_unknown_glyphs, ==, 0);
  g_assert_true (pdf_fonts_all_embedded (pdf, &n_fonts));
  g_assert_cmpuint (n_fonts, >=, 1);
}

static void
test_forms (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) co_form_data_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(Pdf) pdf = NULL;
  CoPrintStats stats;
  CoRectMm page = { 0, 0, 210, 297 };

  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (forms, make_form (i));
  g_assert_true (co_print_forms (forms, NULL, &f->captions, f->out, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_pages, ==, 3);
  g_assert_cmpuint (stats.n_items, ==, 3);
  check_fonts (f, &stats);

  pdf = pdf_open (f->out);
  g_assert_cmpint (pdf_n_pages (pdf), ==, 3);
  for (int p = 0; p < 3; p++)
    {
      CoFormData *d = g_ptr_array_index (forms, p);
      const char *expected[] = {
        f->captions.form_title, d->name, d->edu_id, d->card_no, d->application_no, d->address,
        d->reason, d->fee, f->captions.parent_signature, f->captions.office_signature,
      };
      g_autoptr(GArray) chars = pdf_page_chars (pdf, p);
      double w, h;

      pdf_page_size_mm (pdf, p, &w, &h);
      g_assert_cmpfloat_with_epsilon (w, 210, 0.01);
      g_assert_cmpfloat_with_epsilon (h, 297, 0.01);
      for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
        {
          Box box;

          if (!pdf_find_text (pdf, p, expected[k], &box))
            g_error ("page %d lacks “%s”", p, expected[k]);
        }
      /* Nothing strays into the page's margins (15 mm). */
      for (guint k = 0; k < chars->len; k++)
        {
          CoRectMm inner = { 15, 8, 180, 286 };
          g_assert_true (box_inside (&g_array_index (chars, PdfChar, k).box, &inner, 0));
        }
      (void) page;
    }

  /* The QR code reads as the application number. */
  {
    gboolean skipped;
    g_auto(GStrv) codes = decode_qr_codes (pdf, 1, &skipped);

    if (!skipped)
      {
        g_assert_cmpuint (g_strv_length (codes), ==, 1);
        g_assert_cmpstr (codes[0], ==, ((CoFormData *) g_ptr_array_index (forms, 1))->application_no);
      }
  }
}

/* An empty record prints the blank form: captions and boxes only. */
static void
test_blank_form (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) co_form_data_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(Pdf) pdf = NULL;
  g_autofree char *text = NULL;
  CoPrintStats stats;

  g_ptr_array_add (forms, co_form_data_new ());
  g_assert_true (co_print_forms (forms, NULL, &f->captions, f->out, NULL, NULL, NULL, &stats, &error));
  g_assert_no_error (error);
  pdf = pdf_open (f->out);
  text = pdf_page_text_compact (pdf, 0);
  g_assert_nonnull (strstr (text, "学生卡补卡申请表"));
  g_assert_nonnull (strstr (text, "家长签字"));
  g_assert_null (strstr (text, "BK"));
}

static void
test_handout_list (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func ((GDestroyNotify) co_sticker_data_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(Pdf) pdf = NULL;
  CoPrintStats stats;
  Box box;

  /* Two classes, interleaved: 30 in 初一(1)班 (two pages), 3 in 初一(2)班. */
  for (guint i = 0; i < 33; i++)
    {
      CoStickerData *d = co_sticker_data_new ();

      d->class_name = g_strdup (i % 11 == 5 ? "初一(2)班" : "初一(1)班");
      d->name = g_strdup_printf ("学生%02u", i);
      d->edu_id = g_strdup_printf ("%08u", 11020000 + i);
      d->card_no = g_strdup_printf ("%016u", 1000 + i);
      d->school = g_strdup ("北京市第一中学");
      g_ptr_array_add (students, d);
    }
  g_assert_true (co_print_handout_list (students, NULL, &f->captions, f->out, NULL, NULL, NULL,
                                        &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.n_items, ==, 33);
  g_assert_cmpuint (stats.n_pages, ==, 3);
  check_fonts (f, &stats);

  pdf = pdf_open (f->out);
  g_assert_cmpint (pdf_n_pages (pdf), ==, 3);
  g_assert_true (pdf_find_text (pdf, 0, "学生卡领取名单初一(1)班", &box));
  g_assert_true (pdf_find_text (pdf, 0, "第1页，共2页", &box));
  g_assert_true (pdf_find_text (pdf, 0, "学生00", &box));
  g_assert_false (pdf_find_text (pdf, 0, "学生05", &box));
  g_assert_true (pdf_find_text (pdf, 1, "学生32", &box));
  g_assert_true (pdf_find_text (pdf, 1, "共30人", &box));
  g_assert_true (pdf_find_text (pdf, 1, "第2页，共2页", &box));
  g_assert_true (pdf_find_text (pdf, 2, "学生卡领取名单初一(2)班", &box));
  g_assert_true (pdf_find_text (pdf, 2, "学生05", &box));
  g_assert_true (pdf_find_text (pdf, 2, "学生27", &box));
  g_assert_true (pdf_find_text (pdf, 2, "共3人", &box));
  g_assert_true (pdf_find_text (pdf, 2, "领取人签字", &box));
}

static void
test_calibration (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoTemplate) t = co_template_new_for_name ("a4-3x7", &error);
  g_autofree char *plain_path = g_build_filename (f->dir, "plain.pdf", NULL);
  CoPrintOptions offset = { .offset_x_mm = -1.2, .offset_y_mm = 0.8 };
  g_autoptr(Pdf) plain = NULL;
  g_autoptr(Pdf) moved = NULL;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  Box box;
  double w, h;

  g_assert_no_error (error);
  g_assert_true (co_print_calibration_page (t, NULL, &f->captions, plain_path, &error));
  g_assert_no_error (error);
  g_assert_true (co_print_calibration_page (t, &offset, &f->captions, f->out, &error));
  g_assert_no_error (error);

  plain = pdf_open (plain_path);
  moved = pdf_open (f->out);
  g_assert_cmpint (pdf_n_pages (plain), ==, 1);
  pdf_page_size_mm (plain, 0, &w, &h);
  g_assert_cmpfloat_with_epsilon (w, 210, 0.01);
  g_assert_cmpfloat_with_epsilon (h, 297, 0.01);
  g_assert_true (pdf_find_text (plain, 0, "打印机校准页", &box));
  g_assert_true (pdf_find_text (plain, 0, "当前偏移：水平+0.0毫米，垂直+0.0毫米", &box));
  g_assert_true (pdf_find_text (moved, 0, "当前偏移：水平-1.2毫米，垂直+0.8毫米", &box));

  /* The top ruler's numbers, every 10 mm from the paper's edge, each
   * centred on its tick. */
  a = pdf_page_chars (plain, 0);
  for (guint mm = 20; mm <= 200; mm += 10)
    {
      g_autofree char *number = g_strdup_printf ("%u", mm);
      g_autoptr(GString) found = g_string_new (NULL);
      double x1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE;

      for (guint i = 0; i < a->len; i++)
        {
          const PdfChar *pc = &g_array_index (a, PdfChar, i);

          if (pc->box.y2 < 12 && pc->box.x1 > mm - 5 && pc->box.x2 < mm + 5)
            {
              g_string_append_unichar (found, pc->c);
              x1 = MIN (x1, pc->box.x1);
              x2 = MAX (x2, pc->box.x2);
            }
        }
      g_assert_cmpstr (found->str, ==, number);
      g_assert_cmpfloat_with_epsilon ((x1 + x2) / 2, mm, 0.3);
    }
  g_clear_pointer (&a, g_array_unref);

  /* The offset moves everything (the offset line's own digits aside):
   * every character has its twin exactly -1.2, +0.8 mm away. */
  a = pdf_page_chars (plain, 0);
  b = pdf_page_chars (moved, 0);
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const PdfChar *pa = &g_array_index (a, PdfChar, i);
      gboolean twin = FALSE;

      if (pa->box.y1 > 75 && pa->box.y2 < 83)
        continue;
      for (guint k = 0; k < b->len && !twin; k++)
        {
          const PdfChar *pb = &g_array_index (b, PdfChar, k);

          twin = pa->c == pb->c &&
                 ABS (pb->box.x1 - pa->box.x1 + 1.2) < 0.01 && ABS (pb->box.y1 - pa->box.y1 - 0.8) < 0.01 &&
                 ABS (pb->box.x2 - pa->box.x2 + 1.2) < 0.01 && ABS (pb->box.y2 - pa->box.y2 - 0.8) < 0.01;
        }
      if (!twin)
        g_error ("U+%04X at %.2f,%.2f did not move by the offset", pa->c, pa->box.x1, pa->box.y1);
    }
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func ((GDestroyNotify) co_form_data_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (co_print_forms (none, NULL, &f->captions, f->out, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION);
  g_clear_error (&error);
  g_assert_false (co_print_handout_list (none, NULL, &f->captions, f->out, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION);
  g_clear_error (&error);

  g_ptr_array_add (forms, make_form (1));
  g_cancellable_cancel (cancellable);
  g_assert_false (co_print_forms (forms, NULL, &f->captions, f->out, NULL, NULL, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (f->out, G_FILE_TEST_EXISTS));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/print/forms/reissue", test_forms);
  ADD ("/print/forms/blank", test_blank_form);
  ADD ("/print/forms/handout-list", test_handout_list);
  ADD ("/print/forms/calibration", test_calibration);
  ADD ("/print/forms/errors", test_errors);
#undef ADD

  return g_test_run ();
}
