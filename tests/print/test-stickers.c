/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Sticker sheets, read back with poppler: page size, every text inside its
 * label, offsets, start-at-N, fonts, QR codes, photos passed through once,
 * and damaged photos turned into placeholders with a warning.
 */
#define G_LOG_DOMAIN "test-print"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "co-print-private.h"
#include "print-test-utils.h"

#define TOLERANCE 0.3   /* mm */

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

static CoTemplate *
load_template (const char *name)
{
  g_autoptr(GError) error = NULL;
  CoTemplate *t = co_template_new_for_name (name, &error);

  g_assert_no_error (error);
  return t;
}

static const char * const names[] = {
  "王小明", "李华", "欧阳娜娜", "阿卜杜热合曼·买买提明·艾则孜", "Alexandra Konstantinopoulou-Smith",
  "张伟", "陈静", "杨帆", "赵磊", "黄蕾", "周杰", "吴敏", "郑爽", "冯巩",
};

static const char * const schools[] = {
  "北京市海淀区中关村第一小学",
  "北京市第一百零一中学温泉校区附属实验学校（国际部）高中部初中部联合办学点",
};

static CoStickerData *
make_sticker (guint       i,
              const char *photo)
{
  CoStickerData *d = co_sticker_data_new ();

  d->edu_id = g_strdup_printf ("%08u", 11010100 + i);
  /* Unique names, so each can be found in its own label. */
  d->name = i < G_N_ELEMENTS (names) ? g_strdup (names[i]) : g_strdup_printf ("学生%u号", i);
  d->gender = g_strdup (i % 2 ? "男" : "女");
  d->school = g_strdup (schools[i % 2]);
  d->stage = g_strdup (i % 3 ? "初中" : "高中");
  d->validity = g_strdup ("2027-07-31");
  d->card_no = g_strdup_printf ("%016" G_GUINT64_FORMAT, (guint64) 1000123400000000 + i * 7919);
  d->bjt_no = g_strdup_printf ("BJT%06u", 300000 + i);
  d->photo_path = photo ? g_strdup (photo) : NULL;
  return d;
}

