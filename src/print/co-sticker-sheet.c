/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Sticker sheets (卡贴): one label per student on a sheet template. Streams:
 * each photo is read when its label is drawn and each page is written when
 * full, so memory does not grow with the batch. A photo that cannot be used
 * prints a placeholder and adds a warning naming the student.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <string.h>

#include "co-print.h"
#include "co-print-private.h"

#define PLACEHOLDER_FILL   0xefefef
#define PLACEHOLDER_FIGURE 0xc9c9c9
#define PLACEHOLDER_TEXT   0x666666
#define OUTLINE_COLOR      0x9a9a9a
#define PHOTO_FRAME_COLOR  0xb0b0b0

typedef struct
{
  CoTemplate            *template_;
  const CoPrintCaptions *captions;
  CoTextRenderer        *text;
  PangoLayout           *caption_layouts[CO_N_STICKER_FIELDS];
  PangoLayout           *no_photo_layout;
  GString               *grouped;
} Sheet;

static const char *
field_caption (const CoPrintCaptions *captions,
               CoStickerField         field)
{
  if (captions == NULL)
    return NULL;
  switch (field)
    {
    case CO_STICKER_FIELD_SCHOOL: return captions->school;
    case CO_STICKER_FIELD_NAME: return captions->name;
    case CO_STICKER_FIELD_GENDER: return captions->gender;
    case CO_STICKER_FIELD_STAGE: return captions->stage;
    case CO_STICKER_FIELD_VALIDITY: return captions->validity;
    case CO_STICKER_FIELD_EDU_ID: return captions->edu_id;
    case CO_STICKER_FIELD_CARD_NO: return captions->card_no;
    case CO_STICKER_FIELD_BJT_NO: return captions->bjt_no;
    case CO_STICKER_FIELD_CLASS: return captions->class_name;
    case CO_N_STICKER_FIELDS:
    default: return NULL;
    }
}

static const char *
field_value (const CoStickerData *data,
             CoStickerField       field)
{
  switch (field)
    {
    case CO_STICKER_FIELD_SCHOOL: return data->school;
    case CO_STICKER_FIELD_NAME: return data->name;
    case CO_STICKER_FIELD_GENDER: return data->gender;
    case CO_STICKER_FIELD_STAGE: return data->stage;
    case CO_STICKER_FIELD_VALIDITY: return data->validity;
    case CO_STICKER_FIELD_EDU_ID: return data->edu_id;
    case CO_STICKER_FIELD_CARD_NO: return data->card_no;
    case CO_STICKER_FIELD_BJT_NO: return data->bjt_no;
    case CO_STICKER_FIELD_CLASS: return data->class_name;
    case CO_N_STICKER_FIELDS:
    default: return NULL;
    }
}

static void
value_style (const CoTemplateText *t,
             CoTextStyle          *style)
{
  style->size = t->font_size;
  style->min_size = t->min_font_size;
  style->bold = t->bold;
  style->monospace = t->monospace;
  style->align = t->align;
  style->baseline = t->baseline;
  style->color = t->color;
}

static void
caption_style (const CoTemplateText *t,
               CoTextStyle          *style)
{
  style->size = t->caption_size;
  style->min_size = MIN (3.0, t->caption_size);
  style->bold = FALSE;
  style->monospace = FALSE;
  style->align = t->caption_align;
  style->baseline = t->baseline;
  style->color = t->caption_color;
}

/* "12345678901" in groups of 4: "1234 5678 901", so two numbers are
 * easy to compare by eye. Text with anything but digits stays as is. */
static const char *
group_digits (GString    *buffer,
              const char *text,
              guint       group)
{
  gsize n = strlen (text);

  if (group == 0 || n <= group || strspn (text, "0123456789") != n)
    return text;
  g_string_truncate (buffer, 0);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && i % group == 0)
        g_string_append_c (buffer, ' ');
      g_string_append_c (buffer, text[i]);
    }
  return buffer->str;
}

