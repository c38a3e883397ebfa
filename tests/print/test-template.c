/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * CoTemplate: the shipped sheets, the grid arithmetic, and a strict parser
 * whose errors name the group and the key.
 */
#define G_LOG_DOMAIN "test-template"

#include "config.h"

#include <string.h>

#include "co-template.h"
#include "co-print-types.h"

static void
test_shipped (void)
{
  g_auto(GStrv) names = co_template_list_names ();

  g_assert_true (g_strv_contains ((const char * const *) names, "a4-2x5-card"));
  g_assert_true (g_strv_contains ((const char * const *) names, "a4-3x7"));

  /* Every shipped template loads, and its labels lie on the page. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CoTemplate) t = co_template_new_for_name (names[i], &error);
      double page_w, page_h;

      g_test_message ("%s", names[i]);
      g_assert_no_error (error);
      g_assert_cmpstr (co_template_get_name (t), ==, names[i]);
      g_assert_nonnull (co_template_get_description (t));
      co_template_get_page_size (t, &page_w, &page_h);
      for (guint c = 0; c < co_template_get_n_cells (t); c++)
        {
          CoRectMm r;

          co_template_get_cell_rect (t, c, &r);
          g_assert_cmpfloat (r.x, >=, 0);
          g_assert_cmpfloat (r.y, >=, 0);
          g_assert_cmpfloat (r.x + r.width, <=, page_w);
          g_assert_cmpfloat (r.y + r.height, <=, page_h);
        }
      /* A sticker has at least a name and a card number. */
      g_assert_true (co_template_get_text (t, CO_STICKER_FIELD_NAME)->present);
      g_assert_true (co_template_get_text (t, CO_STICKER_FIELD_CARD_NO)->present);
    }
}

static void
test_geometry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CoTemplate) card = co_template_new_for_name ("a4-2x5-card", &error);
  g_autoptr(CoTemplate) small = co_template_new_for_name ("a4-3x7", &error);
  CoRectMm r, box;
  double w, h;
  guint quiet;
  int level;

  g_assert_no_error (error);
  co_template_get_page_size (card, &w, &h);
  g_assert_cmpfloat (w, ==, 210);
  g_assert_cmpfloat (h, ==, 297);
  co_template_get_label_size (card, &w, &h);
  g_assert_cmpfloat (w, ==, 85.6);
  g_assert_cmpfloat (h, ==, 54);
  g_assert_cmpuint (co_template_get_columns (card), ==, 2);
  g_assert_cmpuint (co_template_get_rows (card), ==, 5);
  g_assert_cmpuint (co_template_get_n_cells (card), ==, 10);
  co_template_get_cell_rect (card, 3, &r);   /* row 2, column 2 */
  g_assert_cmpfloat_with_epsilon (r.x, 14.4 + 85.6 + 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (r.y, 13.5 + 54, 1e-9);

  co_template_get_label_size (small, &w, &h);
  g_assert_cmpfloat (w, ==, 63.5);
  g_assert_cmpfloat (h, ==, 38.1);
  g_assert_cmpuint (co_template_get_n_cells (small), ==, 21);
  co_template_get_cell_rect (small, 20, &r);
  g_assert_cmpfloat_with_epsilon (r.x + r.width, 210 - 7.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (r.y + r.height, 297 - 15.15, 1e-9);

  g_assert_true (co_template_get_qr_box (card, &box, &quiet, &level));
  g_assert_cmpfloat (box.width, ==, box.height);
  g_assert_cmpuint (quiet, ==, 2);
  g_assert_cmpint (level, ==, 1);
  g_assert_true (co_template_get_photo_box (card, &box, NULL, NULL));
}

static const char *base_template =
  "[template]\n"
  "name=test\n"
  "page-width=210\npage-height=297\n"
  "label-width=100\nlabel-height=50\n"
  "columns=2\nrows=5\n"
  "margin-left=5\nmargin-top=10\n"
  "gap-x=0\n";

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = g_strconcat (base_template,
                                       "[name]\nbox=1;1;50;8\nfont-size=10\ncaption-box=1;10;20;5\ncaption-size=6\n"
                                       "[line a]\nfrom=0;0\nto=100;0\n"
                                       "[line b]\nfrom=0;50\nto=100;50\nwidth=0.5\ncolor=#ff0000\n",
                                       NULL);
  g_autoptr(CoTemplate) t = co_template_new_from_data (data, -1, "test.ini", &error);
  const CoTemplateText *name;
  const CoTemplateLine *lines;
  guint n_lines;

  g_assert_no_error (error);
  g_assert_false (co_template_get_photo_box (t, NULL, NULL, NULL));
  g_assert_false (co_template_get_qr_box (t, NULL, NULL, NULL));
  name = co_template_get_text (t, CO_STICKER_FIELD_NAME);
  g_assert_true (name->present);
  g_assert_true (name->has_caption);
  g_assert_cmpfloat (name->font_size, ==, 10);
  g_assert_cmpfloat (name->min_font_size, ==, 4);
  g_assert_false (co_template_get_text (t, CO_STICKER_FIELD_SCHOOL)->present);
  lines = co_template_get_lines (t, &n_lines);
  g_assert_cmpuint (n_lines, ==, 2);
  g_assert_cmpuint (lines[1].color, ==, 0xff0000);
  g_assert_cmpfloat (lines[0].width, ==, 0.2);
}