static GPtrArray *
make_stickers (guint n)
{
  g_autofree char *red = test_data_path ("red.jpg");
  g_autofree char *blue = test_data_path ("blue.jpg");
  GPtrArray *stickers = g_ptr_array_new_with_free_func ((GDestroyNotify) co_sticker_data_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (stickers, make_sticker (i, i % 2 ? blue : red));
  return stickers;
}

static void
render (Fixture              *f,
        CoTemplate           *t,
        GPtrArray            *stickers,
        const CoPrintOptions *options,
        CoPrintStats         *stats,
        GPtrArray           **warnings)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = co_print_stickers (t, stickers, options, &f->captions, f->out, NULL, NULL, NULL,
                          stats, warnings, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_page_size (Fixture       *f,
                gconstpointer  data)
{
  const char *template_names[] = { "a4-2x5-card", "a4-3x7" };

  for (guint k = 0; k < G_N_ELEMENTS (template_names); k++)
    {
      g_autoptr(CoTemplate) t = load_template (template_names[k]);
      g_autoptr(GPtrArray) stickers = make_stickers (co_template_get_n_cells (t) + 1);
      g_autoptr(Pdf) pdf = NULL;
      CoPrintStats stats;
      double w, h;

      render (f, t, stickers, NULL, &stats, NULL);
      pdf = pdf_open (f->out);
      g_assert_cmpint (pdf_n_pages (pdf), ==, 2);
      g_assert_cmpuint (stats.n_pages, ==, 2);
      g_assert_cmpuint (stats.n_items, ==, stickers->len);
      for (int p = 0; p < 2; p++)
        {
          pdf_page_size_mm (pdf, p, &w, &h);
          g_assert_cmpfloat_with_epsilon (w, 210.0, 0.01);
          g_assert_cmpfloat_with_epsilon (h, 297.0, 0.01);
        }
    }
}

/* Each label's texts lie inside its cell, and each value inside its box:
 * long names and school names shrink, never overflow, and are not cut. */
static void
check_texts_inside (Fixture    *f,
                    const char *template_name)
{
  g_autoptr(CoTemplate) t = load_template (template_name);
  guint n_cells = co_template_get_n_cells (t);
  g_autoptr(GPtrArray) stickers = make_stickers (n_cells);
  g_autoptr(Pdf) pdf = NULL;
  g_autoptr(GArray) chars = NULL;
  CoPrintStats stats;

  render (f, t, stickers, NULL, &stats, NULL);
  g_assert_cmpuint (stats.n_unknown_glyphs, ==, 0);
  pdf = pdf_open (f->out);
  chars = pdf_page_chars (pdf, 0);
  g_assert_cmpuint (chars->len, >, n_cells * 30);

  /* Every character on the page is inside one of the labels. */
  for (guint i = 0; i < chars->len; i++)
    {
      const PdfChar *pc = &g_array_index (chars, PdfChar, i);
      gboolean inside = FALSE;

      for (guint c = 0; c < n_cells && !inside; c++)
        {
          CoRectMm cell;

          co_template_get_cell_rect (t, c, &cell);
          inside = box_inside (&pc->box, &cell, TOLERANCE);
        }
      if (!inside)
        g_error ("U+%04X at %.2f,%.2f–%.2f,%.2f mm lies outside every label",
                 pc->c, pc->box.x1, pc->box.y1, pc->box.x2, pc->box.y2);
    }

  /* Each value, whole, inside its own label and its own box. */
  for (guint i = 0; i < n_cells; i++)
    {
      CoStickerData *d = g_ptr_array_index (stickers, i);
      const struct { CoStickerField field; const char *value; } fields[] = {
        { CO_STICKER_FIELD_NAME, d->name },
        { CO_STICKER_FIELD_EDU_ID, d->edu_id },
        { CO_STICKER_FIELD_CARD_NO, d->card_no },
        { CO_STICKER_FIELD_SCHOOL, d->school },
      };
      CoRectMm cell;

      co_template_get_cell_rect (t, i, &cell);
      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        {
          const CoTemplateText *text = co_template_get_text (t, fields[k].field);
          CoRectMm field_box = text->box;
          Box found;

          field_box.x += cell.x;
          field_box.y += cell.y;
          if (!pdf_find_text (pdf, 0, fields[k].value, &found))
            g_error ("label %u: “%s” is not on the page whole", i, fields[k].value);
          /* The school repeats on every other label: look in the right one. */
          if (fields[k].field == CO_STICKER_FIELD_SCHOOL)
            continue;
          if (!box_inside (&found, &cell, TOLERANCE))
            g_error ("label %u: “%s” at %.2f,%.2f–%.2f,%.2f is outside its label",
                     i, fields[k].value, found.x1, found.y1, found.x2, found.y2);
          if (!box_inside (&found, &field_box, TOLERANCE))
            g_error ("label %u: “%s” at %.2f,%.2f–%.2f,%.2f overflows its box %.2f,%.2f %.2f×%.2f",
                     i, fields[k].value, found.x1, found.y1, found.x2, found.y2,
                     field_box.x, field_box.y, field_box.width, field_box.height);
        }
    }
}

static void
test_texts_inside_2x5 (Fixture       *f,
                       gconstpointer  data)
{
  check_texts_inside (f, "a4-2x5-card");
}

static void
test_texts_inside_3x7 (Fixture       *f,
                       gconstpointer  data)
{
  check_texts_inside (f, "a4-3x7");
}

/* An offset moves every text and every image by exactly the offset. */
static void
test_offset (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (10);
  g_autoptr(Pdf) plain = NULL;
  g_autoptr(Pdf) moved = NULL;
  g_autoptr(GArray) a = NULL;
  g_autoptr(GArray) b = NULL;
  g_autoptr(GArray) ia = NULL;
  g_autoptr(GArray) ib = NULL;
  g_autofree char *plain_path = g_build_filename (f->dir, "plain.pdf", NULL);
  CoPrintOptions options = { .offset_x_mm = 1.7, .offset_y_mm = -2.3, .outlines = TRUE };
  CoPrintOptions none = { .outlines = TRUE };

  render (f, t, stickers, &none, NULL, NULL);
  g_assert_cmpint (g_rename (f->out, plain_path), ==, 0);
  render (f, t, stickers, &options, NULL, NULL);
  plain = pdf_open (plain_path);
  moved = pdf_open (f->out);

  a = pdf_page_chars (plain, 0);
  b = pdf_page_chars (moved, 0);
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpuint (a->len, >, 300);
  for (guint i = 0; i < a->len; i++)
    {
      const PdfChar *pa = &g_array_index (a, PdfChar, i);
      const PdfChar *pb = &g_array_index (b, PdfChar, i);

      g_assert_cmpuint (pa->c, ==, pb->c);
      g_assert_cmpfloat_with_epsilon (pb->box.x1 - pa->box.x1, 1.7, 0.01);
      g_assert_cmpfloat_with_epsilon (pb->box.y1 - pa->box.y1, -2.3, 0.01);
      g_assert_cmpfloat_with_epsilon (pb->box.x2 - pa->box.x2, 1.7, 0.01);
      g_assert_cmpfloat_with_epsilon (pb->box.y2 - pa->box.y2, -2.3, 0.01);
    }

  /* Photos and QR codes (poppler rounds image boxes to whole points). */
  ia = pdf_page_images (plain, 0);
  ib = pdf_page_images (moved, 0);
  g_assert_cmpuint (ia->len, ==, 20);
  g_assert_cmpuint (ia->len, ==, ib->len);
  for (guint i = 0; i < ia->len; i++)
    {
      const Box *pa = &g_array_index (ia, Box, i);
      const Box *pb = &g_array_index (ib, Box, i);

      g_assert_cmpfloat_with_epsilon (pb->x1 - pa->x1, 1.7, 0.36);
      g_assert_cmpfloat_with_epsilon (pb->y1 - pa->y1, -2.3, 0.36);
    }
}

static gboolean
cell_is_empty (Pdf        *pdf,
               CoTemplate *t,
               guint       cell_index)
{
  g_autoptr(GArray) chars = pdf_page_chars (pdf, 0);
  g_autoptr(GArray) images = pdf_page_images (pdf, 0);
  CoRectMm cell;

  co_template_get_cell_rect (t, cell_index, &cell);
  for (guint i = 0; i < chars->len; i++)
    if (box_inside (&g_array_index (chars, PdfChar, i).box, &cell, 0))
      return FALSE;
  for (guint i = 0; i < images->len; i++)
    if (box_inside (&g_array_index (images, Box, i), &cell, 0.5))
      return FALSE;
  return TRUE;
}

/* Start at label N: the first N-1 labels stay empty, the rest fill on. */
static void
test_start_at (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-3x7");
  g_autoptr(GPtrArray) stickers = make_stickers (21);
  g_autoptr(Pdf) pdf = NULL;
  CoPrintOptions options = { .start_at = 5 };
  CoPrintStats stats;
  Box found;

  render (f, t, stickers, &options, &stats, NULL);
  pdf = pdf_open (f->out);
  g_assert_cmpint (pdf_n_pages (pdf), ==, 2);
  for (guint c = 0; c < 4; c++)
    g_assert_true (cell_is_empty (pdf, t, c));
  for (guint c = 4; c < 21; c++)
    {
      CoStickerData *d = g_ptr_array_index (stickers, c - 4);
      CoRectMm cell;

      g_assert_false (cell_is_empty (pdf, t, c));
      co_template_get_cell_rect (t, c, &cell);
      g_assert_true (pdf_find_text (pdf, 0, d->edu_id, &found));
      g_assert_true (box_inside (&found, &cell, TOLERANCE));
    }
  /* The 18th sticker opens the second sheet at its first label. */
  {
    CoStickerData *d = g_ptr_array_index (stickers, 17);
    CoRectMm cell;

    co_template_get_cell_rect (t, 0, &cell);
    g_assert_true (pdf_find_text (pdf, 1, d->edu_id, &found));
    g_assert_true (box_inside (&found, &cell, TOLERANCE));
  }
}

static void
test_fonts (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (10);
  g_autoptr(Pdf) pdf = NULL;
  g_autofree char *text = NULL;
  CoPrintStats stats;
  guint n_fonts;

  render (f, t, stickers, NULL, &stats, NULL);
  g_assert_cmpuint (stats.n_unknown_glyphs, ==, 0);
  pdf = pdf_open (f->out);
  g_assert_true (pdf_fonts_all_embedded (pdf, &n_fonts));
  g_assert_cmpuint (n_fonts, >=, 1);

  /* The Chinese comes back as Chinese: no boxes, no missing glyphs. */
  text = pdf_page_text_compact (pdf, 0);
  g_assert_nonnull (strstr (text, "欧阳娜娜"));
  g_assert_nonnull (strstr (text, "北京市海淀区中关村第一小学"));
  g_assert_nonnull (strstr (text, "一卡通号"));
  g_assert_null (strstr (text, "\xef\xbf\xbd"));
}

/* The QR code of every sticker reads as its 一卡通号. */
static void
test_qr_decodes (Fixture       *f,
                 gconstpointer  data)
{
  const char *template_names[] = { "a4-2x5-card", "a4-3x7" };

  for (guint k = 0; k < G_N_ELEMENTS (template_names); k++)
    {
      g_autoptr(CoTemplate) t = load_template (template_names[k]);
      g_autoptr(GPtrArray) stickers = make_stickers (co_template_get_n_cells (t));
      g_autoptr(Pdf) pdf = NULL;
      g_auto(GStrv) codes = NULL;
      gboolean skipped;

      render (f, t, stickers, NULL, NULL, NULL);
      pdf = pdf_open (f->out);
      codes = decode_qr_codes (pdf, 0, &skipped);
      if (skipped)
        {
          g_test_skip ("zbarimg (zbar-tools) is not installed");
          return;
        }
      g_assert_cmpuint (g_strv_length (codes), ==, stickers->len);
      for (guint i = 0; i < stickers->len; i++)
        {
          CoStickerData *d = g_ptr_array_index (stickers, i);
          g_assert_true (g_strv_contains ((const char * const *) codes, d->card_no));
        }
    }
}

static gsize
count_occurrences (const char *path,
                   const char *needle_path)
{
  g_autofree char *hay = NULL;
  g_autofree char *needle = NULL;
  gsize hay_len, needle_len, count = 0;

  g_assert_true (g_file_get_contents (path, &hay, &hay_len, NULL));
  g_assert_true (g_file_get_contents (needle_path, &needle, &needle_len, NULL));
  g_assert_cmpuint (needle_len, >, 16);
  for (const char *p = hay; p + needle_len <= hay + hay_len; p++)
    if (memcmp (p, needle, needle_len) == 0)
      count++;
  return count;
}

/* JPEG bytes go into the PDF unchanged, and once however often used. */
static void
test_jpeg_passthrough (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (14);   /* red and blue, 7 times each, 2 pages */
  g_autofree char *red = test_data_path ("red.jpg");
  g_autofree char *blue = test_data_path ("blue.jpg");
  g_autofree char *progressive = test_data_path ("progressive.jpg");
  g_autofree char *gray = test_data_path ("gray.jpg");
  CoPrintStats stats;

  g_free (((CoStickerData *) g_ptr_array_index (stickers, 2))->photo_path);
  ((CoStickerData *) g_ptr_array_index (stickers, 2))->photo_path = g_strdup (progressive);
  g_free (((CoStickerData *) g_ptr_array_index (stickers, 3))->photo_path);
  ((CoStickerData *) g_ptr_array_index (stickers, 3))->photo_path = g_strdup (gray);

  render (f, t, stickers, NULL, &stats, NULL);
  g_assert_cmpuint (stats.n_photos, ==, 14);
  g_assert_cmpuint (count_occurrences (f->out, red), ==, 1);
  g_assert_cmpuint (count_occurrences (f->out, blue), ==, 1);
  g_assert_cmpuint (count_occurrences (f->out, progressive), ==, 1);
  g_assert_cmpuint (count_occurrences (f->out, gray), ==, 1);
}

/* Poppler draws the photos where they belong, the right way up. */
static void
test_photo_rendered (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (3);
  g_autoptr(Pdf) pdf = NULL;
  g_autofree char *src = test_data_path ("red-left-blue-right.jpg");
  g_autofree char *rotated = g_build_filename (f->dir, "rotated.jpg", NULL);
  g_autofree char *bytes = NULL;
  cairo_surface_t *image;
  CoRectMm cell, box;
  guint8 r, g, b;
  gsize len;
  /* APP1 Exif, big-endian TIFF, one IFD entry: Orientation = 6 (rotate 90° clockwise). */
  static const guint8 app1[] = {
    0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
    'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  };
  GString *jpeg;

  g_assert_true (g_file_get_contents (src, &bytes, &len, NULL));
  jpeg = g_string_new_len (bytes, 2);
  g_string_append_len (jpeg, (const char *) app1, sizeof app1);
  g_string_append_len (jpeg, bytes + 2, len - 2);
  g_assert_true (g_file_set_contents (rotated, jpeg->str, jpeg->len, NULL));
  g_string_free (jpeg, TRUE);

  g_free (((CoStickerData *) g_ptr_array_index (stickers, 2))->photo_path);
  ((CoStickerData *) g_ptr_array_index (stickers, 2))->photo_path = g_strdup (rotated);
  render (f, t, stickers, NULL, NULL, NULL);
  pdf = pdf_open (f->out);
  image = pdf_render (pdf, 0, 100);
  g_assert_true (co_template_get_photo_box (t, &box, NULL, NULL));

  /* Label 1: red; label 2: blue. */
  co_template_get_cell_rect (t, 0, &cell);
  pixel_at_mm (image, 100, cell.x + box.x + box.width / 2, cell.y + box.y + box.height / 2, &r, &g, &b);
  g_assert_cmpint (r, >, 150);
  g_assert_cmpint (b, <, 90);
  co_template_get_cell_rect (t, 1, &cell);
  pixel_at_mm (image, 100, cell.x + box.x + box.width / 2, cell.y + box.y + box.height / 2, &r, &g, &b);
  g_assert_cmpint (b, >, 150);
  g_assert_cmpint (r, <, 90);

  /* Label 3: stored on its side, shown upright: red on top, blue below. */
  co_template_get_cell_rect (t, 2, &cell);
  pixel_at_mm (image, 100, cell.x + box.x + box.width / 2, cell.y + box.y + box.height * 0.2, &r, &g, &b);
  g_assert_cmpint (r, >, 150);
  g_assert_cmpint (b, <, 90);
  pixel_at_mm (image, 100, cell.x + box.x + box.width / 2, cell.y + box.y + box.height * 0.8, &r, &g, &b);
  g_assert_cmpint (b, >, 150);
  g_assert_cmpint (r, <, 90);
  cairo_surface_destroy (image);
}

/* Photos from the store (bytes) and PNG files work too. */
static void
test_photo_bytes_and_png (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-3x7");
  g_autoptr(GPtrArray) stickers = make_stickers (4);
  g_autofree char *png = g_build_filename (f->dir, "green.png", NULL);
  g_autofree char *red = test_data_path ("red.jpg");
  g_autofree char *red_bytes = NULL;
  g_autoptr(Pdf) pdf = NULL;
  cairo_surface_t *surface, *image;
  cairo_t *cr;
  gsize len;
  CoStickerData *d;
  CoRectMm cell, box;
  CoPrintStats stats;
  guint8 r, g, b;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 30, 40);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.1, 0.7, 0.2);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  g_assert_true (g_file_get_contents (red, &red_bytes, &len, NULL));
  d = g_ptr_array_index (stickers, 0);
  g_clear_pointer (&d->photo_path, g_free);
  d->photo = g_bytes_new (red_bytes, len);
  d = g_ptr_array_index (stickers, 2);
  g_clear_pointer (&d->photo_path, g_free);
  d->photo = g_bytes_new (red_bytes, len);
  d = g_ptr_array_index (stickers, 1);
  g_free (d->photo_path);
  d->photo_path = g_strdup (png);

  render (f, t, stickers, NULL, &stats, NULL);
  g_assert_cmpuint (stats.n_photos, ==, 4);
  /* The same bytes twice, and the same file (red.jpg is not used): stored once. */
  g_assert_cmpuint (count_occurrences (f->out, red), ==, 1);

  pdf = pdf_open (f->out);
  image = pdf_render (pdf, 0, 100);
  g_assert_true (co_template_get_photo_box (t, &box, NULL, NULL));
  co_template_get_cell_rect (t, 1, &cell);
  pixel_at_mm (image, 100, cell.x + box.x + box.width / 2, cell.y + box.y + box.height / 2, &r, &g, &b);
  g_assert_cmpint (g, >, 140);
  g_assert_cmpint (r, <, 80);
  cairo_surface_destroy (image);
}

/* A damaged or missing photo prints a placeholder; the batch goes on and
 * the student is named in the warnings, in order. */
static void
test_bad_photos (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (8);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(Pdf) pdf = NULL;
  g_autofree char *red = test_data_path ("red.jpg");
  g_autofree char *progressive = test_data_path ("progressive.jpg");
  g_autofree char *contents = NULL;
  g_autofree char *truncated = g_build_filename (f->dir, "truncated.jpg", NULL);
  g_autofree char *garbage = g_build_filename (f->dir, "garbage.jpg", NULL);
  g_autofree char *broken_png = g_build_filename (f->dir, "broken.png", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "missing.jpg", NULL);
  struct { guint index; const char *path; CoPrintError code; } bad[] = {
    { 1, truncated, CO_PRINT_ERROR_PHOTO_CORRUPT },
    { 2, garbage, CO_PRINT_ERROR_PHOTO_UNSUPPORTED },
    { 4, missing, CO_PRINT_ERROR_PHOTO_MISSING },
    { 5, broken_png, CO_PRINT_ERROR_PHOTO_CORRUPT },
    { 7, NULL, CO_PRINT_ERROR_PHOTO_MISSING },
  };
  CoPrintStats stats;
  gsize len;

  /* A download cut short: the first 60 % of a real JPEG. */
  g_assert_true (g_file_get_contents (progressive, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, len * 6 / 10, NULL));
  g_assert_true (g_file_set_contents (garbage, "this is not a photo\n", -1, NULL));
  g_assert_true (g_file_set_contents (broken_png, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CoStickerData *d = g_ptr_array_index (stickers, bad[i].index);

      g_free (d->photo_path);
      d->photo_path = g_strdup (bad[i].path);
    }

  render (f, t, stickers, NULL, &stats, &warnings);
  g_assert_cmpuint (stats.n_items, ==, 8);
  g_assert_cmpuint (stats.n_photos, ==, 3);
  g_assert_nonnull (warnings);
  g_assert_cmpuint (warnings->len, ==, G_N_ELEMENTS (bad));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      CoPrintWarning *w = g_ptr_array_index (warnings, i);
      CoStickerData *d = g_ptr_array_index (stickers, bad[i].index);

      g_assert_cmpuint (w->index, ==, bad[i].index);
      g_assert_cmpstr (w->name, ==, d->name);
      g_assert_cmpstr (w->edu_id, ==, d->edu_id);
      g_assert_cmpstr (w->photo_path, ==, bad[i].path);
      g_assert_cmpint (w->code, ==, bad[i].code);
      g_assert_nonnull (w->message);
    }

  /* The placeholder's caption sits in the photo box of those labels. */
  pdf = pdf_open (f->out);
  {
    g_autoptr(GArray) chars = pdf_page_chars (pdf, 0);
    guint found = 0;
    CoRectMm box;

    g_assert_true (co_template_get_photo_box (t, &box, NULL, NULL));
    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        CoRectMm cell, photo;

        co_template_get_cell_rect (t, bad[i].index, &cell);
        photo = box;
        photo.x += cell.x;
        photo.y += cell.y;
        for (guint k = 0; k < chars->len; k++)
          {
            const PdfChar *pc = &g_array_index (chars, PdfChar, k);

            if (pc->c == g_utf8_get_char ("无") && box_inside (&pc->box, &photo, TOLERANCE))
              found++;
          }
      }
    g_assert_cmpuint (found, ==, G_N_ELEMENTS (bad));
    /* Only the good photos are images, besides the 8 QR codes. */
    {
      g_autoptr(GArray) images = pdf_page_images (pdf, 0);
      g_assert_cmpuint (images->len, ==, 8 + 3);
    }
  }
  g_assert_cmpuint (count_occurrences (f->out, red), ==, 1);
}

