/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * The reissue application form (补卡申请表), one A4 page per application,
 * for the student's paper file: the student, the reissue (reason, delivery,
 * address, fee), the application number with its QR code, and lines for the
 * parent's and the card office's signatures. Empty fields stay blank boxes
 * to fill in by hand, so the same page is also the blank form.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <string.h>

#include "co-print.h"
#include "co-print-private.h"

#define PAGE_W 210.0
#define PAGE_H 297.0
#define LEFT   20.0
#define RIGHT  190.0
#define LABEL_W 28.0
#define VALUE_W 57.0
#define PAD     2.0

#define INK        0x000000
#define RULE       0x404040
#define SECTION_BG 0xe8edf3
#define ACCENT     0x17467f
#define MUTED      0x555555

typedef struct
{
  CoTextRenderer        *text;
  const CoPrintCaptions *captions;
} Form;

static void
text_in (Form            *form,
         cairo_t         *cr,
         const char      *text,
         double           size,
         gboolean         bold,
         CoTemplateAlign  align,
         guint32          color,
         double           x,
         double           y,
         double           w,
         double           h)
{
  CoTextStyle style = {
    .size = size, .min_size = MIN (5, size), .bold = bold, .align = align, .color = color
  };
  CoRectMm box = { x, y, w, h };

  _co_text_renderer_draw (form->text, cr, text, &style, &box);
}

static void
cell (cairo_t *cr,
      double   x,
      double   y,
      double   w,
      double   h,
      gboolean shaded)
{
  cairo_rectangle (cr, x, y, w, h);
  if (shaded)
    {
      _co_set_source_rgb_hex (cr, SECTION_BG);
      cairo_fill_preserve (cr);
    }
  cairo_set_line_width (cr, 0.3);
  _co_set_source_rgb_hex (cr, RULE);
  cairo_stroke (cr);
}

/* A caption cell and its value cell: half the width, or the whole width
 * when @full. Returns the x after them. */
static double
pair (Form       *form,
      cairo_t    *cr,
      double      x,
      double      y,
      double      h,
      const char *caption,
      const char *value,
      gboolean    full,
      gboolean    mono)
{
  double vw = full ? RIGHT - LEFT - LABEL_W : VALUE_W;
  CoTextStyle style = {
    .size = 11, .min_size = 5, .monospace = mono, .align = CO_TEMPLATE_ALIGN_LEFT, .color = INK
  };
  CoRectMm box = { x + LABEL_W + PAD, y + 1, vw - 2 * PAD, h - 2 };

  cell (cr, x, y, LABEL_W, h, TRUE);
  cell (cr, x + LABEL_W, y, vw, h, FALSE);
  if (h > 12 && caption != NULL)
    {
      CoTextStyle cs = {
        .size = 9.5, .min_size = 5, .align = CO_TEMPLATE_ALIGN_CENTER, .color = INK, .vcenter = TRUE
      };
      CoRectMm cb = { x + PAD / 2, y + 1, LABEL_W - PAD, h - 2 };

      _co_text_renderer_draw_wrapped (form->text, cr, caption, &cs, &cb);
    }
  else
    text_in (form, cr, caption, 9.5, FALSE, CO_TEMPLATE_ALIGN_CENTER, INK,
             x + PAD / 2, y + 1, LABEL_W - PAD, h - 2);
  if (value != NULL && *value != '\0')
    {
      if (h > 12)
        _co_text_renderer_draw_wrapped (form->text, cr, value, &style, &box);
      else
        _co_text_renderer_draw (form->text, cr, value, &style, &box);
    }
  return x + LABEL_W + vw;
}

static double
section (Form       *form,
         cairo_t    *cr,
         double      y,
         const char *title)
{
  cairo_rectangle (cr, LEFT, y + 2.5, 1.2, 5);
  _co_set_source_rgb_hex (cr, ACCENT);
  cairo_fill (cr);
  text_in (form, cr, title, 11, TRUE, CO_TEMPLATE_ALIGN_LEFT, ACCENT, LEFT + 3, y + 1, 100, 8);
  return y + 10;
}

