/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * QR codes drawn cheaply: libqrencode's modules become one A8 image with
 * one pixel per module (quiet zone included), used as a mask scaled with
 * the nearest filter. In the PDF that is one small stencil image per code,
 * sharp at any resolution, instead of hundreds of rectangles.
 */
#define G_LOG_DOMAIN "co-print"

#include "config.h"

#include <string.h>
#include <qrencode.h>

#include "co-print-private.h"

static cairo_surface_t *
qr_mask_new (const char *text,
             int         ec_level,
             guint       quiet_zone,
             int        *n_modules)
{
  QRcode *code;
  cairo_surface_t *mask;
  unsigned char *pixels;
  int stride, size;

  code = QRcode_encodeString8bit (text, 0, (QRecLevel) CLAMP (ec_level, QR_ECLEVEL_L, QR_ECLEVEL_H));
  if (code == NULL)
    return NULL;

  size = code->width + 2 * (int) quiet_zone;
  mask = cairo_image_surface_create (CAIRO_FORMAT_A8, size, size);
  if (cairo_surface_status (mask) != CAIRO_STATUS_SUCCESS)
    {
      QRcode_free (code);
      cairo_surface_destroy (mask);
      return NULL;
    }
  cairo_surface_flush (mask);
  pixels = cairo_image_surface_get_data (mask);
  stride = cairo_image_surface_get_stride (mask);
  memset (pixels, 0, (gsize) stride * size);
  for (int y = 0; y < code->width; y++)
    {
      const unsigned char *row = code->data + (gsize) y * code->width;
      unsigned char *dest = pixels + (gsize) (y + quiet_zone) * stride + quiet_zone;

      /* Bit 0 of each byte: the module is dark. */
      for (int x = 0; x < code->width; x++)
        dest[x] = (row[x] & 1) ? 0xff : 0x00;
    }
  cairo_surface_mark_dirty (mask);
  *n_modules = size;
  QRcode_free (code);
  return mask;
}

/* Draws the code for @text as a black square as large as fits @box,
 * centred in it. FALSE when it cannot be encoded (empty or too long). */
gboolean
_co_qr_draw (cairo_t        *cr,
             const char     *text,
             int             ec_level,
             guint           quiet_zone,
             const CoRectMm *box)
{
  cairo_surface_t *mask;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;
  double side, scale;
  int n_modules = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (!(mask = qr_mask_new (text, ec_level, quiet_zone, &n_modules)))
    return FALSE;

  side = MIN (box->width, box->height);
  scale = side / n_modules;

  pattern = cairo_pattern_create_for_surface (mask);
  cairo_pattern_set_filter (pattern, CAIRO_FILTER_NEAREST);
  cairo_matrix_init_scale (&matrix, 1 / scale, 1 / scale);
  cairo_matrix_translate (&matrix,
                          -(box->x + (box->width - side) / 2),
                          -(box->y + (box->height - side) / 2));
  cairo_pattern_set_matrix (pattern, &matrix);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_mask (cr, pattern);

  cairo_pattern_destroy (pattern);
  cairo_surface_destroy (mask);
  return TRUE;
}