static void
test_outlines (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (2);
  CoPrintOptions options = { .outlines = TRUE };
  CoRectMm cell;
  guint8 r, g, b;

  co_template_get_cell_rect (t, 0, &cell);
  for (int k = 0; k < 2; k++)
    {
      g_autoptr(Pdf) pdf = NULL;
      cairo_surface_t *image;

      options.outlines = k == 1;
      render (f, t, stickers, &options, NULL, NULL);
      pdf = pdf_open (f->out);
      image = pdf_render (pdf, 0, 300);
      /* The middle of the label's left edge. */
      pixel_at_mm (image, 300, cell.x, cell.y + cell.height / 2, &r, &g, &b);
      if (k == 0)
        g_assert_cmpint (r, ==, 255);
      else
        g_assert_cmpint (r, <, 230);
      cairo_surface_destroy (image);
    }
}

static void
cancel_on_first_page_cb (guint    done,
                         guint    total,
                         gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (35);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;

  g_assert_false (co_print_stickers (t, stickers, NULL, &f->captions, f->out,
                                     cancel_on_first_page_cb, cancellable, cancellable,
                                     NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Nothing left behind: no PDF, no temporary file. */
  dir = g_dir_open (f->dir, 0, NULL);
  g_assert_null (g_dir_read_name (dir));
}

typedef struct
{
  guint calls;
  guint last;
} Progress;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, >, p->last);
  g_assert_cmpuint (total, ==, 25);
  p->calls++;
  p->last = done;
}

