/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Text that fits: one line per box, shrunk (never wrapped) until its logical
 * extents fit, ellipsized only below the smallest allowed size. Metrics are
 * unhinted, so a layout measured once is valid at any position and scale.
 * Sizes are points, positions millimetres: the context's resolution is
 * 25.4 "pixels" (mm) per inch.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <math.h>

#include "co-print-private.h"

/* One family, two faces: every face embedded costs cairo-pdf about 28 MB
 * while it subsets a CJK font, so numbers that must line up use the
 * family's tabular figures instead of a monospaced face. */
#define SANS_FAMILY "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, Sans"
#define TABULAR_FEATURES "tnum 1, hwid 1"

/* Where a baseline-aligned text sits in its box, from the top. */
#define BASELINE_FRACTION 0.78

struct _CoTextRenderer
{
  PangoContext         *context;
  PangoLayout          *layout;
  PangoFontDescription *fonts[2];   /* [bold] */
  PangoAttrList        *tabular;
  guint                 unknown_glyphs;
};

CoTextRenderer *
_co_text_renderer_new (void)
{
  CoTextRenderer *tr = g_new0 (CoTextRenderer, 1);
  PangoFontMap *fontmap = pango_cairo_font_map_get_default ();
  cairo_font_options_t *options;

  tr->context = pango_font_map_create_context (fontmap);
  pango_cairo_context_set_resolution (tr->context, 25.4);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (tr->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (tr->context, FALSE);
  /* Han characters take their Simplified Chinese forms. */
  pango_context_set_language (tr->context, pango_language_from_string ("zh-cn"));

  for (guint i = 0; i < G_N_ELEMENTS (tr->fonts); i++)
    {
      tr->fonts[i] = pango_font_description_new ();
      pango_font_description_set_family (tr->fonts[i], SANS_FAMILY);
      pango_font_description_set_weight (tr->fonts[i], i ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    }
  tr->tabular = pango_attr_list_new ();
  pango_attr_list_insert (tr->tabular, pango_attr_font_features_new (TABULAR_FEATURES));
  tr->layout = pango_layout_new (tr->context);
  pango_layout_set_single_paragraph_mode (tr->layout, TRUE);
  return tr;
}

void
_co_text_renderer_free (CoTextRenderer *tr)
{
  if (tr == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (tr->fonts); i++)
    pango_font_description_free (tr->fonts[i]);
  g_clear_pointer (&tr->tabular, pango_attr_list_unref);
  g_clear_object (&tr->layout);
  g_clear_object (&tr->context);
  g_free (tr);
}

guint
_co_text_renderer_get_unknown_glyphs (CoTextRenderer *tr)
{
  return tr->unknown_glyphs;
}

static void
set_size (CoTextRenderer    *tr,
          PangoLayout       *layout,
          const CoTextStyle *style,
          double             size)
{
  PangoFontDescription *desc = tr->fonts[style->bold ? 1 : 0];

  pango_font_description_set_size (desc, (int) lround (size * PANGO_SCALE));
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_attributes (layout, style->monospace ? tr->tabular : NULL);
}

/* How much the layout must shrink to fit: 1 or more means it fits. */
static double
fit_ratio (PangoLayout       *layout,
           const CoTextStyle *style,
           const CoRectMm    *box)
{
  PangoRectangle logical;
  double w, h, ratio;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;
  ratio = w > 0 ? box->width / w : 1e9;
  if (style->baseline)
    {
      double ascent = (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
      double descent = h - ascent;

      if (ascent > 0)
        ratio = MIN (ratio, BASELINE_FRACTION * box->height / ascent);
      if (descent > 0)
        ratio = MIN (ratio, (1 - BASELINE_FRACTION) * box->height / descent);
    }
  else if (h > 0)
    ratio = MIN (ratio, box->height / h);
  return ratio;
}

/* The renderer's own layout (valid until the next call), set to @text in
 * the largest size that fits @box. */
PangoLayout *
_co_text_renderer_layout (CoTextRenderer    *tr,
                          const char        *text,
                          const CoTextStyle *style,
                          const CoRectMm    *box)
{
  PangoLayout *layout = tr->layout;
  double size = style->size;
  double ratio;

  pango_layout_set_width (layout, -1);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text (layout, text, -1);
  set_size (tr, layout, style, size);

  /* Text width scales linearly with unhinted size: usually one more pass. */
  for (int i = 0; i < 12 && (ratio = fit_ratio (layout, style, box)) < 1.0; i++)
    {
      double next = floor (size * ratio * 0.998 * 20) / 20;

      if (next >= size)
        next = size - 0.05;
      if (next <= style->min_size)
        {
          set_size (tr, layout, style, style->min_size);
          if (fit_ratio (layout, style, box) < 1.0)
            {
              pango_layout_set_width (layout, (int) (box->width * PANGO_SCALE));
              pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
            }
          break;
        }
      size = next;
      set_size (tr, layout, style, size);
    }

  tr->unknown_glyphs += pango_layout_get_unknown_glyphs_count (layout);
  return layout;
}

void
_co_text_renderer_place (cairo_t           *cr,
                         PangoLayout       *layout,
                         const CoTextStyle *style,
                         const CoRectMm    *box)
{
  PangoRectangle logical;
  double x, y, w, h;

  pango_layout_get_extents (layout, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  h = (double) logical.height / PANGO_SCALE;

  switch (style->align)
    {
    case CO_TEMPLATE_ALIGN_CENTER:
      x = box->x + (box->width - w) / 2;
      break;
    case CO_TEMPLATE_ALIGN_RIGHT:
      x = box->x + box->width - w;
      break;
    case CO_TEMPLATE_ALIGN_LEFT:
    default:
      x = box->x;
      break;
    }
  x -= (double) logical.x / PANGO_SCALE;
  if (style->baseline)
    y = box->y + BASELINE_FRACTION * box->height - (double) pango_layout_get_baseline (layout) / PANGO_SCALE;
  else
    y = box->y + (box->height - h) / 2 - (double) logical.y / PANGO_SCALE;

  _co_set_source_rgb_hex (cr, style->color);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

void
_co_text_renderer_draw (CoTextRenderer    *tr,
                        cairo_t           *cr,
                        const char        *text,
                        const CoTextStyle *style,
                        const CoRectMm    *box)
{
  PangoLayout *layout;

  if (text == NULL || *text == '\0')
    return;
  layout = _co_text_renderer_layout (tr, text, style, box);
  _co_text_renderer_place (cr, layout, style, box);
}

/* The logical width of @text in mm at @size points. */
double
_co_text_renderer_measure (CoTextRenderer *tr,
                           const char     *text,
                           double          size,
                           gboolean        bold)
{
  CoTextStyle style = { .size = size, .bold = bold };
  PangoRectangle logical;

  pango_layout_set_width (tr->layout, -1);
  pango_layout_set_ellipsize (tr->layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text (tr->layout, text ? text : "", -1);
  set_size (tr, tr->layout, &style, size);
  pango_layout_get_extents (tr->layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

void
_co_set_source_rgb_hex (cairo_t *cr,
                        guint32  color)
{
  cairo_set_source_rgb (cr,
                        ((color >> 16) & 0xff) / 255.0,
                        ((color >> 8) & 0xff) / 255.0,
                        (color & 0xff) / 255.0);
}

void
_co_rounded_rectangle (cairo_t        *cr,
                       const CoRectMm *r,
                       double          radius)
{
  radius = MIN (radius, MIN (r->width, r->height) / 2);
  if (radius <= 0)
    {
      cairo_rectangle (cr, r->x, r->y, r->width, r->height);
      return;
    }
  cairo_new_sub_path (cr);
  cairo_arc (cr, r->x + r->width - radius, r->y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, r->x + r->width - radius, r->y + r->height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, r->x + radius, r->y + r->height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, r->x + radius, r->y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Several lines, wrapped at word or character boundaries (Chinese has no
 * spaces), shrunk until they fit @box; top-aligned. */
void
_co_text_renderer_draw_wrapped (CoTextRenderer    *tr,
                                cairo_t           *cr,
                                const char        *text,
                                const CoTextStyle *style,
                                const CoRectMm    *box)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;
  double size = style->size;

  if (text == NULL || *text == '\0')
    return;
  layout = pango_layout_new (tr->context);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, (int) (box->width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, style->align == CO_TEMPLATE_ALIGN_CENTER ? PANGO_ALIGN_CENTER
                                      : style->align == CO_TEMPLATE_ALIGN_RIGHT ? PANGO_ALIGN_RIGHT
                                      : PANGO_ALIGN_LEFT);
  for (;;)
    {
      set_size (tr, layout, style, size);
      pango_layout_get_extents (layout, NULL, &logical);
      if ((double) logical.height / PANGO_SCALE <= box->height || size - 0.25 < style->min_size)
        break;
      size -= 0.25;
    }
  if ((double) logical.height / PANGO_SCALE > box->height)
    {
      pango_layout_set_height (layout, (int) (box->height * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  tr->unknown_glyphs += pango_layout_get_unknown_glyphs_count (layout);
  _co_set_source_rgb_hex (cr, style->color);
  pango_layout_get_extents (layout, NULL, &logical);
  cairo_move_to (cr, box->x,
                 style->vcenter ? box->y + MAX (0, (box->height - (double) logical.height / PANGO_SCALE) / 2)
                                : box->y);
  pango_cairo_show_layout (cr, layout);
}