/* Each broken template fails with an error naming the group and the key. */
static void
test_errors (void)
{
  const struct { const char *extra; const char *replace; const char *with; const char *expected; } cases[] = {
    { "[name]\nbox=1;1;50;8\nfont-size=10\nfont-colour=#000000\n", NULL, NULL, "[name]: unknown key “font-colour”" },
    { "[name]\nbox=1;1;50;8\n", NULL, NULL, "[name]: missing key “font-size”" },
    { "[name]\nbox=1;1;50\nfont-size=10\n", NULL, NULL, "[name]: key “box”: expected 4 numbers" },
    { "[name]\nbox=1;1;50;x\nfont-size=10\n", NULL, NULL, "[name]: key “box”: “x” is not a number" },
    { "[name]\nbox=60;1;50;8\nfont-size=10\n", NULL, NULL, "[name]: key “box”: the box 60;1;50;8 does not fit" },
    { "[name]\nbox=1;1;50;8\nfont-size=10\nalign=middle\n", NULL, NULL, "[name]: key “align”" },
    { "[name]\nbox=1;1;50;8\nfont-size=10\nbold=yes\n", NULL, NULL, "[name]: key “bold”" },
    { "[name]\nbox=1;1;50;8\nfont-size=10\ncolor=red\n", NULL, NULL, "[name]: key “color”" },
    { "[name]\nbox=1;1;50;8\nfont-size=10\ncaption-size=6\n", NULL, NULL, "[name]: key “caption-size” needs a “caption-box”" },
    { "[name]\nbox=1;1;50;8\nfont-size=10\ncaption-box=1;1;5;5\n", NULL, NULL, "[name]: missing key “caption-size”" },
    { "[nickname]\nbox=1;1;50;8\nfont-size=10\n", NULL, NULL, "[nickname]: unknown group" },
    { "[qr]\nbox=1;1;20;20\nec-level=X\n", NULL, NULL, "[qr]: key “ec-level”" },
    { "[photo]\nbox=1;1;20;20\nborder=1\n", NULL, NULL, "[photo]: unknown key “border”" },
    { "[line x]\nfrom=0;0\nto=200;0\n", NULL, NULL, "[line x]: the line does not fit" },
    { "", "columns=2", "columns=3", "[template]: key “columns”: 3 labels" },
    { "", "rows=5", "rows=6", "[template]: key “rows”: 6 labels" },
    { "", "page-width=210\n", "", "[template]: missing key “page-width”" },
    { "", "label-height=50", "label-height=fifty", "[template]: key “label-height”: “fifty” is not a number" },
    { "", "columns=2", "columns=0", "[template]: key “columns”" },
    { "", "[template]", "[sheet]", "[template]: missing group" },
    { "", "name=test\n", "", "[template]: missing key “name”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) data = g_string_new (base_template);
      g_autoptr(CoTemplate) t = NULL;

      if (cases[i].replace != NULL)
        g_assert_cmpuint (g_string_replace (data, cases[i].replace, cases[i].with, 1), ==, 1);
      g_string_append (data, cases[i].extra);
      t = co_template_new_from_data (data->str, data->len, "broken.ini", &error);
      g_assert_null (t);
      g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_INVALID);
      if (strstr (error->message, cases[i].expected) == NULL || !g_str_has_prefix (error->message, "broken.ini: "))
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].expected);
    }
}

static void
test_not_found (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (co_template_new_for_name ("no-such-sheet", &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-sheet"));
  g_clear_error (&error);
  g_assert_null (co_template_new_for_name ("/nonexistent/sheet.ini", &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (co_template_new_from_data ("not a key file", -1, "x.ini", &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_TEMPLATE_INVALID);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/print/template/shipped", test_shipped);
  g_test_add_func ("/print/template/geometry", test_geometry);
  g_test_add_func ("/print/template/minimal", test_minimal);
  g_test_add_func ("/print/template/errors", test_errors);
  g_test_add_func ("/print/template/not-found", test_not_found);

  return g_test_run ();
}