static void
test_progress_and_errors (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CoTemplate) t = load_template ("a4-2x5-card");
  g_autoptr(GPtrArray) stickers = make_stickers (25);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *nowhere = g_build_filename (f->dir, "no", "such", "dir.pdf", NULL);
  Progress progress = { 0 };
  CoPrintOptions options = { .start_at = 11 };

  g_assert_true (co_print_stickers (t, stickers, NULL, &f->captions, f->out, progress_cb, &progress,
                                    NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, ==, 3);
  g_assert_cmpuint (progress.last, ==, 25);

  g_assert_false (co_print_stickers (t, stickers, &options, NULL, f->out, NULL, NULL, NULL,
                                     NULL, NULL, &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION);
  g_clear_error (&error);
  g_assert_false (co_print_stickers (t, none, NULL, NULL, f->out, NULL, NULL, NULL,
                                     NULL, NULL, &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION);
  g_clear_error (&error);
  g_assert_false (co_print_stickers (t, stickers, NULL, NULL, nowhere, NULL, NULL, NULL,
                                     NULL, NULL, &error));
  g_assert_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_OUTPUT);
}

static void
test_jpeg_header (void)
{
  g_autofree char *path = test_data_path ("progressive.jpg");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  int w, h, nc, orientation;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  g_assert_true (_co_jpeg_parse_header ((const guint8 *) data, len, &w, &h, &nc, &orientation, &error));
  g_assert_no_error (error);
  g_assert_cmpint (w, ==, 90);
  g_assert_cmpint (h, ==, 120);
  g_assert_cmpint (nc, ==, 3);
  g_assert_cmpint (orientation, ==, 1);

  /* Every truncation is caught: none has an end after its scan. */
  for (gsize cut = 0; cut < len - 1; cut += 7)
    {
      g_assert_false (_co_jpeg_parse_header ((const guint8 *) data, cut, &w, &h, &nc, &orientation, &error));
      g_assert_true (g_error_matches (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_CORRUPT) ||
                     g_error_matches (error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_UNSUPPORTED));
      g_clear_error (&error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/print/stickers/page-size", test_page_size);
  ADD ("/print/stickers/texts-inside/a4-2x5-card", test_texts_inside_2x5);
  ADD ("/print/stickers/texts-inside/a4-3x7", test_texts_inside_3x7);
  ADD ("/print/stickers/offset", test_offset);
  ADD ("/print/stickers/start-at", test_start_at);
  ADD ("/print/stickers/fonts", test_fonts);
  ADD ("/print/stickers/qr-decodes", test_qr_decodes);
  ADD ("/print/stickers/photo/jpeg-passthrough", test_jpeg_passthrough);
  ADD ("/print/stickers/photo/rendered", test_photo_rendered);
  ADD ("/print/stickers/photo/bytes-and-png", test_photo_bytes_and_png);
  ADD ("/print/stickers/photo/damaged", test_bad_photos);
  ADD ("/print/stickers/outlines", test_outlines);
  ADD ("/print/stickers/cancel", test_cancel);
  ADD ("/print/stickers/progress-and-errors", test_progress_and_errors);
#undef ADD
  g_test_add_func ("/print/jpeg/header", test_jpeg_header);

  return g_test_run ();
}
