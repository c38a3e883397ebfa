/* SPDX-License-Identifier: GPL-3.0-or-later
 * Copyright 2026 The Card Office authors
 *
 * Student photos: stored once per content (the ETag is a hash of the JPEG),
 * and the demo's placeholder portraits: a head-and-shoulders silhouette on
 * the blue, white or red backgrounds of Chinese ID photos, drawn with cairo
 * and encoded as JPEG by gdk-pixbuf.
 */
#define G_LOG_DOMAIN "co-server"

#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <sodium.h>

#include "co-server-private.h"

#define PHOTO_WIDTH  120
#define PHOTO_HEIGHT 160

char *
co_photo_etag (GBytes *jpeg)
{
  guint8 hash[16];
  char hex[sizeof hash * 2 + 1];
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);

  crypto_generichash (hash, sizeof hash, data, size, NULL, 0);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);

  return g_strdup (hex);
}

gboolean
co_photo_store (CoServer  *server,
                GBytes    *jpeg,
                char     **etag_out)
{
  g_autofree char *etag = co_photo_etag (jpeg);
  sqlite3_stmt *stmt;
  gsize size;
  const void *data = g_bytes_get_data (jpeg, &size);

  stmt =
    co_db_stmt (server, "INSERT INTO photos (etag, data) VALUES (?, ?) ON CONFLICT DO NOTHING");
  co_db_bind_text (stmt, 1, etag);
  sqlite3_bind_blob (stmt, 2, data, size, SQLITE_TRANSIENT);
  if (!co_db_step_done (server, stmt))
    return FALSE;

  *etag_out = g_steal_pointer (&etag);
  return TRUE;
}

GBytes *
co_photo_placeholder (guint    variant,
                      CoGender gender)
{
  static const double backgrounds[][3] = {
    { 0.26, 0.55, 0.85 }, /* 蓝底 */
    { 0.97, 0.97, 0.97 }, /* 白底 */
    { 0.80, 0.12, 0.15 }, /* 红底 */
  };
  static const double shirts[][3] = {
    { 0.15, 0.20, 0.35 }, { 0.90, 0.90, 0.92 }, { 0.20, 0.35, 0.25 }, { 0.45, 0.12, 0.15 },
  };
  const double *bg = backgrounds[variant % G_N_ELEMENTS (backgrounds)];
  const double *shirt = shirts[(variant / G_N_ELEMENTS (backgrounds)) % G_N_ELEMENTS (shirts)];
  double skin = 0.80 + 0.04 * (variant % 3);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  const guint8 *src;
  guint8 *dst;
  int src_stride, dst_stride;
  char *buffer = NULL;
  gsize size = 0;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PHOTO_WIDTH, PHOTO_HEIGHT);
  cr = cairo_create (surface);

  cairo_set_source_rgb (cr, bg[0], bg[1], bg[2]);
  cairo_paint (cr);

  /* Shoulders */
  cairo_set_source_rgb (cr, shirt[0], shirt[1], shirt[2]);
  cairo_move_to (cr, 0, PHOTO_HEIGHT);
  cairo_curve_to (cr, 5, 118, 30, 108, 60, 106);
  cairo_curve_to (cr, 90, 108, 115, 118, 120, PHOTO_HEIGHT);
  cairo_close_path (cr);
  cairo_fill (cr);

  /* Neck and face */
  cairo_set_source_rgb (cr, skin, skin * 0.82, skin * 0.70);
  cairo_rectangle (cr, 50, 88, 20, 22);
  cairo_fill (cr);
  cairo_save (cr);
  cairo_translate (cr, 60, 66);
  cairo_scale (cr, 23, 29);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  cairo_fill (cr);

  /* Hair: short, or long to the shoulders. */
  cairo_set_source_rgb (cr, 0.08, 0.07, 0.07);
  cairo_save (cr);
  cairo_translate (cr, 60, 58);
  cairo_scale (cr, 25, 25);
  cairo_arc (cr, 0, 0, 1, G_PI, 2 * G_PI);
  cairo_restore (cr);
  cairo_fill (cr);
  if (gender == CO_GENDER_FEMALE)
    {
      cairo_rectangle (cr, 35, 56, 8, 46);
      cairo_rectangle (cr, 77, 56, 8, 46);
      cairo_fill (cr);
    }

  /* Eyes */
  cairo_arc (cr, 51, 68, 2.2, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_arc (cr, 69, 68, 2.2, 0, 2 * G_PI);
  cairo_fill (cr);

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, PHOTO_WIDTH, PHOTO_HEIGHT);
  src = cairo_image_surface_get_data (surface);
  src_stride = cairo_image_surface_get_stride (surface);
  dst = gdk_pixbuf_get_pixels (pixbuf);
  dst_stride = gdk_pixbuf_get_rowstride (pixbuf);
  for (int y = 0; y < PHOTO_HEIGHT; y++)
    {
      const guint32 *row = (const guint32 *) (src + y * src_stride);
      guint8 *out = dst + y * dst_stride;

      for (int x = 0; x < PHOTO_WIDTH; x++)
        {
          out[3 * x] = (row[x] >> 16) & 0xff;
          out[3 * x + 1] = (row[x] >> 8) & 0xff;
          out[3 * x + 2] = row[x] & 0xff;
        }
    }
  cairo_surface_destroy (surface);

  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", &error, "quality", "85", NULL))
    {
      g_warning ("cannot encode a placeholder photo: %s", error->message);
      return NULL;
    }

  return g_bytes_new_take (buffer, size);
}