static void
draw_placeholder (Sheet          *sheet,
                  cairo_t        *cr,
                  const CoRectMm *box,
                  double          radius)
{
  double cx = box->x + box->width / 2;
  double head = MIN (box->width, box->height) * 0.19;
  CoRectMm text_box = {
    box->x + box->width * 0.06, box->y + box->height * 0.80,
    box->width * 0.88, box->height * 0.16
  };
  CoTextStyle style = {
    .size = 7, .min_size = 3, .align = CO_TEMPLATE_ALIGN_CENTER, .color = PLACEHOLDER_TEXT
  };

  cairo_save (cr);
  _co_rounded_rectangle (cr, box, radius);
  cairo_clip_preserve (cr);
  _co_set_source_rgb_hex (cr, PLACEHOLDER_FILL);
  cairo_fill (cr);

  /* A head and shoulders, the usual sign for "no photo". */
  _co_set_source_rgb_hex (cr, PLACEHOLDER_FIGURE);
  cairo_new_sub_path (cr);
  cairo_arc (cr, cx, box->y + box->height * 0.33, head, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_translate (cr, cx, box->y + box->height * 0.80);
  cairo_scale (cr, box->width * 0.40, box->height * 0.24);
  cairo_new_sub_path (cr);
  cairo_arc (cr, 0, 0, 1, G_PI, 2 * G_PI);
  cairo_close_path (cr);
  cairo_restore (cr);
  cairo_fill (cr);
  cairo_restore (cr);

  if (sheet->captions != NULL && sheet->captions->no_photo != NULL)
    {
      if (sheet->no_photo_layout == NULL)
        sheet->no_photo_layout = pango_layout_copy (
          _co_text_renderer_layout (sheet->text, sheet->captions->no_photo, &style, &text_box));
      _co_text_renderer_place (cr, sheet->no_photo_layout, &style, &text_box);
    }
}

static void
draw_label (Sheet               *sheet,
            cairo_t             *cr,
            const CoStickerData *data,
            const CoRectMm      *cell,
            gboolean             outline,
            guint                index,
            CoPrintStats        *stats,
            GPtrArray           *warnings)
{
  CoTemplate *t = sheet->template_;
  CoRectMm label = { 0, 0, cell->width, cell->height };
  CoRectMm box;
  const CoTemplateLine *lines;
  guint n_lines, quiet_zone;
  double radius, frame;
  int ec_level;

  cairo_save (cr);
  cairo_translate (cr, cell->x, cell->y);

  if (outline)
    {
      cairo_save (cr);
      _co_rounded_rectangle (cr, &label, co_template_get_corner_radius (t));
      cairo_set_line_width (cr, 0.15);
      _co_set_source_rgb_hex (cr, OUTLINE_COLOR);
      cairo_stroke (cr);
      cairo_restore (cr);
    }

  /* Nothing leaves its label, whatever the data. */
  cairo_rectangle (cr, 0, 0, cell->width, cell->height);
  cairo_clip (cr);

  lines = co_template_get_lines (t, &n_lines);
  for (guint i = 0; i < n_lines; i++)
    {
      cairo_move_to (cr, lines[i].x1, lines[i].y1);
      cairo_line_to (cr, lines[i].x2, lines[i].y2);
      cairo_set_line_width (cr, lines[i].width);
      _co_set_source_rgb_hex (cr, lines[i].color);
      cairo_stroke (cr);
    }

  if (co_template_get_photo_box (t, &box, &radius, &frame))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CoPhoto) photo = NULL;

      if (data->photo != NULL)
        photo = _co_photo_load_bytes (data->photo, &error);
      else if (data->photo_path != NULL && *data->photo_path != '\0')
        photo = _co_photo_load_file (data->photo_path, &error);
      else
        g_set_error_literal (&error, CO_PRINT_ERROR, CO_PRINT_ERROR_PHOTO_MISSING,
                             "No photo given");

      if (photo != NULL)
        {
          _co_photo_draw (cr, photo, &box, radius);
          stats->n_photos++;
        }
      else
        {
          draw_placeholder (sheet, cr, &box, radius);
          if (warnings != NULL)
            _co_print_add_warning (warnings, index, data->name, data->edu_id,
                                   data->photo_path, error);
        }
      if (frame > 0)
        {
          _co_rounded_rectangle (cr, &box, radius);
          cairo_set_line_width (cr, frame);
          _co_set_source_rgb_hex (cr, PHOTO_FRAME_COLOR);
          cairo_stroke (cr);
        }
    }

  if (co_template_get_qr_box (t, &box, &quiet_zone, &ec_level))
    _co_qr_draw (cr, data->card_no, ec_level, quiet_zone, &box);

  for (guint f = 0; f < CO_N_STICKER_FIELDS; f++)
    {
      const CoTemplateText *text = co_template_get_text (t, f);
      const char *value;
      CoTextStyle style;

      if (!text->present)
        continue;

      if (text->has_caption && field_caption (sheet->captions, f) != NULL)
        {
          caption_style (text, &style);
          /* Captions are the same on every label: fitted once. */
          if (sheet->caption_layouts[f] == NULL)
            sheet->caption_layouts[f] = pango_layout_copy (
              _co_text_renderer_layout (sheet->text, field_caption (sheet->captions, f),
                                        &style, &text->caption_box));
          _co_text_renderer_place (cr, sheet->caption_layouts[f], &style, &text->caption_box);
        }

      value = field_value (data, f);
      if (value == NULL || *value == '\0')
        continue;
      value_style (text, &style);
      _co_text_renderer_draw (sheet->text, cr, group_digits (sheet->grouped, value, text->digit_groups),
                              &style, &text->box);
    }

  cairo_restore (cr);
}

