/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "test-print"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "print-test-utils.h"

Pdf *
pdf_open (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  Pdf *pdf = g_new0 (Pdf, 1);

  pdf->path = g_strdup (path);
  pdf->doc = poppler_document_new_from_gfile (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pdf->doc);
  return pdf;
}

void
pdf_free (Pdf *pdf)
{
  if (pdf == NULL)
    return;
  g_clear_object (&pdf->doc);
  g_free (pdf->path);
  g_free (pdf);
}

int
pdf_n_pages (Pdf *pdf)
{
  return poppler_document_get_n_pages (pdf->doc);
}

void
pdf_page_size_mm (Pdf    *pdf,
                  int     page,
                  double *width,
                  double *height)
{
  PopplerPage *p = poppler_document_get_page (pdf->doc, page);

  poppler_page_get_size (p, width, height);
  *width *= MM_PER_PT;
  *height *= MM_PER_PT;
  g_object_unref (p);
}

static void
page_layout (Pdf               *pdf,
             int                page,
             char             **text,
             PopplerRectangle **rects,
             guint             *n_rects)
{
  PopplerPage *p = poppler_document_get_page (pdf->doc, page);

  g_assert_nonnull (p);
  *text = poppler_page_get_text (p);
  g_assert_true (poppler_page_get_text_layout (p, rects, n_rects) || *n_rects == 0);
  g_assert_cmpuint (*n_rects, ==, g_utf8_strlen (*text, -1));
  g_object_unref (p);
}

GArray *
pdf_page_chars (Pdf *pdf,
                int  page)
{
  g_autofree char *text = NULL;
  g_autofree PopplerRectangle *rects = NULL;
  GArray *chars = g_array_new (FALSE, FALSE, sizeof (PdfChar));
  const char *s;
  guint n = 0;

  page_layout (pdf, page, &text, &rects, &n);
  s = text;
  for (guint i = 0; i < n; i++, s = g_utf8_next_char (s))
    {
      PdfChar pc;

      pc.c = g_utf8_get_char (s);
      if (g_unichar_isspace (pc.c))
        continue;
      pc.box.x1 = rects[i].x1 * MM_PER_PT;
      pc.box.y1 = rects[i].y1 * MM_PER_PT;
      pc.box.x2 = rects[i].x2 * MM_PER_PT;
      pc.box.y2 = rects[i].y2 * MM_PER_PT;
      g_array_append_val (chars, pc);
    }
  return chars;
}

/* Without whitespace: poppler puts spaces where CJK meets digits. */
char *
compact (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *s = text; s && *s; s = g_utf8_next_char (s))
    {
      gunichar c = g_utf8_get_char (s);

      if (!g_unichar_isspace (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
pdf_page_text_compact (Pdf *pdf,
                       int  page)
{
  g_autoptr(GArray) chars = pdf_page_chars (pdf, page);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < chars->len; i++)
    g_string_append_unichar (out, g_array_index (chars, PdfChar, i).c);
  return g_string_free (out, FALSE);
}

/* The box around the first occurrence of @needle (whitespace ignored). */
gboolean
pdf_find_text (Pdf        *pdf,
               int         page,
               const char *needle,
               Box        *box)
{
  g_autoptr(GArray) chars = pdf_page_chars (pdf, page);
  g_autofree char *want = compact (needle);
  g_autofree gunichar *w = g_utf8_to_ucs4_fast (want, -1, NULL);
  glong n = g_utf8_strlen (want, -1);

  for (guint i = 0; n > 0 && i + n <= chars->len; i++)
    {
      glong k;

      for (k = 0; k < n && g_array_index (chars, PdfChar, i + k).c == w[k]; k++)
        ;
      if (k < n)
        continue;
      *box = g_array_index (chars, PdfChar, i).box;
      for (k = 1; k < n; k++)
        {
          const Box *b = &g_array_index (chars, PdfChar, i + k).box;

          box->x1 = MIN (box->x1, b->x1);
          box->y1 = MIN (box->y1, b->y1);
          box->x2 = MAX (box->x2, b->x2);
          box->y2 = MAX (box->y2, b->y2);
        }
      return TRUE;
    }
  return FALSE;
}

/* Each image's box in mm (Box elements). */
GArray *
pdf_page_images (Pdf *pdf,
                 int  page)
{
  PopplerPage *p = poppler_document_get_page (pdf->doc, page);
  GList *mapping = poppler_page_get_image_mapping (p);
  GArray *boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  for (GList *l = mapping; l; l = l->next)
    {
      PopplerImageMapping *m = l->data;
      /* Like the text layout, y runs down from the top. */
      Box b = {
        m->area.x1 * MM_PER_PT, m->area.y1 * MM_PER_PT,
        m->area.x2 * MM_PER_PT, m->area.y2 * MM_PER_PT,
      };
      g_array_append_val (boxes, b);
    }
  poppler_page_free_image_mapping (mapping);
  g_object_unref (p);
  return boxes;
}

gboolean
pdf_fonts_all_embedded (Pdf   *pdf,
                        guint *n_fonts)
{
  PopplerFontInfo *info = poppler_font_info_new (pdf->doc);
  PopplerFontsIter *iter = NULL;
  gboolean all = TRUE;

  *n_fonts = 0;
  while (poppler_font_info_scan (info, 20, &iter))
    {
      if (iter == NULL)
        continue;
      do
        {
          (*n_fonts)++;
          if (!poppler_fonts_iter_is_embedded (iter))
            {
              g_test_message ("font not embedded: %s", poppler_fonts_iter_get_name (iter));
              all = FALSE;
            }
        }
      while (poppler_fonts_iter_next (iter));
      poppler_fonts_iter_free (iter);
      iter = NULL;
    }
  poppler_font_info_free (info);
  return all;
}

cairo_surface_t *
pdf_render (Pdf    *pdf,
            int     page,
            double  dpi)
{
  PopplerPage *p = poppler_document_get_page (pdf->doc, page);
  double w, h, scale = dpi / 72.0;
  cairo_surface_t *image;
  cairo_t *cr;

  poppler_page_get_size (p, &w, &h);
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) (w * scale + 0.5), (int) (h * scale + 0.5));
  cr = cairo_create (image);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (p, cr);
  cairo_destroy (cr);
  g_object_unref (p);
  cairo_surface_flush (image);
  return image;
}

