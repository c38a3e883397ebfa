/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The handout list: one table per class (班级), in the order the classes
 * first appear, each starting on a new page: number, name, education ID,
 * card number and a column where the student signs on receipt.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <string.h>

#include "co-print.h"
#include "co-print-private.h"

#define PAGE_W 210.0
#define PAGE_H 297.0
#define LEFT   20.0
#define TOP    40.0
#define ROW_H  9.0
#define ROWS_PER_PAGE 25

#define RULE   0x404040
#define HEAD   0xe8edf3
#define ACCENT 0x17467f
#define MUTED  0x555555

static const double column_w[] = { 12, 34, 30, 46, 48 };

static void
draw_text (CoTextRenderer  *text,
           cairo_t         *cr,
           const char      *value,
           double           size,
           gboolean         bold,
           gboolean         mono,
           CoTemplateAlign  align,
           guint32          color,
           double           x,
           double           y,
           double           w,
           double           h)
{
  CoTextStyle style = {
    .size = size, .min_size = MIN (5, size), .bold = bold, .monospace = mono,
    .align = align, .color = color
  };
  CoRectMm box = { x, y, w, h };

  _co_text_renderer_draw (text, cr, value, &style, &box);
}

static void
draw_row (CoTextRenderer     *text,
          cairo_t            *cr,
          double              y,
          const char * const *cells,
          gboolean            header)
{
  double x = LEFT;

  for (guint c = 0; c < G_N_ELEMENTS (column_w); c++)
    {
      cairo_rectangle (cr, x, y, column_w[c], ROW_H);
      if (header)
        {
          _co_set_source_rgb_hex (cr, HEAD);
          cairo_fill_preserve (cr);
        }
      cairo_set_line_width (cr, 0.25);
      _co_set_source_rgb_hex (cr, RULE);
      cairo_stroke (cr);
      draw_text (text, cr, cells[c], header ? 9.5 : 10.5, header, !header && (c == 2 || c == 3),
                 c == 0 || header ? CO_TEMPLATE_ALIGN_CENTER : CO_TEMPLATE_ALIGN_LEFT, 0x000000,
                 x + 1.5, y + 0.8, column_w[c] - 3, ROW_H - 1.6);
      x += column_w[c];
    }
}

static int
find_class (GPtrArray  *classes,
            const char *name)
{
  for (guint i = 0; i < classes->len; i++)
    if (g_strcmp0 (g_ptr_array_index (classes, i), name) == 0)
      return (int) i;
  return -1;
}

/**
 * co_print_handout_list:
 * @students: (element-type CoStickerData): the students; class_name groups
 *   them, name, edu_id and card_no fill the rows, school heads the page
 * @options: (nullable): offsets
 * @captions: the translated captions (handout_*, name, edu_id, card_no,
 *   class_name, page_number)
 * @output_path: the PDF to write; replaced only when complete
 * @progress: (nullable) (scope call): called after each page
 * @progress_data: its data
 * @cancellable: (nullable): a #GCancellable
 * @stats: (out caller-allocates) (optional): figures of the job
 * @error: a %CO_PRINT_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE when @output_path was written
 */
