/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 */
#define G_LOG_DOMAIN "co-qr-texture"

#include "config.h"

#include "co-print-private.h"
#include "co-qr-texture.h"

/**
 * co_qr_texture_new:
 * @text: what the code holds
 * @pixels: the side of the square texture
 *
 * Returns: (transfer full) (nullable): black modules on white, quiet zone
 *   included
 */
GdkTexture *
co_qr_texture_new (const char *text,
                   int         pixels)
{
  g_autoptr(GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  CoRectMm box = { 0, 0, pixels, pixels };
  gboolean drawn;
  int stride;

  g_return_val_if_fail (pixels > 0, NULL);

  if (text == NULL || *text == '\0')
    return NULL;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, pixels, pixels);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  drawn = _co_qr_draw (cr, text, 1, 2, &box);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  if (!drawn)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) stride * pixels);
  cairo_surface_destroy (surface);

  /* GDK_MEMORY_DEFAULT is cairo's ARGB32 in native byte order. */
  return gdk_memory_texture_new (pixels, pixels, GDK_MEMORY_DEFAULT, bytes, stride);
}