void
pixel_at_mm (cairo_surface_t *image,
             double           dpi,
             double           x_mm,
             double           y_mm,
             guint8          *r,
             guint8          *g,
             guint8          *b)
{
  int x = (int) (x_mm / 25.4 * dpi);
  int y = (int) (y_mm / 25.4 * dpi);
  const guint8 *data = cairo_image_surface_get_data (image);
  guint32 px;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (image));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (image));
  px = *(const guint32 *) (gconstpointer) (data + y * cairo_image_surface_get_stride (image) + x * 4);
  *r = (px >> 16) & 0xff;
  *g = (px >> 8) & 0xff;
  *b = px & 0xff;
}

/* The codes zbarimg reads on the page rendered at 300 dpi, or NULL with
 * @skipped set when zbarimg is not installed. */
char **
decode_qr_codes (Pdf      *pdf,
                 int       page,
                 gboolean *skipped)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *dir = NULL;
  g_autofree char *png = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *image;
  int status = 0;
  const char *argv[] = { NULL, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", NULL, NULL };
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_auto(GStrv) lines = NULL;

  *skipped = zbarimg == NULL;
  if (zbarimg == NULL)
    return NULL;

  dir = test_tmp_dir ();
  png = g_build_filename (dir, "page.png", NULL);
  image = pdf_render (pdf, page, 300);
  g_assert_cmpint (cairo_surface_write_to_png (image, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (image);

  argv[0] = zbarimg;
  argv[5] = png;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  test_rm_rf (dir);

  lines = g_strsplit (out ? out : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (codes, g_strdup (lines[i]));
  g_ptr_array_add (codes, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&codes), FALSE);
}

gboolean
box_inside (const Box      *inner,
            const CoRectMm *outer,
            double          tolerance)
{
  return inner->x1 >= outer->x - tolerance &&
         inner->y1 >= outer->y - tolerance &&
         inner->x2 <= outer->x + outer->width + tolerance &&
         inner->y2 <= outer->y + outer->height + tolerance;
}

char *
test_data_path (const char *name)
{
  /* G_TEST_SRCDIR is tests/ (tests/meson.build sets it for every suite). */
  return g_test_build_filename (G_TEST_DIST, "print", "data", name, NULL);
}

char *
test_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("co-print-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
test_rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      test_rm_rf (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

/* Distinct ASCII captions, so a test can find each one. */
void
fill_captions (CoPrintCaptions *c)
{
  memset (c, 0, sizeof *c);
  c->name = "姓名";
  c->gender = "性别";
  c->school = "学校";
  c->stage = "学段";
  c->validity = "有效期";
  c->edu_id = "教育ID";
  c->card_no = "一卡通号";
  c->bjt_no = "北京通号";
  c->no_photo = "无照片";
  c->class_name = "班级";
  c->form_title = "学生卡补卡申请表";
  c->form_student_section = "学生信息";
  c->form_reissue_section = "补卡信息";
  c->form_signature_section = "签字确认";
  c->reason = "补卡原因";
  c->delivery = "配送方式";
  c->address = "收件地址";
  c->recipient = "收件人";
  c->phone = "联系电话";
  c->fee = "补卡工本费";
  c->application_no = "申请编号";
  c->date = "日期";
  c->parent_signature = "家长签字";
  c->office_signature = "卡管老师签字";
  c->office_stamp = "学校盖章";
  c->form_note = "本表存入学生纸质档案。";
  c->handout_title = "学生卡领取名单";
  c->handout_number = "序号";
  c->handout_signature = "领取人签字";
  c->handout_total = "共 %u 人";
  c->page_number = "第 %u 页，共 %u 页";
  c->calibration_title = "打印机校准页";
  c->calibration_help = "沿中线对折，读出刻度。";
  c->calibration_offset = "当前偏移：水平 %s 毫米，垂直 %s 毫米";
}

/* For ASAN_OPTIONS=detect_leaks=1 runs: what the libraries below the core
 * keep for the process's life. Fontconfig stores its pattern pointers
 * encoded, so LeakSanitizer cannot see that pango's font caches hold them;
 * cairo 1.16 keeps its font subsetting arrays (allocated when a PDF is
 * finished) in its global font caches. Nothing of the core's own. */
const char *__lsan_default_suppressions (void);
const char *__asan_default_options (void);

/* Slow but complete unwinding, which the suppressions need: the libraries
 * have no frame pointers, so the fast unwinder stops in them. A few frames
 * are enough to name the allocating function. */
const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=14";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:FcDefaultSubstitute\n"
         "leak:FcFontRenderPrepare\n"
         "leak:FcInitLoadConfigAndFonts\n"
         "leak:XML_ParseBuffer\n"
         "leak:cairo_surface_finish\n";
}