static void
draw_form (Form             *form,
           cairo_t          *cr,
           const CoFormData *d)
{
  const CoPrintCaptions *c = form->captions;
  CoRectMm qr = { RIGHT - 24, 12, 24, 24 };
  CoTextStyle note = { .size = 8, .min_size = 5, .color = MUTED };
  CoRectMm note_box = { LEFT, 279, RIGHT - LEFT, 10 };
  double y, x;

  /* Header: school, title, the application number as text and QR code. */
  text_in (form, cr, d->school, 11, FALSE, CO_TEMPLATE_ALIGN_LEFT, MUTED, LEFT, 14, 120, 7);
  text_in (form, cr, c->form_title, 18, TRUE, CO_TEMPLATE_ALIGN_LEFT, INK, LEFT, 22, 120, 11);
  if (d->application_no != NULL && *d->application_no != '\0')
    {
      _co_qr_draw (cr, d->application_no, 1, 2, &qr);
      text_in (form, cr, d->application_no, 8, FALSE, CO_TEMPLATE_ALIGN_CENTER, INK,
               qr.x - 8, qr.y + qr.height + 0.5, qr.width + 8, 4.5);
    }
  cairo_move_to (cr, LEFT, 42);
  cairo_line_to (cr, RIGHT, 42);
  cairo_set_line_width (cr, 0.5);
  _co_set_source_rgb_hex (cr, ACCENT);
  cairo_stroke (cr);

  y = section (form, cr, 45, c->form_student_section);
  x = pair (form, cr, LEFT, y, 10, c->name, d->name, FALSE, FALSE);
  pair (form, cr, x, y, 10, c->gender, d->gender, FALSE, FALSE);
  y += 10;
  pair (form, cr, LEFT, y, 10, c->school, d->school, TRUE, FALSE);
  y += 10;
  x = pair (form, cr, LEFT, y, 10, c->stage, d->stage, FALSE, FALSE);
  pair (form, cr, x, y, 10, c->class_name, d->class_name, FALSE, FALSE);
  y += 10;
  x = pair (form, cr, LEFT, y, 10, c->edu_id, d->edu_id, FALSE, TRUE);
  pair (form, cr, x, y, 10, c->bjt_no, d->bjt_no, FALSE, TRUE);
  y += 10;
  pair (form, cr, LEFT, y, 10, c->card_no, d->card_no, TRUE, TRUE);
  y += 10;

  y = section (form, cr, y + 3, c->form_reissue_section);
  pair (form, cr, LEFT, y, 16, c->reason, d->reason, TRUE, FALSE);
  y += 16;
  x = pair (form, cr, LEFT, y, 10, c->delivery, d->delivery, FALSE, FALSE);
  pair (form, cr, x, y, 10, c->fee, d->fee, FALSE, FALSE);
  y += 10;
  pair (form, cr, LEFT, y, 16, c->address, d->address, TRUE, FALSE);
  y += 16;
  x = pair (form, cr, LEFT, y, 10, c->recipient, d->recipient, FALSE, FALSE);
  pair (form, cr, x, y, 10, c->phone, d->phone, FALSE, TRUE);
  y += 10;
  x = pair (form, cr, LEFT, y, 10, c->application_no, d->application_no, FALSE, TRUE);
  pair (form, cr, x, y, 10, c->date, d->date, FALSE, FALSE);
  y += 10;

  y = section (form, cr, y + 3, c->form_signature_section);
  x = pair (form, cr, LEFT, y, 18, c->parent_signature, NULL, FALSE, FALSE);
  pair (form, cr, x, y, 18, c->date, NULL, FALSE, FALSE);
  y += 18;
  x = pair (form, cr, LEFT, y, 18, c->office_signature, NULL, FALSE, FALSE);
  pair (form, cr, x, y, 18, c->date, NULL, FALSE, FALSE);
  y += 18;
  pair (form, cr, LEFT, y, MIN (32, 276 - y), c->office_stamp, NULL, TRUE, FALSE);

  _co_text_renderer_draw_wrapped (form->text, cr, c->form_note, &note, &note_box);
}

/**
 * co_print_forms:
 * @forms: (element-type CoFormData): one form per element
 * @options: (nullable): offsets (start_at and outlines are ignored)
 * @captions: the translated captions; form_title and the field captions
 * @output_path: the PDF to write; replaced only when complete
 * @progress: (nullable) (scope call): called after each page
 * @progress_data: its data
 * @cancellable: (nullable): a #GCancellable
 * @stats: (out caller-allocates) (optional): figures of the job
 * @error: a %CO_PRINT_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Renders one A4 reissue form per element of @forms.
 *
 * Returns: %TRUE when @output_path was written
 */
gboolean
co_print_forms (GPtrArray              *forms,
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
  CoPrintCaptions no_captions = { 0 };
  CoPrintStats local_stats = { 0 };
  Form form;

  g_return_val_if_fail (forms != NULL, FALSE);
  g_return_val_if_fail (output_path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  if (forms->len == 0)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION, "Nothing to print");
      return FALSE;
    }
  if (!(out = _co_pdf_output_new (output_path, PAGE_W, PAGE_H, error)))
    return FALSE;

  text = _co_text_renderer_new ();
  form.text = text;
  form.captions = captions ? captions : &no_captions;

  for (guint i = 0; i < forms->len; i++)
    {
      cairo_t *cr;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      cr = _co_pdf_output_begin_page (out, options);
      draw_form (&form, cr, g_ptr_array_index (forms, i));
      if (!_co_pdf_output_end_page (out, error))
        return FALSE;
      stats->n_items++;
      if (progress != NULL)
        progress (i + 1, forms->len, progress_data);
    }

  if (!_co_pdf_output_finish (out, error))
    return FALSE;
  stats->n_pages = _co_pdf_output_get_n_pages (out);
  stats->n_unknown_glyphs = _co_text_renderer_get_unknown_glyphs (text);
  return TRUE;
}