gboolean
co_print_handout_list (GPtrArray              *students,
                       const CoPrintOptions   *options,
                       const CoPrintCaptions  *captions,
                       const char             *output_path,
                       CoPrintProgressFunc     progress,
                       gpointer                progress_data,
                       GCancellable           *cancellable,
                       CoPrintStats           *stats,
                       GError                **error)
{
  g_autoptr(CoPdfOutput) out = NULL;
  g_autoptr(CoTextRenderer) text = NULL;
  g_autoptr(GPtrArray) classes = g_ptr_array_new ();           /* borrowed names */
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  CoPrintCaptions no_captions = { 0 };
  CoPrintStats local_stats = { 0 };
  const CoPrintCaptions *c = captions ? captions : &no_captions;

  g_return_val_if_fail (students != NULL, FALSE);
  g_return_val_if_fail (output_path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  if (students->len == 0)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION, "Nothing to print");
      return FALSE;
    }

  for (guint i = 0; i < students->len; i++)
    {
      CoStickerData *s = g_ptr_array_index (students, i);
      int k = find_class (classes, s->class_name);

      if (k < 0)
        {
          g_ptr_array_add (classes, s->class_name);
          g_ptr_array_add (members, g_ptr_array_new ());
          k = (int) classes->len - 1;
        }
      g_ptr_array_add (g_ptr_array_index (members, k), s);
    }

  if (!(out = _co_pdf_output_new (output_path, PAGE_W, PAGE_H, error)))
    return FALSE;
  text = _co_text_renderer_new ();

  for (guint k = 0; k < classes->len; k++)
    {
      GPtrArray *list = g_ptr_array_index (members, k);
      const char *class_name = g_ptr_array_index (classes, k);
      const CoStickerData *first = g_ptr_array_index (list, 0);
      guint n_pages = (list->len + ROWS_PER_PAGE - 1) / ROWS_PER_PAGE;

      for (guint page = 0; page < n_pages; page++)
        {
          g_autofree char *title = NULL;
          g_autofree char *footer = NULL;
          const char *head[] = { c->handout_number, c->name, c->edu_id, c->card_no, c->handout_signature };
          cairo_t *cr;
          guint end = MIN (list->len, (page + 1) * ROWS_PER_PAGE);
          double y = TOP;

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          cr = _co_pdf_output_begin_page (out, options);

          draw_text (text, cr, first->school, 11, FALSE, FALSE, CO_TEMPLATE_ALIGN_LEFT, MUTED,
                     LEFT, 14, 170, 7);
          title = g_strjoin ("  ", c->handout_title ? c->handout_title : "",
                             class_name ? class_name : "", NULL);
          draw_text (text, cr, g_strstrip (title), 17, TRUE, FALSE, CO_TEMPLATE_ALIGN_LEFT, 0x000000,
                     LEFT, 21, 170, 11);
          cairo_move_to (cr, LEFT, 35);
          cairo_line_to (cr, PAGE_W - LEFT, 35);
          cairo_set_line_width (cr, 0.5);
          _co_set_source_rgb_hex (cr, ACCENT);
          cairo_stroke (cr);

          draw_row (text, cr, y, head, TRUE);
          y += ROW_H;
          for (guint i = page * ROWS_PER_PAGE; i < end; i++)
            {
              const CoStickerData *s = g_ptr_array_index (list, i);
              g_autofree char *number = g_strdup_printf ("%u", i + 1);
              const char *cells[] = { number, s->name, s->edu_id, s->card_no, NULL };

              draw_row (text, cr, y, cells, FALSE);
              y += ROW_H;
              stats->n_items++;
            }

          if (page + 1 == n_pages && c->handout_total != NULL)
            {
              g_autofree char *total = _co_format_caption (c->handout_total, list->len, 0);
              draw_text (text, cr, total, 10, FALSE, FALSE, CO_TEMPLATE_ALIGN_RIGHT, 0x000000,
                         LEFT, y + 2, 170, 6);
            }
          if (c->page_number != NULL)
            {
              footer = _co_format_caption (c->page_number, page + 1, n_pages);
              draw_text (text, cr, footer, 8.5, FALSE, FALSE, CO_TEMPLATE_ALIGN_CENTER, MUTED,
                         LEFT, 282, 170, 5);
            }

          if (!_co_pdf_output_end_page (out, error))
            return FALSE;
          if (progress != NULL)
            progress (stats->n_items, students->len, progress_data);
        }
    }

  if (!_co_pdf_output_finish (out, error))
    return FALSE;
  stats->n_pages = _co_pdf_output_get_n_pages (out);
  stats->n_unknown_glyphs = _co_text_renderer_get_unknown_glyphs (text);
  return TRUE;
}
