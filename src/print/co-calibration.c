/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The calibration page: what a printer does to positions, measured with a
 * fold and the eye. Two centre scales cross the page's folding lines: fold
 * the sheet in half each way, and where a fold crosses its scale is the
 * offset to enter (the printer's shift with the opposite sign, which is
 * what the scale reads at the true centre). Rulers along the top and left
 * edges read from the paper's edge; a cross marks the centre of every label
 * of the template, with the labels' outlines, to check against a label sheet
 * held behind the page. Everything moves with the offset, so a page printed
 * with the right offset reads 0 on both folds.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <math.h>
#include <string.h>

#include "co-print.h"
#include "co-print-private.h"

#define SCALE_HALF 15      /* mm each side of the centre */
#define GRID_COLOR  0xbdbdbd
#define CROSS_COLOR 0x7a7a7a
#define INK         0x000000
#define ACCENT      0x17467f

static void
label_text (CoTextRenderer  *text,
            cairo_t         *cr,
            const char      *value,
            double           size,
            CoTemplateAlign  align,
            double           x,
            double           y,
            double           w,
            double           h)
{
  CoTextStyle style = { .size = size, .min_size = 3, .align = align, .color = INK };
  CoRectMm box = { x, y, w, h };

  _co_text_renderer_draw (text, cr, value, &style, &box);
}

/* Ticks every mm along one axis, from @from to @to (mm on the page), the
 * ticks rising from @base towards @dir; numbers every 10 mm (or every 5 when
 * @centre, counted from it with a sign). */
static void
scale (CoTextRenderer *text,
       cairo_t        *cr,
       gboolean        horizontal,
       double          base,
       double          dir,
       double          from,
       double          to,
       double          centre,
       gboolean        relative)
{
  cairo_set_line_width (cr, 0.12);
  _co_set_source_rgb_hex (cr, INK);
  for (int mm = (int) ceil (from); mm <= (int) floor (to); mm++)
    {
      int value = relative ? mm - (int) lround (centre) : mm;
      double len = value % 10 == 0 ? 6 : value % 5 == 0 ? 4 : 2.2;

      if (relative && value == 0)
        len = 8;
      if (horizontal)
        {
          cairo_move_to (cr, mm, base);
          cairo_line_to (cr, mm, base + dir * len);
        }
      else
        {
          cairo_move_to (cr, base, mm);
          cairo_line_to (cr, base + dir * len, mm);
        }
    }
  cairo_stroke (cr);

  for (int mm = (int) ceil (from); mm <= (int) floor (to); mm++)
    {
      int value = relative ? mm - (int) lround (centre) : mm;
      g_autofree char *number = NULL;

      /* No number half off the paper: none at 0, none near the far edge. */
      if (value % (relative ? 5 : 10) != 0 || (!relative && (value == 0 || mm > to - 6)))
        continue;
      number = relative && value > 0 ? g_strdup_printf ("+%d", value) : g_strdup_printf ("%d", value);
      if (horizontal)
        label_text (text, cr, number, 6, CO_TEMPLATE_ALIGN_CENTER,
                    mm - 4, dir > 0 ? base + 6.3 : base - 9.3, 8, 3);
      else
        label_text (text, cr, number, 6, dir > 0 ? CO_TEMPLATE_ALIGN_LEFT : CO_TEMPLATE_ALIGN_RIGHT,
                    dir > 0 ? base + 6.5 : base - 14.5, mm - 1.5, 8, 3);
    }
}

static void
cross (cairo_t *cr,
       double   x,
       double   y,
       double   arm)
{
  cairo_move_to (cr, x - arm, y);
  cairo_line_to (cr, x + arm, y);
  cairo_move_to (cr, x, y - arm);
  cairo_line_to (cr, x, y + arm);
  cairo_stroke (cr);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, arm * 0.45, 0, 2 * G_PI);
  cairo_stroke (cr);
}

static char *
format_offsets (const char *format,
                double      x,
                double      y)
{
  char bx[32], by[32];

  g_ascii_formatd (bx, sizeof bx, "%+.1f", x);
  g_ascii_formatd (by, sizeof by, "%+.1f", y);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  return g_strdup_printf (format, bx, by);
#pragma GCC diagnostic pop
}

/**
 * co_print_calibration_page:
 * @template_: the sheet whose labels to mark
 * @options: (nullable): the printer offset to apply (to check it)
 * @captions: the translated calibration_title, calibration_help and
 *   calibration_offset
 * @output_path: the PDF to write
 * @error: a %CO_PRINT_ERROR
 *
 * Returns: %TRUE when @output_path was written
 */