void
_co_print_add_warning (GPtrArray    *warnings,
                       guint         index,
                       const char   *name,
                       const char   *edu_id,
                       const char   *photo_path,
                       const GError *error)
{
  CoPrintWarning *warning = g_new0 (CoPrintWarning, 1);

  warning->index = index;
  warning->name = g_strdup (name);
  warning->edu_id = g_strdup (edu_id);
  warning->photo_path = g_strdup (photo_path);
  if (error != NULL && error->domain == CO_PRINT_ERROR)
    warning->code = error->code;
  else
    warning->code = CO_PRINT_ERROR_PHOTO_UNREADABLE;
  warning->message = g_strdup (error ? error->message : "");
  g_ptr_array_add (warnings, warning);
}

/**
 * co_print_stickers:
 * @template_: the sheet
 * @stickers: (element-type CoStickerData): one sticker per element, in order
 * @options: (nullable): offsets, first label, outlines
 * @captions: (nullable): the translated captions ("姓名", ...)
 * @output_path: the PDF to write; replaced only when complete
 * @progress: (nullable) (scope call): called after each page
 * @progress_data: its data
 * @cancellable: (nullable): a #GCancellable
 * @stats: (out caller-allocates) (optional): figures of the job
 * @warnings: (out) (optional) (element-type CoPrintWarning): the students
 *   whose photo could not be used; a placeholder was printed for them
 * @error: a %CO_PRINT_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Renders @stickers on as many sheets as needed, the first one starting at
 * label @options->start_at. A photo that is missing, damaged or of another
 * format does not stop the batch.
 *
 * Returns: %TRUE when @output_path was written
 */
gboolean
co_print_stickers (CoTemplate             *template_,
                   GPtrArray              *stickers,
                   const CoPrintOptions   *options,
                   const CoPrintCaptions  *captions,
                   const char             *output_path,
                   CoPrintProgressFunc     progress,
                   gpointer                progress_data,
                   GCancellable           *cancellable,
                   CoPrintStats           *stats,
                   GPtrArray             **warnings,
                   GError                **error)
{
  g_autoptr(CoPdfOutput) out = NULL;
  g_autoptr(CoTextRenderer) text = NULL;
  g_autoptr(GPtrArray) found = NULL;
  CoPrintOptions defaults = { 0 };
  CoPrintStats local_stats = { 0 };
  Sheet sheet = { 0 };
  double page_w, page_h;
  guint n_cells, cell;
  cairo_t *cr = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (CO_IS_TEMPLATE (template_), FALSE);
  g_return_val_if_fail (stickers != NULL, FALSE);
  g_return_val_if_fail (output_path != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  if (stats == NULL)
    stats = &local_stats;
  memset (stats, 0, sizeof *stats);
  if (warnings != NULL)
    *warnings = NULL;

  n_cells = co_template_get_n_cells (template_);
  cell = options->start_at > 0 ? options->start_at - 1 : 0;
  if (cell >= n_cells)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION,
                   "Label %u does not exist: the sheet has %u labels", options->start_at, n_cells);
      return FALSE;
    }
  if (stickers->len == 0)
    {
      g_set_error (error, CO_PRINT_ERROR, CO_PRINT_ERROR_INVALID_OPTION, "Nothing to print");
      return FALSE;
    }

  co_template_get_page_size (template_, &page_w, &page_h);
  if (!(out = _co_pdf_output_new (output_path, page_w, page_h, error)))
    return FALSE;

  text = _co_text_renderer_new ();
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) co_print_warning_free);
  sheet.template_ = template_;
  sheet.captions = captions;
  sheet.text = text;
  sheet.grouped = g_string_new (NULL);

  for (guint i = 0; i < stickers->len; i++)
    {
      CoRectMm rect;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (cr == NULL)
        cr = _co_pdf_output_begin_page (out, options);

      co_template_get_cell_rect (template_, cell, &rect);
      draw_label (&sheet, cr, g_ptr_array_index (stickers, i), &rect, options->outlines,
                  i, stats, found);
      stats->n_items++;

      if (++cell == n_cells || i + 1 == stickers->len)
        {
          cr = NULL;
          cell = 0;
          if (!_co_pdf_output_end_page (out, error))
            goto out;
          if (progress != NULL)
            progress (i + 1, stickers->len, progress_data);
        }
    }

  if (!_co_pdf_output_finish (out, error))
    goto out;

  stats->n_pages = _co_pdf_output_get_n_pages (out);
  stats->n_unknown_glyphs = _co_text_renderer_get_unknown_glyphs (text);
  if (warnings != NULL)
    *warnings = g_steal_pointer (&found);
  ok = TRUE;

out:
  for (guint f = 0; f < CO_N_STICKER_FIELDS; f++)
    g_clear_object (&sheet.caption_layouts[f]);
  g_clear_object (&sheet.no_photo_layout);
  g_string_free (sheet.grouped, TRUE);
  return ok;
}