gboolean
co_print_calibration_page (CoTemplate            *template_,
                           const CoPrintOptions  *options,
                           const CoPrintCaptions *captions,
                           const char            *output_path,
                           GError               **error)
{
  g_autoptr(CoPdfOutput) out = NULL;
  g_autoptr(CoTextRenderer) text = NULL;
  CoPrintCaptions no_captions = { 0 };
  CoPrintOptions defaults = { 0 };
  const CoPrintCaptions *c = captions ? captions : &no_captions;
  double w, h, cx, cy, sy, sx;
  cairo_t *cr;

  g_return_val_if_fail (CO_IS_TEMPLATE (template_), FALSE);
  g_return_val_if_fail (output_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  co_template_get_page_size (template_, &w, &h);
  if (!(out = _co_pdf_output_new (output_path, w, h, error)))
    return FALSE;
  text = _co_text_renderer_new ();
  cr = _co_pdf_output_begin_page (out, options);
  cx = w / 2;
  cy = h / 2;

  /* The labels, faint, with a cross at each centre. */
  for (guint i = 0; i < co_template_get_n_cells (template_); i++)
    {
      CoRectMm cell;
      double dashes[] = { 1.2, 0.8 };

      co_template_get_cell_rect (template_, i, &cell);
      _co_rounded_rectangle (cr, &cell, co_template_get_corner_radius (template_));
      cairo_set_dash (cr, dashes, 2, 0);
      cairo_set_line_width (cr, 0.15);
      _co_set_source_rgb_hex (cr, GRID_COLOR);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      _co_set_source_rgb_hex (cr, CROSS_COLOR);
      cairo_set_line_width (cr, 0.12);
      cross (cr, cell.x + cell.width / 2, cell.y + cell.height / 2, 3);
    }

  /* Title, help and the offset in force, on white. */
  cairo_rectangle (cr, 22, 16, w - 44, 70);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  label_text (text, cr, c->calibration_title, 15, CO_TEMPLATE_ALIGN_LEFT, 25, 18, w - 50, 9);
  label_text (text, cr, co_template_get_description (template_), 9, CO_TEMPLATE_ALIGN_LEFT,
              25, 28, w - 50, 5);
  if (c->calibration_help != NULL)
    {
      CoTextStyle style = { .size = 9, .min_size = 5, .color = INK };
      CoRectMm box = { 25, 35, w - 50, 38 };

      _co_text_renderer_draw_wrapped (text, cr, c->calibration_help, &style, &box);
    }
  if (c->calibration_offset != NULL)
    {
      g_autofree char *line = format_offsets (c->calibration_offset,
                                              options->offset_x_mm, options->offset_y_mm);
      label_text (text, cr, line, 9, CO_TEMPLATE_ALIGN_LEFT, 25, 76, w - 50, 6);
    }

  /* Centre scales: the horizontal one crosses the vertical fold (x = w/2),
   * the vertical one the horizontal fold (y = h/2). */
  sy = cy + 45;
  sx = cx - 55;
  cairo_rectangle (cr, cx - SCALE_HALF - 5, sy - 12, 2 * SCALE_HALF + 10, 22);
  cairo_rectangle (cr, sx - 16, cy - SCALE_HALF - 4, 32, 2 * SCALE_HALF + 8);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_fill (cr);
  scale (text, cr, TRUE, sy, -1, cx - SCALE_HALF, cx + SCALE_HALF, cx, TRUE);
  scale (text, cr, TRUE, sy, +1, cx - SCALE_HALF, cx + SCALE_HALF, cx, TRUE);
  scale (text, cr, FALSE, sx, -1, cy - SCALE_HALF, cy + SCALE_HALF, cy, TRUE);
  scale (text, cr, FALSE, sx, +1, cy - SCALE_HALF, cy + SCALE_HALF, cy, TRUE);

  /* The page's centre. */
  _co_set_source_rgb_hex (cr, ACCENT);
  cairo_set_line_width (cr, 0.2);
  cross (cr, cx, cy, 8);

  /* Edge rulers, read from the paper's edge. */
  scale (text, cr, TRUE, 0, +1, 0, w, 0, FALSE);
  scale (text, cr, FALSE, 0, +1, 0, h, 0, FALSE);

  if (!_co_pdf_output_end_page (out, error) || !_co_pdf_output_finish (out, error))
    return FALSE;
  return TRUE;
}
